/**
 * `GroupTransport`: what one group's `RaftServer` sees as its transport when a `RaftHost`
 * runs it. It carries no connection of its own: `send` and `sendDriver` hand the message to
 * the host's `GroupRouter` with the group id, which coalesces every group's messages for one
 * peer host into one frame per turn; the host hands the group what arrives for it. So a
 * thousand groups share one connection per peer host and one frame per tick.
 */
import { InvalidArgumentError, type Message, type NodeId, type RaftTransport } from '@raft-io/core';
import type { DriverChannel, DriverMessage, GroupItem } from '@raft-io/framing';
import type { PeerAddress } from '@raft-io/transport-tcp';
import type { PeerLinks } from './peer-directory.js';

/** The host side a group transport talks to. */
export interface GroupRouter {
  /** Queue an item for host `to`; false when it cannot go (unknown host, closed). */
  enqueue(to: NodeId, item: GroupItem): boolean;
  /** Whether the connection to host `to` is up (driver messages are refused while it is not). */
  connected(to: NodeId): boolean;
  /** A member's address from a group's membership: the host dials it if it did not know it. */
  learnPeer(id: NodeId, address: PeerAddress): void;
  /** The group's server started (`receive` set) or closed. */
  attached(transport: GroupTransport): void;
  detached(transport: GroupTransport): void;
}

export class GroupTransport implements RaftTransport, DriverChannel, PeerLinks {
  private receive: ((message: Message) => void) | null = null;
  private driverHandler: ((message: DriverMessage) => void) | null = null;
  private closed = false;

  constructor(
    /** The host's id: this group's node id on it. */
    readonly id: NodeId,
    readonly group: number,
    private readonly router: GroupRouter,
  ) {}

  async start(receive: (message: Message) => void): Promise<void> {
    if (this.closed) throw new InvalidArgumentError(`the transport of group ${this.group} is closed`);
    this.receive = receive;
    this.router.attached(this);
  }

  send(message: Message): boolean {
    if (this.closed) return false;
    return this.router.enqueue(message.to, { group: this.group, message });
  }

  sendDriver(message: DriverMessage): boolean {
    if (this.closed || !this.router.connected(message.to)) return false;
    return this.router.enqueue(message.to, { group: this.group, driver: message });
  }

  onDriverMessage(handler: ((message: DriverMessage) => void) | null): void {
    this.driverHandler = handler;
  }

  setPeer(id: NodeId, address: PeerAddress): void {
    this.router.learnPeer(id, address);
  }

  /** A member left this group; the host keeps its link (other groups may share the host). */
  removePeer(_id: NodeId): void {}

  /** A Raft message of this group arrived (from the authenticated peer host, to this host). */
  deliver(message: Message): void {
    this.receive?.(message);
  }

  /** A driver message of this group arrived. */
  deliverDriver(message: DriverMessage): void {
    this.driverHandler?.(message);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.receive = null;
    this.driverHandler = null;
    this.router.detached(this);
  }
}

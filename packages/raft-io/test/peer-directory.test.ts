/**
 * `PeerDirectory`: where peers are and which the transport links to. The membership's
 * addresses win over bootstrap ones, an override wins over both, bootstrap peers are dialled
 * only while no voter is known, a leader keeps links to members it still tells of their
 * removal, and a member a committed membership removed is forgotten everywhere.
 */
import { describe, expect, it } from 'vitest';
import { type Membership, type NodeId, type PeerAddress, silentLogger } from '../src/index.js';
import { PeerDirectory, parseAddress } from '../src/peer-directory.js';

class FakeTransport {
  readonly peerMap = new Map<NodeId, PeerAddress>();
  readonly calls: string[] = [];
  constructor(initial: [NodeId, PeerAddress][] = []) {
    for (const [id, a] of initial) this.peerMap.set(id, a);
  }
  setPeer(id: NodeId, address: PeerAddress): void {
    this.calls.push(`set ${id} ${address.host}:${address.port}`);
    this.peerMap.set(id, address);
  }
  removePeer(id: NodeId): void {
    this.calls.push(`remove ${id}`);
    this.peerMap.delete(id);
  }
  peers(): ReadonlyMap<NodeId, PeerAddress> {
    return this.peerMap;
  }
}

const m = (voters: NodeId[], info: Record<number, string> = {}, learners: NodeId[] = []): Membership => ({
  voters,
  learners,
  outgoingVoters: [],
  info: Object.fromEntries(Object.entries(info).map(([id, address]) => [id, { address }])),
});

const settle = () => new Promise((r) => setImmediate(r));

describe('PeerDirectory', () => {
  it('links to every other member at the address the membership gives, over a bootstrap one', () => {
    const t = new FakeTransport();
    const d = new PeerDirectory(1, new Map([[2, 'old:1']]), silentLogger);
    d.update(m([1, 2, 3], { 1: 'a:1', 2: 'b:2', 3: 'c:3' }));
    d.attach(t);
    expect([...d.peers()]).toEqual([
      [2, 'b:2'],
      [3, 'c:3'],
    ]);
    expect(t.calls).toEqual(['set 2 b:2', 'set 3 c:3']);
  });

  it('an override wins over the membership; a committed removal forgets it', async () => {
    const t = new FakeTransport();
    const d = new PeerDirectory(1, new Map(), silentLogger);
    d.attach(t);
    const before = m([1, 2, 3], { 2: 'b:2', 3: 'c:3' });
    d.update(before);
    d.override(3, 'moved:3');
    expect(d.address(3)).toBe('moved:3');
    const after = m([1, 2], { 2: 'b:2' });
    d.update(after);
    d.committed(before, after, after);
    await settle();
    expect(d.address(3)).toBeNull();
    expect(t.calls.at(-1)).toBe('remove 3');
    // Listed again without an address, it stays unknown: the override went with it.
    d.update(m([1, 2, 3], { 2: 'b:2' }));
    expect(d.peers().has(3)).toBe(false);
  });

  it('dials bootstrap peers only while no voter is known (a node waiting to be added)', () => {
    const t = new FakeTransport();
    const d = new PeerDirectory(
      4,
      new Map([
        [1, 'a:1'],
        [9, 'z:9'],
      ]),
      silentLogger,
    );
    d.attach(t);
    d.update(m([]));
    expect([...d.peers().keys()]).toEqual([1, 9]);
    d.update(m([1, 2], { 1: 'a:1', 2: 'b:2' }, [4]));
    expect([...d.peers().keys()]).toEqual([1, 2]);
  });

  it('keeps a link to a member the leader still tells of its removal, then forgets it', async () => {
    // Init
    const t = new FakeTransport();
    const d = new PeerDirectory(1, new Map(), silentLogger);
    d.attach(t);
    const before = m([1, 2, 3], { 2: 'b:2', 3: 'c:3' });
    d.update(before);
    // Act: 3 is removed (its info goes with it) and committed, while the leader keeps it.
    const after = m([1, 2], { 2: 'b:2' });
    d.update(after, [3]);
    d.committed(before, after, after);
    // Check: still linked at its last address; forgotten once the leader lets it go.
    expect(d.peers().get(3)).toBe('c:3');
    // the same membership and the same kept members again (every batch does this): no change
    const calls = t.calls.length;
    d.update(after, [3]);
    await settle();
    expect(t.calls.length).toBe(calls);
    d.update(after, []);
    await settle();
    expect(d.peers().has(3)).toBe(false);
    expect(d.address(3)).toBeNull();
  });

  it('on attach, drops the peers a transport was built with that are not wanted, keeping them as bootstrap', async () => {
    const t = new FakeTransport([
      [5, { host: 'e', port: 5 }],
      [3, { host: 'c', port: 3 }],
    ]);
    const d = new PeerDirectory(1, new Map(), silentLogger);
    d.update(m([1, 2, 3], { 2: 'b:2' }));
    d.attach(t);
    await settle();
    // 5 is no member; 3 is one whose membership entry has no address: the transport's is used.
    expect([...t.peerMap.keys()].sort()).toEqual([2, 3]);
    expect(d.address(3)).toBe('c:3');
  });

  it('skips an address that is not host:port, warning once', () => {
    const warnings: string[] = [];
    const logger = {
      ...silentLogger,
      warn: (_f: Record<string, unknown>, msg: string) => warnings.push(msg),
    };
    const d = new PeerDirectory(1, new Map(), logger);
    d.attach(new FakeTransport());
    d.update(m([1, 2], { 2: 'not an address' }));
    d.update(m([1, 2, 3], { 2: 'not an address' }));
    expect(d.peers().size).toBe(0);
    expect(warnings).toHaveLength(1);
  });

  it('parses host:port and [v6]:port, refusing anything else', () => {
    expect(parseAddress('10.0.0.1:7001')).toEqual({ host: '10.0.0.1', port: 7001 });
    expect(parseAddress('[::1]:7001')).toEqual({ host: '::1', port: 7001 });
    expect(parseAddress('db-1.internal:80')).toEqual({ host: 'db-1.internal', port: 80 });
    for (const bad of ['::1:7001', 'host', 'host:0', 'host:70000', 'a b:1', ''])
      expect(parseAddress(bad)).toBeNull();
  });
});

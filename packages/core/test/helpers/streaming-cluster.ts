/**
 * `TestCluster` with a driver that streams snapshots (`snapshotStreaming`, D28), the way
 * RaftServer does with files: each node has a "disk" of snapshot files named by index and
 * term, takes a snapshot by writing a file and stepping `snapshot` with its size and CRC32C,
 * answers `send-snapshot-chunk` by reading the named file, appends `write-snapshot-chunk` to
 * one partial file, and on a confirmed `restore` checks the partial file's size and checksum,
 * restores from it, keeps it under its name and answers `restore-result`. After every step it
 * deletes every file the node no longer names (neither the log's snapshot nor the pinned one),
 * as a driver short of disk would: a chunk asked of a deleted file fails the test.
 */
import { type Action, crc32c, type NodeId, type RaftConfig, type SnapshotMetadata } from '../../src/index.js';
import { bytes, TestCluster } from './cluster.js';

export const fileKey = (m: { index: number; term: number }): string => `${m.index}-${m.term}`;

interface PartialFile {
  readonly key: string;
  chunks: Uint8Array[];
  size: number;
}

export class StreamingCluster extends TestCluster {
  /** Each node's snapshot files by `index-term`. */
  readonly files = new Map<NodeId, Map<string, Uint8Array>>();
  private readonly partials = new Map<NodeId, PartialFile | null>();
  /** Confirmed restores to answer once the step that asked ended. */
  private readonly answers: { id: NodeId; index: number; ok: boolean }[] = [];
  /** Every file read for a chunk: node, key, offset, length. */
  readonly reads: { id: NodeId; key: string; offset: number; length: number }[] = [];
  /** The driver refuses restores (its state machine throws) while true. */
  refuseRestores = false;

  constructor(ids: NodeId[], options: Partial<RaftConfig> = {}) {
    super(ids, { snapshotStreaming: true, ...options });
  }

  private disk(id: NodeId): Map<string, Uint8Array> {
    let d = this.files.get(id);
    if (!d) {
      d = new Map();
      this.files.set(id, d);
    }
    return d;
  }

  /** Snapshot the state machine into a file, then tell the node its size and checksum. */
  override snapshot(id: NodeId): Action[] {
    const node = this.node(id);
    const index = node.appliedIndex();
    const data = bytes(this.machines.get(id)!.join(','));
    const term = this.termAt(id, index);
    this.disk(id).set(fileKey({ index, term }), data);
    return this.step(id, { type: 'snapshot', index, bytes: data.length, checksum: crc32c(data) });
  }

  private termAt(id: NodeId, index: number): number {
    const log = this.logs.get(id)!;
    const snap = log.snapshotMetadata();
    if (snap && snap.index === index) return snap.term;
    return log.term(index)!;
  }

  protected override restoreData(id: NodeId, action: Extract<Action, { type: 'restore' }>): Uint8Array {
    const { metadata } = action.snapshot;
    if (action.snapshot.data.length !== 0) throw new Error('a streamed restore carried bytes');
    if (!action.confirm) return this.read(id, metadata);
    const partial = this.partials.get(id) ?? null;
    this.partials.set(id, null);
    const data = partial ? concat(partial.chunks) : null;
    const ok =
      !this.refuseRestores &&
      data !== null &&
      partial!.key === fileKey(metadata) &&
      data.length === metadata.bytes &&
      crc32c(data) === metadata.checksum;
    this.answers.push({ id, index: metadata.index, ok });
    if (!ok) return bytes(this.machines.get(id)!.join(','));
    this.disk(id).set(fileKey(metadata), data!);
    return data!;
  }

  private read(id: NodeId, metadata: SnapshotMetadata): Uint8Array {
    const data = this.disk(id).get(fileKey(metadata));
    if (!data) throw new Error(`node ${id} has no snapshot file ${fileKey(metadata)}`);
    return data;
  }

  protected override onAction(id: NodeId, a: Action): void {
    if (a.type === 'send-snapshot-chunk') {
      const { message, length } = a;
      if (message.data.length !== 0) throw new Error('a chunk request carried bytes');
      const file = this.read(id, message.metadata);
      if (message.offset + length > file.length) throw new Error('a chunk past the end of the file');
      this.reads.push({ id, key: fileKey(message.metadata), offset: message.offset, length });
      const data = file.slice(message.offset, message.offset + length);
      if (!this.cut.has(`${id}->${a.to}`)) this.queue.push({ ...message, data });
    } else if (a.type === 'write-snapshot-chunk') {
      let partial = this.partials.get(id) ?? null;
      if (a.offset === 0) {
        partial = { key: fileKey(a.metadata), chunks: [], size: 0 };
        this.partials.set(id, partial);
      }
      if (partial === null || partial.key !== fileKey(a.metadata) || partial.size !== a.offset) {
        throw new Error(`node ${id}: a chunk at ${a.offset} does not follow its partial file`);
      }
      partial.chunks.push(a.data.slice());
      partial.size += a.data.length;
    } else if (a.type === 'send') {
      if (a.message.type === 'install-snapshot')
        throw new Error('a streaming node sent snapshot bytes itself');
    }
  }

  protected override afterStep(id: NodeId): void {
    // Answer confirmed restores, then drop every file the node no longer names.
    while (this.answers.length > 0) {
      const answer = this.answers.shift()!;
      this.step(answer.id, { type: 'restore-result', index: answer.index, ok: answer.ok });
    }
    const keep = new Set<string>();
    const stored = this.logs.get(id)!.snapshotMetadata();
    if (stored) keep.add(fileKey(stored));
    const pinned = this.node(id).pinnedSnapshot();
    if (pinned) keep.add(fileKey(pinned));
    for (const key of [...this.disk(id).keys()]) if (!keep.has(key)) this.disk(id).delete(key);
  }

  /** Bytes of partial snapshot the node's driver holds. */
  partialBytes(id: NodeId): number {
    return this.partials.get(id)?.size ?? 0;
  }
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

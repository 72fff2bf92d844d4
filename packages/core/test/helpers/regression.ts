/**
 * Small tools for the hand-driven regression schedules (regression-b*.test.ts): links cut
 * and restored one pair at a time, a step that may throw, the answers a read got, and the
 * checks those schedules end with. Everything runs on a `TestCluster` of real `RaftNode`s.
 */
import type { Action, Event, NodeId, RaftError } from '../../src/index.js';
import type { TestCluster } from './cluster.js';

/**
 * Node 1 campaigns, wins term 1, and commits `a` (index 1) on every node; then one tick of
 * heartbeats tells the followers the commit index (skip it with `heartbeat: false`).
 */
export function leadAndCommit(c: TestCluster, options: { heartbeat?: boolean } = {}): void {
  c.step(1, { type: 'campaign' });
  c.deliverAll();
  c.propose('a');
  c.deliverAll();
  if (options.heartbeat ?? true) {
    c.tickAll();
    c.deliverAll();
  }
}

/** Cut the links between `a` and `b`, both directions. */
export function cutBoth(c: TestCluster, a: NodeId, b: NodeId): void {
  c.cut.add(`${a}->${b}`);
  c.cut.add(`${b}->${a}`);
}

/** Restore the links between `a` and `b`, both directions. */
export function joinBoth(c: TestCluster, a: NodeId, b: NodeId): void {
  c.cut.delete(`${a}->${b}`);
  c.cut.delete(`${b}->${a}`);
}

/** Drop every message in flight from or to `id` (lost on the wire). */
export function loseMessagesOf(c: TestCluster, id: NodeId): void {
  c.queue = c.queue.filter((m) => m.from !== id && m.to !== id);
}

/** Step node `id`; a `RaftError` thrown by the step is returned instead (e.g. a refused read). */
export function tryStep(
  c: TestCluster,
  id: NodeId,
  event: Event,
): { actions: Action[]; error: RaftError | undefined } {
  try {
    return { actions: c.step(id, event), error: undefined };
  } catch (err) {
    if (err instanceof Error && 'code' in err) return { actions: [], error: err as RaftError };
    throw err;
  }
}

/** The `read-ready` / `read-failed` actions node `id` returned for read `readId`, so far. */
export function readAnswers(c: TestCluster, id: NodeId, readId: string): Action[] {
  return c.actions
    .get(id)!
    .filter((a) => (a.type === 'read-ready' || a.type === 'read-failed') && a.id === readId);
}

/** The highest commit index any node that is up has reached (what a new read must see). */
export function highestCommit(c: TestCluster): { id: NodeId; index: number } {
  let best = { id: 0, index: 0 };
  for (const [id, node] of c.nodes) {
    if (!c.down.has(id) && node.commitIndex() > best.index) best = { id, index: node.commitIndex() };
  }
  return best;
}

/**
 * State Machine Safety on committed entries (empty and membership entries included): for
 * every index that two nodes both hold as committed, the two entries are the same. Returns
 * the first difference, or null.
 */
export function committedEntriesAgree(c: TestCluster): string | null {
  const ids = [...c.nodes.keys()];
  for (let a = 0; a < ids.length; a++) {
    for (let b = a + 1; b < ids.length; b++) {
      const [x, y] = [ids[a]!, ids[b]!];
      const [lx, ly] = [c.logs.get(x)!, c.logs.get(y)!];
      const lo = Math.max(lx.firstIndex(), ly.firstIndex());
      const hi = Math.min(c.node(x).commitIndex(), c.node(y).commitIndex(), lx.lastIndex(), ly.lastIndex());
      for (let i = lo; i <= hi; i++) {
        const ex = lx.entries(i, i + 1)[0]!;
        const ey = ly.entries(i, i + 1)[0]!;
        if (ex.term !== ey.term || ex.type !== ey.type || !sameBytes(ex.data, ey.data)) {
          return (
            `nodes ${x} and ${y} both committed index ${i} with different entries: ` +
            `${describe(ex)} on node ${x}, ${describe(ey)} on node ${y}`
          );
        }
      }
    }
  }
  return null;
}

function describe(e: { term: number; type: string; data: Uint8Array }): string {
  const text = e.type === 'empty' ? '' : ` ${new TextDecoder().decode(e.data)}`;
  return `${e.type}${text} (term ${e.term})`;
}

/**
 * Run `fn` and return what it threw (undefined if nothing). For the fatal `InvariantError`,
 * tests check `name` and `code` rather than the class, so they compile before it exists.
 */
export function thrownBy(fn: () => unknown): { name?: string; code?: string; message?: string } | undefined {
  try {
    fn();
  } catch (err) {
    return (err ?? {}) as { name?: string; code?: string; message?: string };
  }
  return undefined;
}

/**
 * How node `id` reported its own removal. Assumed shapes (the API is not settled yet): an
 * action `{ type: 'removed' }` the driver can surface, and `status().removed === true`.
 */
export function removalReport(c: TestCluster, id: NodeId): { action: boolean; status: boolean } {
  return {
    action: c.actions.get(id)!.some((a) => (a as { type: string }).type === 'removed'),
    status: (c.node(id).status() as unknown as { removed?: boolean }).removed === true,
  };
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

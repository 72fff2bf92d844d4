/**
 * Loads every group's state from a log store's database (hard state, compaction point, last
 * index, snapshot metadata) with the row checks of a single log (`log-state.ts`, each CRC32C
 * bound to its group), plus the store's identity. A group is a pair of hard_state and
 * compaction rows; any other row of a group without them, or one of the pair alone, is
 * `LOG_CORRUPT`.
 */
import type { Database } from 'better-sqlite3';
import { type LogIdentity, SqliteLogError } from './errors.js';
import type { LoadedLog } from './log-cache.js';
import {
  checkCompactionRow,
  checkEntrySpan,
  checkHardStateRow,
  checkIdentityRow,
  checkSnapshotMetaRow,
  type HardStateRow,
} from './log-state.js';

export interface StoreState {
  readonly groups: ReadonlyMap<number, LoadedLog>;
  readonly identity: LogIdentity | null;
}

const isGroupId = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) > 0;

/** Read and check every group. `scan` also counts each group's entries to prove there is no gap. */
export function loadStoreState(db: Database, path: string, scan: boolean): StoreState {
  const corruptIn = (group: number) => (problem: string) =>
    new SqliteLogError('LOG_CORRUPT', path, `group ${group}: ${problem}`);
  const hard = db.prepare('SELECT grp, term, vote, commit_index AS c, crc FROM hard_state').all() as Array<
    HardStateRow & { grp: unknown }
  >;
  const points = new Map<number, { idx: unknown; term: unknown; crc: unknown }>();
  for (const p of db.prepare('SELECT grp, idx, term, crc FROM compaction').all() as Array<{
    grp: unknown;
    idx: unknown;
    term: unknown;
    crc: unknown;
  }>) {
    if (!isGroupId(p.grp))
      throw new SqliteLogError('LOG_CORRUPT', path, `a compaction row of group ${String(p.grp)}`);
    points.set(p.grp, p);
  }
  const spans = new Map<number, { lo: number; hi: number; count: number }>();
  for (const s of db
    .prepare(
      `SELECT grp, min(idx) AS lo, max(idx) AS hi${scan ? ', count(*) AS count' : ''} FROM entries GROUP BY grp`,
    )
    .all() as Array<{ grp: number; lo: number; hi: number; count: number }>) {
    spans.set(s.grp, s);
  }
  const metas = new Map<number, { idx: unknown; term: unknown; membership: unknown; crc: unknown }>();
  for (const m of db.prepare('SELECT grp, idx, term, membership, crc FROM snapshot_meta').all() as Array<{
    grp: number;
    idx: unknown;
    term: unknown;
    membership: unknown;
    crc: unknown;
  }>) {
    metas.set(m.grp, m);
  }
  const data = new Set(db.prepare('SELECT grp FROM snapshot_data').pluck().all() as number[]);

  const groups = new Map<number, LoadedLog>();
  for (const h of hard) {
    if (!isGroupId(h.grp))
      throw new SqliteLogError('LOG_CORRUPT', path, `a hard_state row of group ${String(h.grp)}`);
    const group = h.grp;
    const corrupt = corruptIn(group);
    const hardState = checkHardStateRow(h, corrupt, group);
    const point = checkCompactionRow(points.get(group), corrupt, group);
    const span = spans.get(group);
    const lastIndex = checkEntrySpan(
      span === undefined ? { lo: null, hi: null } : scan ? span : { lo: span.lo, hi: span.hi },
      point.index,
      corrupt,
    );
    const snapshotMetadata = checkSnapshotMetaRow(metas.get(group), data.has(group), corrupt, group);
    groups.set(group, {
      hardState,
      compactIndex: point.index,
      compactTerm: point.term,
      lastIndex,
      snapshotMetadata,
    });
  }
  // Rows of a group the store does not hold: a half-written creation or deletion, or damage.
  for (const [table, ids] of [
    ['compaction', points.keys()],
    ['entries', spans.keys()],
    ['snapshot_meta', metas.keys()],
    ['snapshot_data', data.values()],
  ] as const) {
    for (const group of ids) {
      if (!groups.has(group)) {
        throw new SqliteLogError(
          'LOG_CORRUPT',
          path,
          `${table} holds rows of group ${group}, which has no hard state`,
        );
      }
    }
  }
  const identity = checkIdentityRow(
    db.prepare('SELECT node_id AS n, cluster_id AS c, crc FROM identity WHERE id = 0').get() as
      | { n: unknown; c: unknown; crc: unknown }
      | undefined,
    (problem) => new SqliteLogError('LOG_CORRUPT', path, problem),
  );
  return { groups, identity };
}

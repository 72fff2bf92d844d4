/**
 * Which shard a key lives on, in sharded mode (`kv cluster --shards N`): the 32-bit FNV-1a
 * hash of the key's UTF-8 bytes, finished with murmur3's `fmix32`, modulo N, plus one (shard
 * ids are Raft group ids, which start at 1):
 *
 *   shard(key) = fmix32(fnv1a32(utf8(key))) mod N + 1
 *
 * The mapping is part of the data format: every node must agree on it, and a data directory
 * written with N shards must be opened with N shards again (a node refuses another count,
 * `ShardCountMismatchError`), since a key would otherwise be looked for in the wrong group.
 * Tests pin values of it, so that a change is seen.
 *
 * Why the finisher: FNV-1a's last operation is a multiplication, so the low k bits of the
 * hash depend only on the low k bits of every byte; with a power-of-two N, keys that differ
 * only in a byte's high bits (`a` 0x61 and `!` 0x21) would always share a shard. `fmix32`
 * mixes every bit of the hash into the low ones.
 */
import { InvalidArgumentError } from 'raft-io';

/** Fewest and most shards of a sharded kv. */
export const MIN_SHARDS = 1;
export const MAX_SHARDS = 1024;

const encoder = new TextEncoder();

/** 32-bit FNV-1a of `bytes` (offset basis 0x811c9dc5, prime 16777619), unsigned. */
export function fnv1a32(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i]!;
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

/** murmur3's 32-bit finalizer: every input bit affects every output bit. */
export function fmix32(h: number): number {
  let x = h >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/** Check a shard count: an integer from `MIN_SHARDS` to `MAX_SHARDS`. Throws `InvalidArgumentError`. */
export function checkShardCount(shards: unknown): number {
  if (
    typeof shards !== 'number' ||
    !Number.isSafeInteger(shards) ||
    shards < MIN_SHARDS ||
    shards > MAX_SHARDS
  )
    throw new InvalidArgumentError(
      `the shard count must be an integer from ${MIN_SHARDS} to ${MAX_SHARDS}, got ${String(shards)}`,
    );
  return shards;
}

/** The shard (1..`shards`) of `key`. `shards` must be a checked count (`checkShardCount`). */
export function shardOf(key: string, shards: number): number {
  return (fmix32(fnv1a32(encoder.encode(key))) % shards) + 1;
}

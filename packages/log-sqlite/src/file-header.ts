/**
 * Reads the 100-byte SQLite header of a file with plain `fs` calls, before SQLite touches
 * it: an empty, truncated or foreign file is refused here without ever being opened by
 * SQLite (which would treat an empty file as a new database, and could write to it).
 */
import { closeSync, openSync, readSync } from 'node:fs';

/** Every SQLite 3 database starts with these 16 bytes. */
const MAGIC = Buffer.from('SQLite format 3\0', 'latin1');
const HEADER_SIZE = 100;

export type FileHeader =
  | { readonly kind: 'sqlite'; readonly applicationId: number; readonly pageSize: number }
  | { readonly kind: 'empty' }
  | { readonly kind: 'short'; readonly size: number }
  | { readonly kind: 'not-sqlite' };

/** Classify the file at `path` by its header. Throws the `fs` error if it cannot be read. */
export function readFileHeader(path: string): FileHeader {
  const fd = openSync(path, 'r');
  try {
    const header = Buffer.alloc(HEADER_SIZE);
    let size = 0;
    while (size < HEADER_SIZE) {
      const n = readSync(fd, header, size, HEADER_SIZE - size, size);
      if (n === 0) break;
      size += n;
    }
    if (size === 0) return { kind: 'empty' };
    if (
      !header
        .subarray(0, Math.min(size, MAGIC.length))
        .equals(MAGIC.subarray(0, Math.min(size, MAGIC.length)))
    ) {
      return { kind: 'not-sqlite' };
    }
    if (size < HEADER_SIZE) return { kind: 'short', size };
    // Page size: big-endian u16 at 16, where 1 means 65536. Application id: u32 at 68.
    const raw = header.readUInt16BE(16);
    return { kind: 'sqlite', pageSize: raw === 1 ? 65536 : raw, applicationId: header.readUInt32BE(68) };
  } finally {
    closeSync(fd);
  }
}

/**
 * Range checks for the numbers on the wire, in both directions. Encoding a value the wire
 * cannot carry is the caller's bug (`InvalidArgumentError`); decoding one is bad input
 * (`FramingError`). Ids are positive safe integers; terms, indexes and offsets are
 * non-negative safe integers.
 */
import { InvalidArgumentError } from '@raft-io/core';
import { FramingError } from './errors.js';

/** Encode side: `value` must be a non-negative safe integer. */
export function checkUint(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new InvalidArgumentError(`${field} must be a non-negative safe integer, got ${String(value)}`);
  }
  return value;
}

/** Encode side: `value` must be a node id, a positive safe integer. */
export function checkId(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new InvalidArgumentError(
      `${field} must be a node id (a positive safe integer), got ${String(value)}`,
    );
  }
  return value;
}

/** Encode side: `value` must be a boolean. */
export function checkBool(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') throw new InvalidArgumentError(`${field} must be a boolean`);
  return value;
}

/** Encode side: `value` must be a Uint8Array (a Buffer is one). */
export function checkBytes(value: unknown, field: string): Uint8Array {
  if (!(value instanceof Uint8Array)) throw new InvalidArgumentError(`${field} must be a Uint8Array`);
  return value;
}

/** Encode side: `value` must be a string. */
export function checkString(value: unknown, field: string): string {
  if (typeof value !== 'string') throw new InvalidArgumentError(`${field} must be a string`);
  return value;
}

/**
 * Decode side: a uint64 field. Our `NumberReader` already refused unsafe values; an absent
 * field shows protobufjs's prototype default (a zero `Long`, or 0), which is zero.
 */
export function readUint(value: unknown): number {
  return typeof value === 'number' ? value : 0;
}

/** Decode side: a node id; zero (absent) or anything else not positive is refused. */
export function readId(value: unknown, field: string): number {
  const id = readUint(value);
  if (id < 1) throw new FramingError('invalid-value', `${field} must be a positive node id`, { field });
  return id;
}

/**
 * Decode side: bytes, copied into a plain `Uint8Array` of their own. protobufjs hands out
 * Buffer views into the frame (or a shared empty Buffer); a copy neither pins the frame's
 * memory for as long as a log keeps the entry nor leaks the Buffer subclass to callers.
 */
export function readBytes(value: Uint8Array | null | undefined): Uint8Array {
  return value == null || value.length === 0 ? new Uint8Array(0) : new Uint8Array(value);
}

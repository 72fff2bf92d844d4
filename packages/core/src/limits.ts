/**
 * Hard limits on values that arrive from the network or the disk. A message or entry past
 * them is malformed and dropped before it changes anything.
 */

/**
 * The highest term a node accepts or reaches. Far below 2^53 - 1 so that `term + 1` is always
 * exact; at one election per millisecond it lasts about 140,000 years, so only a forged
 * message or a bug gets near it. A node at it cannot campaign (`TermExhaustedError`).
 */
export const MAX_TERM = 2 ** 52;

/** The most members (voters, outgoing voters and learners together) a membership may list. */
export const MAX_MEMBERS = 1024;

/**
 * The largest membership entry, encoded (ids, addresses and metadata together). A change or a
 * bootstrap membership past it is refused; an entry past it from the network or the disk is
 * malformed. Far above any real cluster (1,024 members with 256-byte addresses and 700 bytes of
 * metadata each fit), and a quarter of the default frame size, so one always crosses the wire.
 */
export const MAX_MEMBERSHIP_BYTES = 1024 * 1024;

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

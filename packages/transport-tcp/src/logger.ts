/**
 * The logger the transport writes to: core's pino-shaped `Logger`. `NOOP_LOGGER` (the
 * default) is core's `silentLogger`, kept under the name this package has always exported.
 */
import { silentLogger } from '@raft-io/core';

export type { LogFn, Logger } from '@raft-io/core';

/** A logger that discards everything (the default). */
export const NOOP_LOGGER = silentLogger;

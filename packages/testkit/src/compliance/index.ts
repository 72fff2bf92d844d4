/**
 * Compliance suites, one per contract: any `RaftLog` or `RaftTransport` implementation calls
 * the matching function from its own vitest file.
 */
export { type RaftLogFactory, runRaftLogCompliance } from './raft-log-compliance.js';
export { type RaftTransportFactory, runRaftTransportCompliance } from './raft-transport-compliance.js';

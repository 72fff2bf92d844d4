/**
 * Compliance suites, one per contract: any `RaftLog` or `RaftTransport` implementation calls
 * the matching function from its own vitest file.
 */
export {
  type RaftLogComplianceOptions,
  type RaftLogFactory,
  runRaftLogCompliance,
} from './raft-log-compliance.js';
export {
  type RaftTransportCluster,
  type RaftTransportComplianceOptions,
  type RaftTransportFactory,
  runRaftTransportCompliance,
  sampleMessages,
} from './raft-transport-compliance.js';

/** Safety checkers for the Raft properties of Figure 3, run after every step. */
export type { Checker, NodeSnapshot, Report, WriteContext } from './checker.js';
export { ElectionSafety } from './election-safety.js';
export { LeaderAppendOnly } from './leader-append-only.js';
export { LeaderCompleteness } from './leader-completeness.js';
export { LogMatching } from './log-matching.js';
export { defaultCheckers, SafetyMonitor, type SafetyMonitorOptions } from './safety-monitor.js';
export { StateMachineSafety } from './state-machine-safety.js';
export { termAt } from './term-at.js';
export { formatViolation, SAFETY_PROPERTIES, type SafetyProperty, type Violation } from './violation.js';

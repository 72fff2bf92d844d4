/** Linearizability checking of client histories (Wing-Gong/Lowe search, Porcupine-style memoization). */
export { Bitset } from './bitset.js';
export {
  checkKvHistory,
  checkLinearizability,
  type LinearizabilityFailure,
  type LinearizabilityOptions,
  type LinearizabilityResult,
} from './checker.js';
export { type GenerateKvHistoryOptions, generateKvHistory } from './generate.js';
export {
  describeKvOperation,
  HistoryRecorder,
  type KvInput,
  type KvOperation,
  type KvOutput,
  type Operation,
  type Outcome,
} from './history.js';
export { type KvState, kvModel, type Model } from './model.js';

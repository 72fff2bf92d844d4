/** Interaction scripts: scenario transcripts replayed against real nodes (golden-file tests). */
export { formatClusterLine, parseClusterCommand } from './cluster-line.js';
export { type InteractionOptions, runInteraction } from './interaction-env.js';
export { parseScript, type ScriptCommand, type ScriptLine } from './parse-script.js';
export {
  StepCluster,
  type StepClusterOptions,
  type StepClusterSpec,
  type StepMember,
  type StepRaftOptions,
} from './step-cluster.js';

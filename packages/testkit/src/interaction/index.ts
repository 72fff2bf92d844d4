/** Interaction scripts: scenario transcripts replayed against real nodes (golden-file tests). */
export { runInteraction } from './interaction-env.js';
export { parseScript, type ScriptCommand, type ScriptLine } from './parse-script.js';

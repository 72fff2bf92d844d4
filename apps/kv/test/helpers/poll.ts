/**
 * Polling helpers of the end-to-end tests: wait until a check holds (failing with the last
 * lines of the nodes' logs), and a node's `/status` as JSON (null when it does not answer).
 */

/** `until(what, check, timeoutMs?)`: resolves with the first value of `check` that is not undefined or false. */
export type Until = <T>(
  what: string,
  check: () => Promise<T | undefined | false>,
  timeoutMs?: number,
) => Promise<T>;

/**
 * An `until` that polls every `everyMs` for at most `timeoutMs` (the defaults of the file that
 * uses it) and, on a timeout, throws with the last `tail` lines of `logs`.
 */
export function waiter(
  logs: readonly string[],
  defaults: { readonly timeoutMs: number; readonly everyMs: number; readonly tail?: number },
): Until {
  return async (what, check, timeoutMs = defaults.timeoutMs) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await check();
      if (value !== undefined && value !== false) return value;
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for ${what}\n${logs.slice(-(defaults.tail ?? 20)).join('\n')}`);
      await new Promise((r) => setTimeout(r, defaults.everyMs));
    }
  };
}

/** GET `url/status` with `headers`: its JSON body on 200, else (or on any error) null. */
export async function fetchStatusJson<T>(
  url: string,
  headers: Record<string, string> = {},
): Promise<T | null> {
  try {
    const res = await fetch(`${url}/status`, { headers, signal: AbortSignal.timeout(8000) });
    const text = await res.text();
    return res.status === 200 ? (JSON.parse(text) as T) : null;
  } catch {
    return null;
  }
}

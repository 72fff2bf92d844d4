/**
 * The interaction script language: one command per line, `#` starts a comment, blank lines
 * are kept in the transcript. Arguments are words, or double-quoted strings for commands.
 *
 *   cluster N [election=10] [heartbeat=1] [prevote=on] [checkquorum=on] [lease=off] [maxmsg=B] [inflight=K]
 *             [chunk=B] [tail=K] [voters=1,2,3] [learners=4] [seed=S]   (see cluster-line.ts)
 *   load N t1 t2 ... [term=T]  node N restarts on a log holding entries of these terms
 *   campaign N                 node N starts an election now
 *   tick N|all [k]             k ticks (default 1) on node N, or on every live node
 *   deliver [all|A->B]         deliver queued messages: one round, until quiet, or one link
 *   deliver MESSAGE            deliver the first queued message printed as MESSAGE
 *                              (`deliver 1->2 request-vote term=1 last=0/0`)
 *   duplicate MESSAGE          deliver a copy of it; the message stays queued
 *   run K                      K rounds of: one tick on every live node, then deliver all
 *   drop [A->B|MESSAGE]        drop queued messages (all, on one link, or one message)
 *   partition 1 2 | 3          cut every link between the groups (both ways)
 *   cut A->B                   cut one direction of one link
 *   isolate N [except M]       cut N from everyone (but M)
 *   heal                       restore every link
 *   propose N "cmd"            propose a command on node N
 *   read N id                  a linearizable read on node N
 *   transfer N M               leader N hands leadership to M
 *   change N add-voter M ...   leader N changes the membership (pairs of add-voter,
 *                              add-learner or remove and a node; several: joint consensus)
 *   snapshot N                 node N snapshots its state machine at its applied index
 *   crash N / restart N        lose power (unsynced writes gone) / start again on the log
 *   status                     one line per node
 *   log N                      node N's log
 */
import { ScriptError } from '../errors.js';

export interface ScriptCommand {
  /** 1-based line number in the script. */
  readonly line: number;
  /** The line as written (without a trailing comment). */
  readonly text: string;
  readonly name: string;
  readonly args: readonly string[];
}

/** One line as a command, a comment (`#`) or blank (`null`). */
export type ScriptLine =
  | { readonly kind: 'command'; readonly command: ScriptCommand }
  | { readonly kind: 'text'; readonly text: string };

/** Split a script into lines; throws `ScriptError` on an unterminated string. */
export function parseScript(script: string): ScriptLine[] {
  const out: ScriptLine[] = [];
  const lines = script.split('\n');
  if (lines.at(-1) === '') lines.pop();
  lines.forEach((raw, i) => {
    const line = i + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) {
      out.push({ kind: 'text', text: trimmed });
      return;
    }
    const words = tokenize(trimmed, line);
    out.push({ kind: 'command', command: { line, text: trimmed, name: words[0]!, args: words.slice(1) } });
  });
  return out;
}

function tokenize(text: string, line: number): string[] {
  const words: string[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t') {
      i++;
    } else if (c === '#') {
      break;
    } else if (c === '"') {
      const end = text.indexOf('"', i + 1);
      if (end < 0) throw new ScriptError(line, 'unterminated string');
      words.push(text.slice(i + 1, end));
      i = end + 1;
    } else {
      let j = i;
      while (j < text.length && text[j] !== ' ' && text[j] !== '\t') j++;
      words.push(text.slice(i, j));
      i = j;
    }
  }
  return words;
}

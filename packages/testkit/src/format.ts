/**
 * Compact, stable one-line renderings of messages, events and actions, shared by the
 * simulator's trace and the scenario transcripts. Stable means: a change here changes every
 * golden transcript, so add fields, never reorder them casually.
 */
import type { Action, Entry, Event, Message } from '@raft-io/core';

const decoder = new TextDecoder();

/** Command bytes as text when printable, else as hex. */
export function formatBytes(data: Uint8Array, max = 24): string {
  let printable = true;
  for (let i = 0; i < data.length; i++) {
    const b = data[i]!;
    if (b < 0x20 || b > 0x7e) {
      printable = false;
      break;
    }
  }
  if (printable) {
    const text = decoder.decode(data.length > max ? data.subarray(0, max) : data);
    return JSON.stringify(data.length > max ? `${text}…` : text);
  }
  let hex = '';
  for (let i = 0; i < Math.min(data.length, max); i++) hex += data[i]!.toString(16).padStart(2, '0');
  return `0x${hex}${data.length > max ? '…' : ''}`;
}

/** An entry as `index/term` plus its kind and data. */
export function formatEntry(e: Entry): string {
  if (e.type === 'command') return `${e.index}/${e.term} ${formatBytes(e.data)}`;
  if (e.type === 'empty') return `${e.index}/${e.term} empty`;
  return `${e.index}/${e.term} membership`;
}

function formatEntries(entries: readonly Entry[]): string {
  if (entries.length === 0) return '[]';
  return `[${entries.map(formatEntry).join(', ')}]`;
}

/** A message as `from->to type term=T ...fields`. */
export function formatMessage(m: Message): string {
  const head = `${m.from}->${m.to} ${m.type} term=${m.term}`;
  switch (m.type) {
    case 'request-vote':
      return `${head}${m.preVote ? ' pre' : ''}${m.transfer ? ' transfer' : ''} last=${m.lastLogIndex}/${m.lastLogTerm}`;
    case 'request-vote-response':
      return `${head}${m.preVote ? ' pre' : ''} ${m.granted ? 'granted' : 'rejected'}`;
    case 'append-entries':
      return `${head} prev=${m.prevLogIndex}/${m.prevLogTerm} commit=${m.commit} entries=${formatEntries(m.entries)}`;
    case 'append-entries-response':
      return m.success
        ? `${head} ok index=${m.index}`
        : `${head} reject index=${m.index} hint=${m.hintIndex}/${m.hintTerm}`;
    case 'heartbeat':
      return `${head} commit=${m.commit}${m.context ? ` context=${m.context}` : ''}${m.quiesce ? ' quiesce' : ''}`;
    case 'heartbeat-response':
      return `${head}${m.context ? ` context=${m.context}` : ''}`;
    case 'install-snapshot':
      return `${head} snapshot=${m.metadata.index}/${m.metadata.term} offset=${m.offset} bytes=${m.data.length}${m.done ? ' done' : ''}`;
    case 'install-snapshot-response':
      return `${head} snapshot=${m.snapshotIndex} offset=${m.offset}${m.done ? ' done' : ''}${m.reject ? ' reject' : ''}`;
    case 'timeout-now':
      return head;
    case 'read-index':
      return `${head} id=${m.id}`;
    case 'read-index-response':
      return `${head} id=${m.id} index=${m.index}${m.ok ? '' : ' not-ok'}`;
    default:
      return `${head} ${JSON.stringify(m)}`;
  }
}

/** An event fed to `step`, as one line (messages via `formatMessage`). */
export function formatEvent(e: Event): string {
  switch (e.type) {
    case 'tick':
      return 'tick';
    case 'wake':
      return e.leaderUnreachable ? 'wake leader-unreachable' : 'wake';
    case 'message':
      return `recv ${formatMessage(e.message)}`;
    case 'propose':
      return e.command !== undefined
        ? `propose ${formatBytes(e.command)}`
        : `propose [${e.commands.map((c) => formatBytes(c)).join(', ')}]`;
    case 'read':
      return `read id=${e.id}`;
    case 'campaign':
      return 'campaign';
    case 'transfer-leadership':
      return `transfer-leadership to=${e.to}`;
    case 'change-membership':
      return `change-membership ${e.changes.map((c) => `${c.type}:${c.id}`).join(' ')}`;
    case 'snapshot':
      return `snapshot index=${e.index} bytes=${e.data?.length ?? e.bytes}`;
    default:
      return JSON.stringify(e);
  }
}

/** An action returned by `step`, as one line. */
export function formatAction(a: Action): string {
  switch (a.type) {
    case 'send':
      return `send ${formatMessage(a.message)}`;
    case 'apply':
      return `apply ${a.index}/${a.term} ${formatBytes(a.command)}`;
    case 'membership':
      return `membership ${a.index}/${a.term} voters=${a.membership.voters.join(',')}${a.membership.learners.length ? ` learners=${a.membership.learners.join(',')}` : ''}${a.membership.outgoingVoters.length ? ` outgoing=${a.membership.outgoingVoters.join(',')}` : ''}`;
    case 'restore':
      return `restore snapshot=${a.snapshot.metadata.index}/${a.snapshot.metadata.term} bytes=${a.snapshot.metadata.bytes ?? a.snapshot.data.length}`;
    case 'send-snapshot-chunk':
      return `send-snapshot-chunk ${formatMessage(a.message)} length=${a.length}`;
    case 'write-snapshot-chunk':
      return `write-snapshot-chunk snapshot=${a.metadata.index}/${a.metadata.term} offset=${a.offset} bytes=${a.data.length}`;
    case 'accepted':
      return `accepted term=${a.term} index=${a.firstIndex}${a.lastIndex !== a.firstIndex ? `..${a.lastIndex}` : ''}`;
    case 'read-ready':
      return `read-ready id=${a.id} index=${a.index}`;
    case 'read-failed':
      return `read-failed id=${a.id} ${a.error.code}`;
    case 'state-changed':
      return `state ${a.role} term=${a.term} leader=${a.leader ?? 'none'}`;
    default:
      return JSON.stringify(a);
  }
}

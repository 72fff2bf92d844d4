/**
 * `runInteraction`: replays an interaction script against real `RaftNode`s and returns a
 * readable transcript of every message and state change, for golden-file tests (etcd's
 * `testdata/*.txt`, replayed by `interaction_test.go`). Nothing is random: messages wait in
 * one queue until the script delivers them, and each node's PRNG seed is derived from its id.
 *
 * The driver keeps the contract: a step's writes are synced before its sends and applies are
 * carried out, so a `crash` loses nothing a peer has seen. Each node's state machine is the
 * list of commands it applied; `snapshot` stores that list.
 */
import {
  type Action,
  type Event,
  type Message,
  type NodeId,
  needsDurableLog,
  type RaftConfig,
  RaftNode,
} from '@raft-io/core';
import { DurableMemoryLog } from '../durable-memory-log.js';
import { ScriptError } from '../errors.js';
import { formatAction, formatEntry, formatMessage } from '../format.js';
import { isRaftError } from '../raft-error.js';
import { parseScript, type ScriptCommand } from './parse-script.js';

interface Member {
  readonly id: NodeId;
  log: DurableMemoryLog;
  node: RaftNode | null;
  /** The state machine: applied commands, as text. */
  applied: string[];
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();
/** `deliver all` stops after this many rounds (a livelock would otherwise never end). */
const MAX_ROUNDS = 100;

class InteractionEnv {
  private members = new Map<NodeId, Member>();
  private ids: NodeId[] = [];
  private config: Omit<RaftConfig, 'id' | 'voters'> = {};
  private queue: Message[] = [];
  private readonly cut = new Set<string>();
  private out: string[] = [];

  run(script: string): string {
    for (const line of parseScript(script)) {
      if (line.kind === 'text') {
        this.out.push(line.text);
        continue;
      }
      this.out.push(`> ${line.command.text}`);
      this.exec(line.command);
    }
    return `${this.out.join('\n')}\n`;
  }

  private exec(c: ScriptCommand): void {
    if (c.name !== 'cluster' && this.ids.length === 0)
      throw new ScriptError(c.line, 'the script must start with `cluster N`');
    switch (c.name) {
      case 'cluster':
        this.cluster(c);
        return;
      case 'campaign':
        this.stepAndPrint(this.nodeArg(c, 0), { type: 'campaign' });
        return;
      case 'tick':
        this.tick(c);
        return;
      case 'run':
        this.run_(c);
        return;
      case 'deliver':
        this.deliver(c);
        return;
      case 'drop':
        this.drop(c);
        return;
      case 'partition':
        this.partition(c);
        return;
      case 'cut': {
        const [from, to] = this.linkArg(c, 0);
        this.cut.add(`${from}>${to}`);
        return;
      }
      case 'isolate':
        this.isolate(c);
        return;
      case 'heal':
        this.cut.clear();
        return;
      case 'propose':
        this.stepAndPrint(this.nodeArg(c, 0), {
          type: 'propose',
          command: encoder.encode(this.arg(c, 1)),
        });
        return;
      case 'read':
        this.stepAndPrint(this.nodeArg(c, 0), { type: 'read', id: this.arg(c, 1) });
        return;
      case 'transfer':
        this.stepAndPrint(this.nodeArg(c, 0), { type: 'transfer-leadership', to: this.nodeArg(c, 1) });
        return;
      case 'snapshot': {
        const m = this.member(c, this.nodeArg(c, 0));
        const node = this.running(c, m);
        this.stepAndPrint(m.id, {
          type: 'snapshot',
          index: node.appliedIndex(),
          data: encoder.encode(JSON.stringify(m.applied)),
        });
        return;
      }
      case 'crash': {
        const m = this.member(c, this.nodeArg(c, 0));
        this.running(c, m);
        m.log.crash();
        m.node = null;
        m.applied = [];
        this.out.push(
          `  n${m.id} crashed (durable: term=${m.log.hardState().term} last=${m.log.lastIndex()})`,
        );
        return;
      }
      case 'restart': {
        const m = this.member(c, this.nodeArg(c, 0));
        if (m.node !== null) throw new ScriptError(c.line, `node ${m.id} is running`);
        m.node = this.newNode(m);
        this.out.push(`  n${m.id} restarted: ${this.statusLine(m)}`);
        return;
      }
      case 'status':
        for (const m of this.members.values()) this.out.push(`  ${this.statusLine(m)}`);
        return;
      case 'log':
        this.printLog(this.member(c, this.nodeArg(c, 0)));
        return;
      case 'load':
        this.load(c);
        return;
      default:
        throw new ScriptError(c.line, `unknown command "${c.name}"`);
    }
  }

  private cluster(c: ScriptCommand): void {
    if (this.ids.length > 0) throw new ScriptError(c.line, 'cluster given twice');
    const n = Number(this.arg(c, 0));
    if (!Number.isInteger(n) || n < 1) throw new ScriptError(c.line, 'cluster needs a node count');
    const config: Record<string, number | boolean> = {};
    const keys: Record<string, string> = {
      election: 'electionTick',
      heartbeat: 'heartbeatTick',
      prevote: 'preVote',
      checkquorum: 'checkQuorum',
      lease: 'leaseRead',
      maxmsg: 'maxSizePerMsg',
      inflight: 'maxInflightMsgs',
    };
    for (const kv of c.args.slice(1)) {
      const [k, v] = kv.split('=');
      const key = keys[k ?? ''];
      if (key === undefined || v === undefined) throw new ScriptError(c.line, `unknown option "${kv}"`);
      config[key] = v === 'on' ? true : v === 'off' ? false : Number(v);
    }
    this.config = config;
    this.ids = Array.from({ length: n }, (_, i) => i + 1);
    for (const id of this.ids) {
      const m: Member = { id, log: new DurableMemoryLog(), node: null, applied: [] };
      m.node = this.newNode(m);
      this.members.set(id, m);
    }
  }

  private newNode(m: Member): RaftNode {
    return new RaftNode({ ...this.config, id: m.id, voters: this.ids, seed: m.id * 7919 }, m.log);
  }

  /** `load N t1 t2 ... [term=T]`: node N restarts on a log of entries with these terms. */
  private load(c: ScriptCommand): void {
    const m = this.member(c, this.nodeArg(c, 0));
    const terms: number[] = [];
    let term = 0;
    for (const a of c.args.slice(1)) {
      if (a.startsWith('term=')) term = Number(a.slice(5));
      else terms.push(Number(a));
    }
    if (terms.some((t) => !Number.isInteger(t) || t < 1) || !Number.isInteger(term)) {
      throw new ScriptError(c.line, 'load N t1 t2 ... [term=T]: terms are positive integers');
    }
    const log = new DurableMemoryLog();
    log.write({
      hardState: { term: Math.max(term, ...terms, 0), vote: null, commit: 0 },
      entries: terms.map((t, i) => ({
        index: i + 1,
        term: t,
        type: 'command',
        data: encoder.encode(`e${i + 1}t${t}`),
      })),
    });
    log.sync();
    this.queue = this.queue.filter((msg) => msg.to !== m.id);
    m.log = log;
    m.applied = [];
    m.node = this.newNode(m);
    this.out.push(`  ${this.statusLine(m)}`);
  }

  private tick(c: ScriptCommand): void {
    const who = this.arg(c, 0);
    const k = c.args[1] === undefined ? 1 : Number(c.args[1]);
    if (!Number.isInteger(k) || k < 1) throw new ScriptError(c.line, 'tick count must be a positive integer');
    const ids = who === 'all' ? this.ids : [this.nodeArg(c, 0)];
    for (let i = 0; i < k; i++) {
      for (const id of ids) {
        const m = this.members.get(id)!;
        if (m.node === null) {
          if (who !== 'all') throw new ScriptError(c.line, `node ${id} is crashed`);
          continue;
        }
        this.stepAndPrint(id, { type: 'tick' }, k > 1 ? `tick ${i + 1}: ` : '');
      }
    }
  }

  /** `run K`: K rounds of one tick on every live node, then delivery until quiet. */
  private run_(c: ScriptCommand): void {
    const k = Number(this.arg(c, 0));
    if (!Number.isInteger(k) || k < 1) throw new ScriptError(c.line, 'run needs a positive round count');
    for (let round = 1; round <= k; round++) {
      for (const id of this.ids) {
        if (this.members.get(id)!.node !== null) this.stepAndPrint(id, { type: 'tick' }, `round ${round}: `);
      }
      this.deliver({ ...c, args: ['all'] });
    }
  }

  private deliver(c: ScriptCommand): void {
    const what = c.args[0];
    if (what === 'all') {
      for (let round = 0; this.queue.length > 0; round++) {
        if (round === MAX_ROUNDS) {
          this.out.push(`  (stopped after ${MAX_ROUNDS} rounds; ${this.queue.length} messages still queued)`);
          return;
        }
        this.deliverRound(() => true);
      }
      return;
    }
    if (what === undefined) {
      this.deliverRound(() => true);
      return;
    }
    const [from, to] = this.linkArg(c, 0);
    this.deliverRound((m) => m.from === from && m.to === to);
  }

  /** Deliver the queued messages `pick` selects, once; what they cause waits in the queue. */
  private deliverRound(pick: (m: Message) => boolean): void {
    const now = this.queue.filter(pick);
    this.queue = this.queue.filter((m) => !pick(m));
    for (const m of now) {
      const target = this.members.get(m.to);
      if (this.cut.has(`${m.from}>${m.to}`)) {
        this.out.push(`${formatMessage(m)}  [dropped: link cut]`);
        continue;
      }
      if (target?.node == null) {
        this.out.push(`${formatMessage(m)}  [dropped: n${m.to} is down]`);
        continue;
      }
      this.out.push(formatMessage(m));
      this.stepAndPrint(m.to, { type: 'message', message: m });
    }
  }

  private drop(c: ScriptCommand): void {
    if (c.args.length === 0) {
      this.out.push(`  dropped ${this.queue.length} messages`);
      this.queue = [];
      return;
    }
    const [from, to] = this.linkArg(c, 0);
    const before = this.queue.length;
    this.queue = this.queue.filter((m) => !(m.from === from && m.to === to));
    this.out.push(`  dropped ${before - this.queue.length} messages`);
  }

  private partition(c: ScriptCommand): void {
    const groups: NodeId[][] = [[]];
    for (const a of c.args) {
      if (a === '|') groups.push([]);
      else groups.at(-1)!.push(this.parseNode(c, a));
    }
    for (let i = 0; i < groups.length; i++) {
      for (let j = i + 1; j < groups.length; j++) {
        for (const a of groups[i]!) {
          for (const b of groups[j]!) {
            this.cut.add(`${a}>${b}`);
            this.cut.add(`${b}>${a}`);
          }
        }
      }
    }
  }

  private isolate(c: ScriptCommand): void {
    const id = this.nodeArg(c, 0);
    const except = c.args[1] === 'except' ? this.nodeArg(c, 2) : null;
    for (const other of this.ids) {
      if (other === id || other === except) continue;
      this.cut.add(`${id}>${other}`);
      this.cut.add(`${other}>${id}`);
    }
  }

  /** Step `id`, sync, carry out and print the actions. */
  private stepAndPrint(id: NodeId, event: Event, prefix = ''): void {
    const m = this.members.get(id)!;
    const node = m.node;
    if (node === null) {
      this.out.push(`  n${id} is down`);
      return;
    }
    let actions: Action[];
    try {
      actions = node.step(event);
    } catch (err) {
      if (!isRaftError(err)) throw err;
      this.out.push(`  n${id}: ${prefix}error ${err.code}: ${err.message}`);
      return;
    }
    if (actions.some(needsDurableLog)) m.log.sync();
    for (const a of actions) {
      this.out.push(`  n${id}: ${prefix}${formatAction(a)}`);
      if (a.type === 'send') this.queue.push(a.message);
      else if (a.type === 'apply') m.applied.push(decoder.decode(a.command));
      else if (a.type === 'restore') {
        const data = decoder.decode(a.snapshot.data);
        m.applied = data === '' ? [] : (JSON.parse(data) as string[]);
      }
    }
  }

  private statusLine(m: Member): string {
    const n = m.node;
    if (n === null)
      return `n${m.id}: down (durable term=${m.log.hardState().term} last=${m.log.lastIndex()})`;
    const s = n.status();
    return `n${m.id}: ${s.role} term=${s.term} vote=${s.vote ?? 'none'} leader=${s.leader ?? 'none'} commit=${s.commitIndex} applied=${s.appliedIndex} log=${s.firstIndex}..${s.lastIndex} sm=[${m.applied.join(', ')}]`;
  }

  private printLog(m: Member): void {
    const log = m.log;
    const first = log.firstIndex();
    const last = log.lastIndex();
    const snap = log.snapshotMetadata();
    if (snap) this.out.push(`  n${m.id} snapshot ${snap.index}/${snap.term}`);
    if (last < first) {
      this.out.push(`  n${m.id} log empty`);
      return;
    }
    for (const e of log.entries(first, last + 1)) this.out.push(`  n${m.id} ${formatEntry(e)}`);
  }

  private arg(c: ScriptCommand, i: number): string {
    const a = c.args[i];
    if (a === undefined) throw new ScriptError(c.line, `${c.name}: missing argument ${i + 1}`);
    return a;
  }

  private parseNode(c: ScriptCommand, a: string): NodeId {
    const id = Number(a);
    if (!this.members.has(id)) throw new ScriptError(c.line, `no node ${a}`);
    return id;
  }

  private nodeArg(c: ScriptCommand, i: number): NodeId {
    return this.parseNode(c, this.arg(c, i));
  }

  private linkArg(c: ScriptCommand, i: number): [NodeId, NodeId] {
    const parts = this.arg(c, i).split('->');
    if (parts.length !== 2) throw new ScriptError(c.line, `expected A->B, got "${c.args[i]}"`);
    return [this.parseNode(c, parts[0]!), this.parseNode(c, parts[1]!)];
  }

  private member(c: ScriptCommand, id: NodeId): Member {
    const m = this.members.get(id);
    if (m === undefined) throw new ScriptError(c.line, `no node ${id}`);
    return m;
  }

  private running(c: ScriptCommand, m: Member): RaftNode {
    if (m.node === null) throw new ScriptError(c.line, `node ${m.id} is crashed`);
    return m.node;
  }
}

/** Replay `script` and return its transcript. Throws `ScriptError` on a malformed line. */
export function runInteraction(script: string): string {
  return new InteractionEnv().run(script);
}

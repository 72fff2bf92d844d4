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
import type { Event, MembershipChange, Message, NodeId } from '@raft-io/core';
import { CowLog } from '../check/cow-log.js';
import { type CoreModule, type CoreNode, errorCode } from '../core-module.js';
import { ScriptError } from '../errors.js';
import { formatAction, formatEntry, formatMessage } from '../format.js';
import { parseClusterCommand } from './cluster-line.js';
import { parseScript, type ScriptCommand } from './parse-script.js';
import { StepCluster, type StepMember } from './step-cluster.js';

/** Options of `runInteraction`. */
export interface InteractionOptions {
  /** The core to run the script against. Default: the installed `@raft-io/core`. */
  readonly core?: CoreModule;
}

const encoder = new TextEncoder();
/** `deliver all` stops after this many rounds (a livelock would otherwise never end). */
const MAX_ROUNDS = 100;

class InteractionEnv {
  private cluster_: StepCluster | null = null;
  private readonly cut = new Set<string>();
  private out: string[] = [];

  constructor(private readonly options: InteractionOptions) {}

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

  private get cluster(): StepCluster {
    return this.cluster_!;
  }

  private exec(c: ScriptCommand): void {
    if (c.name !== 'cluster' && this.cluster_ === null)
      throw new ScriptError(c.line, 'the script must start with `cluster N`');
    switch (c.name) {
      case 'cluster':
        this.makeCluster(c);
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
      case 'duplicate':
        this.duplicate(c);
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
      case 'change':
        this.stepAndPrint(this.nodeArg(c, 0), { type: 'change-membership', changes: this.changesArg(c) });
        return;
      case 'snapshot': {
        const m = this.member(c, this.nodeArg(c, 0));
        this.running(c, m);
        this.stepAndPrint(m.id, this.cluster.snapshotEvent(m.id));
        return;
      }
      case 'crash': {
        const m = this.member(c, this.nodeArg(c, 0));
        this.running(c, m);
        this.cluster.crash(m.id);
        this.out.push(
          `  n${m.id} crashed (durable: term=${m.log.hardState().term} last=${m.log.lastIndex()})`,
        );
        return;
      }
      case 'restart': {
        const m = this.member(c, this.nodeArg(c, 0));
        if (m.node !== null) throw new ScriptError(c.line, `node ${m.id} is running`);
        this.cluster.restart(m.id);
        this.out.push(`  n${m.id} restarted: ${this.statusLine(m)}`);
        return;
      }
      case 'status':
        for (const m of this.cluster.members) this.out.push(`  ${this.statusLine(m)}`);
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

  private makeCluster(c: ScriptCommand): void {
    if (this.cluster_ !== null) throw new ScriptError(c.line, 'cluster given twice');
    this.arg(c, 0);
    this.cluster_ = new StepCluster({
      ...parseClusterCommand(c),
      ...(this.options.core ? { core: this.options.core } : {}),
    });
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
    const log = new CowLog();
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
    this.cluster.replaceLog(m.id, log);
    this.out.push(`  ${this.statusLine(m)}`);
  }

  private tick(c: ScriptCommand): void {
    const who = this.arg(c, 0);
    const k = c.args[1] === undefined ? 1 : Number(c.args[1]);
    if (!Number.isInteger(k) || k < 1) throw new ScriptError(c.line, 'tick count must be a positive integer');
    const ids = who === 'all' ? this.cluster.ids : [this.nodeArg(c, 0)];
    for (let i = 0; i < k; i++) {
      for (const id of ids) {
        const m = this.cluster.member(id);
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
      for (const id of this.cluster.ids) {
        if (this.cluster.member(id).node !== null)
          this.stepAndPrint(id, { type: 'tick' }, `round ${round}: `);
      }
      this.deliver({ ...c, args: ['all'] });
    }
  }

  private deliver(c: ScriptCommand): void {
    const what = c.args[0];
    if (what === 'all') {
      for (let round = 0; this.cluster.queue.length > 0; round++) {
        if (round === MAX_ROUNDS) {
          this.out.push(
            `  (stopped after ${MAX_ROUNDS} rounds; ${this.cluster.queue.length} messages still queued)`,
          );
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
    if (c.args.length > 1) {
      this.deliverOne(this.takeMessage(c, messageText(c)));
      return;
    }
    const [from, to] = this.linkArg(c, 0);
    this.deliverRound((m) => m.from === from && m.to === to);
  }

  /** `duplicate MSG`: deliver a copy of that queued message; the original stays queued. */
  private duplicate(c: ScriptCommand): void {
    const text = messageText(c);
    const m = this.cluster.queue.find((q) => formatMessage(q) === text);
    if (m === undefined) throw new ScriptError(c.line, `no queued message "${text}"`);
    this.deliverOne(m);
  }

  /** Remove and return the first queued message whose `formatMessage` text is `text`. */
  private takeMessage(c: ScriptCommand, text: string): Message {
    const q = this.cluster.queue;
    const i = q.findIndex((m) => formatMessage(m) === text);
    if (i < 0) throw new ScriptError(c.line, `no queued message "${text}"`);
    return q.splice(i, 1)[0]!;
  }

  /** Deliver the queued messages `pick` selects, once; what they cause waits in the queue. */
  private deliverRound(pick: (m: Message) => boolean): void {
    const now = this.cluster.queue.filter(pick);
    this.cluster.queue = this.cluster.queue.filter((m) => !pick(m));
    for (const m of now) this.deliverOne(m);
  }

  private deliverOne(m: Message): void {
    if (this.cut.has(`${m.from}>${m.to}`)) {
      this.out.push(`${formatMessage(m)}  [dropped: link cut]`);
      return;
    }
    if (!this.cluster.has(m.to) || this.cluster.member(m.to).node === null) {
      this.out.push(`${formatMessage(m)}  [dropped: n${m.to} is down]`);
      return;
    }
    this.out.push(formatMessage(m));
    this.stepAndPrint(m.to, { type: 'message', message: m });
  }

  private drop(c: ScriptCommand): void {
    if (c.args.length === 0) {
      this.out.push(`  dropped ${this.cluster.queue.length} messages`);
      this.cluster.queue = [];
      return;
    }
    if (c.args.length > 1) {
      this.takeMessage(c, messageText(c));
      this.out.push('  dropped 1 messages');
      return;
    }
    const [from, to] = this.linkArg(c, 0);
    const before = this.cluster.queue.length;
    this.cluster.queue = this.cluster.queue.filter((m) => !(m.from === from && m.to === to));
    this.out.push(`  dropped ${before - this.cluster.queue.length} messages`);
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
    for (const other of this.cluster.ids) {
      if (other === id || other === except) continue;
      this.cut.add(`${id}>${other}`);
      this.cut.add(`${other}>${id}`);
    }
  }

  /** Step `id` (the cluster syncs and carries out the actions), then print the actions. */
  private stepAndPrint(id: NodeId, event: Event, prefix = ''): void {
    const m = this.cluster.member(id);
    if (m.node === null) {
      this.out.push(`  n${id} is down`);
      return;
    }
    let actions: ReturnType<StepCluster['step']>;
    try {
      actions = this.cluster.step(id, event);
    } catch (err) {
      const code = errorCode(err);
      if (code === null) throw err;
      this.out.push(`  n${id}: ${prefix}error ${code}: ${(err as Error).message}`);
      return;
    }
    for (const a of actions) this.out.push(`  n${id}: ${prefix}${formatAction(a)}`);
  }

  private statusLine(m: StepMember): string {
    const n = m.node;
    if (n === null)
      return `n${m.id}: down (durable term=${m.log.hardState().term} last=${m.log.lastIndex()})`;
    const s = n.status();
    return `n${m.id}: ${s.role} term=${s.term} vote=${s.vote ?? 'none'} leader=${s.leader ?? 'none'} commit=${s.commitIndex} applied=${s.appliedIndex} log=${s.firstIndex}..${s.lastIndex} sm=[${m.applied.join(', ')}]`;
  }

  private printLog(m: StepMember): void {
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
    if (!this.cluster.has(id)) throw new ScriptError(c.line, `no node ${a}`);
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

  /** `change N add-voter 4 remove 2 ...`: the pairs after the node. */
  private changesArg(c: ScriptCommand): MembershipChange[] {
    const rest = c.args.slice(1);
    if (rest.length === 0 || rest.length % 2 !== 0)
      throw new ScriptError(c.line, 'change N (add-voter|add-learner|remove) M ...');
    const changes: MembershipChange[] = [];
    for (let i = 0; i < rest.length; i += 2) {
      const type = rest[i]!;
      if (type !== 'add-voter' && type !== 'add-learner' && type !== 'remove')
        throw new ScriptError(c.line, `unknown membership change "${type}"`);
      changes.push({ type, id: this.parseNode(c, rest[i + 1]!) });
    }
    return changes;
  }

  private member(c: ScriptCommand, id: NodeId): StepMember {
    if (!this.cluster.has(id)) throw new ScriptError(c.line, `no node ${id}`);
    return this.cluster.member(id);
  }

  private running(c: ScriptCommand, m: StepMember): CoreNode {
    if (m.node === null) throw new ScriptError(c.line, `node ${m.id} is crashed`);
    return m.node;
  }
}

/**
 * The message a `deliver`, `duplicate` or `drop` line names: the rest of the line, exactly
 * as `formatMessage` prints it (`deliver 1->2 heartbeat term=1 commit=0`), as opposed to a
 * bare link (`deliver 1->2`).
 */
export function messageText(c: ScriptCommand): string {
  return c.text.slice(c.name.length).trim();
}

/** Replay `script` and return its transcript. Throws `ScriptError` on a malformed line. */
export function runInteraction(script: string, options: InteractionOptions = {}): string {
  return new InteractionEnv(options).run(script);
}

/**
 * `SafetyMonitor`: runs a set of checkers (by default the five Figure 3 properties) on the
 * hooks a driver calls, stamps each violation with the seed, step and time, and keeps them.
 */
import type { ApplyAction, LogWrite, NodeId, RaftLog, RestoreAction } from '@raft-io/core';
import type { Checker, NodeSnapshot, Report, WriteContext } from './checker.js';
import { ElectionSafety } from './election-safety.js';
import { LeaderAppendOnly } from './leader-append-only.js';
import { LeaderCompleteness } from './leader-completeness.js';
import { LogMatching } from './log-matching.js';
import { StateMachineSafety } from './state-machine-safety.js';
import type { SafetyProperty, Violation } from './violation.js';

export interface SafetyMonitorOptions {
  /** The seed stamped on violations. Default 0. */
  readonly seed?: number;
  /** The checkers to run. Default: one of each of the five Figure 3 checkers. */
  readonly checkers?: readonly Checker[];
  /** Stop recording after this many violations (the first ones matter). Default 100. */
  readonly maxViolations?: number;
  /** Called with each violation as it is found. */
  readonly onViolation?: (violation: Violation) => void;
}

/** One of each Figure 3 checker. */
export function defaultCheckers(): Checker[] {
  return [
    new ElectionSafety(),
    new LeaderAppendOnly(),
    new LogMatching(),
    new LeaderCompleteness(),
    new StateMachineSafety(),
  ];
}

export class SafetyMonitor {
  readonly violations: Violation[] = [];
  readonly checkers: readonly Checker[];
  /** The driver's step counter, stamped on violations. */
  step = 0;
  /** The driver's virtual time, stamped on violations. */
  time = 0;
  private readonly seed: number;
  private readonly maxViolations: number;
  private readonly onViolation: ((v: Violation) => void) | undefined;
  private readonly reports: Report[];

  constructor(options: SafetyMonitorOptions = {}) {
    this.seed = options.seed ?? 0;
    this.maxViolations = options.maxViolations ?? 100;
    this.onViolation = options.onViolation;
    this.checkers = options.checkers ?? defaultCheckers();
    this.reports = this.checkers.map(
      (c) => (detail: string, node?: NodeId, property?: SafetyProperty) =>
        this.report(property ?? c.property, detail, node),
    );
  }

  /** Record a violation of `property` (checkers do this through their `Report`). */
  report(property: SafetyProperty, detail: string, node?: NodeId): void {
    if (this.violations.length >= this.maxViolations) return;
    const v: Violation = {
      property,
      seed: this.seed,
      step: this.step,
      time: this.time,
      ...(node === undefined ? {} : { node }),
      detail,
    };
    this.violations.push(v);
    this.onViolation?.(v);
  }

  get ok(): boolean {
    return this.violations.length === 0;
  }

  beginStep(node: NodeId, before: NodeSnapshot, log: RaftLog): void {
    for (const c of this.checkers) c.beginStep?.(node, before, log);
  }

  onWrite(node: NodeId, write: LogWrite, log: RaftLog, prior: WriteContext): void {
    for (let i = 0; i < this.checkers.length; i++)
      this.checkers[i]!.onWrite?.(node, write, log, prior, this.reports[i]!);
  }

  endStep(node: NodeId, after: NodeSnapshot, log: RaftLog): void {
    for (let i = 0; i < this.checkers.length; i++)
      this.checkers[i]!.endStep?.(node, after, log, this.reports[i]!);
  }

  onApply(node: NodeId, incarnation: number, action: ApplyAction): void {
    for (let i = 0; i < this.checkers.length; i++)
      this.checkers[i]!.onApply?.(node, incarnation, action, this.reports[i]!);
  }

  onRestore(node: NodeId, incarnation: number, action: RestoreAction): void {
    for (let i = 0; i < this.checkers.length; i++) {
      this.checkers[i]!.onRestore?.(node, incarnation, action, this.reports[i]!);
    }
  }

  onCrash(node: NodeId): void {
    for (const c of this.checkers) c.onCrash?.(node);
  }

  onRestart(node: NodeId, incarnation: number, log: RaftLog): void {
    for (let i = 0; i < this.checkers.length; i++)
      this.checkers[i]!.onRestart?.(node, incarnation, log, this.reports[i]!);
  }
}

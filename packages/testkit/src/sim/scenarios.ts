/**
 * Named fault mixes. A scenario says what goes wrong during the fault phase and how often;
 * rates are per tick (per node for node faults), durations are in ticks, and each fault ends
 * by itself. After the fault phase every scenario heals everything and checks liveness.
 */
import { SimulationError } from '../errors.js';
import type { NetworkFaults } from '../network/sim-network.js';
import type { WorkloadOptions } from './workload.js';

/**
 * Partition shapes: `split` (two sides, both ways), `one-way` (a node that cannot hear or
 * cannot be heard: the asymmetric partition), `isolate` (one node alone), `partial` (a node
 * that reaches only one peer), `bridge` (two sides that only one node connects).
 */
export type PartitionKind =
  | 'split'
  | 'one-way'
  | 'isolate'
  | 'partial'
  | 'bridge'
  | 'leader-with-newest'
  | 'old-leader-with-newest';

export interface FaultProfile {
  /** The network's fault mix during the fault phase (calm fields where left out). */
  readonly network: Partial<NetworkFaults>;
  /** Per-tick probability that a partition starts when none is active. */
  readonly partitionRate: number;
  /** The partition shapes drawn from. */
  readonly partitionKinds: readonly PartitionKind[];
  /** How long a partition lasts, in ticks [min, max]. */
  readonly partitionTicks: readonly [number, number];
  /** Per-tick, per-node probability that a running node crashes. */
  readonly crashRate: number;
  /** How long a crashed node stays down, in ticks [min, max]. */
  readonly downTicks: readonly [number, number];
  /** Probability that a crash strikes between a step and its sync (see `ClusterOptions.syncCrash`). */
  readonly syncCrash: number;
  /** Per-tick, per-node probability that a running node pauses (half the time it is the leader). */
  readonly pauseRate: number;
  /** How long a pause lasts, in ticks [min, max]. */
  readonly pauseTicks: readonly [number, number];
  /** Per-tick probability that the leader is asked to transfer leadership to a random voter. */
  readonly transferRate: number;
  /**
   * Per-tick probability that the leader is asked to change the membership: demote a voter
   * to learner or promote a learner back (sometimes both at once, through joint consensus).
   * The set of nodes stays the same, so every node keeps being checked.
   */
  readonly membershipRate: number;
  /** A node snapshots its state machine every this many applied commands; 0: never. */
  readonly snapshotEvery: number;
  /**
   * Nodes left out of the initial membership (spares that a membership change may add; the
   * others are the initial voters). Implies membership changes that add and remove members.
   */
  readonly spareNodes: number;
  /**
   * Probability that a newly elected leader is asked for a membership change at once, in
   * the step after the one that elected it: before its term has committed anything.
   */
  readonly membershipOnElection: number;
  /**
   * Probability that adding a member cuts the leader and the new member off from the rest
   * at once, before the change reaches anyone else (a `leader-with-newest` partition).
   */
  readonly partitionOnAdd: number;
  /**
   * Probability that a change asked of a newly elected leader is followed at once by a
   * partition that keeps the leader with just a majority of its new membership and puts
   * everyone else (the old leader, the member added last) on the other side, before the
   * change reaches them: two memberships may then each have a majority.
   */
  readonly partitionOnElectionChange: number;
}

export interface Scenario {
  readonly name: string;
  readonly description: string;
  readonly faults: FaultProfile;
  /** The client workload this scenario runs by default (the simulation's option wins). */
  readonly workload?: WorkloadOptions;
}

const NONE: FaultProfile = {
  network: {},
  partitionRate: 0,
  partitionKinds: [],
  partitionTicks: [10, 100],
  crashRate: 0,
  downTicks: [5, 100],
  syncCrash: 0,
  pauseRate: 0,
  pauseTicks: [5, 60],
  transferRate: 0,
  membershipRate: 0,
  snapshotEvery: 0,
  spareNodes: 0,
  membershipOnElection: 0,
  partitionOnAdd: 0,
  partitionOnElectionChange: 0,
};

function scenario(
  name: string,
  description: string,
  faults: Partial<FaultProfile>,
  workload?: WorkloadOptions,
): Scenario {
  return Object.freeze({
    name,
    description,
    faults: Object.freeze({ ...NONE, ...faults }),
    ...(workload ? { workload: Object.freeze({ ...workload }) } : {}),
  });
}

export const SCENARIOS: Readonly<Record<string, Scenario>> = Object.freeze({
  calm: scenario(
    'calm',
    'no faults: a steady network (1-5 units per message) and snapshots every 50 commands',
    {
      snapshotEvery: 50,
    },
  ),
  loss: scenario('loss', '20% message loss, 5% duplication, delays of 1-10 units (some reordering)', {
    network: { loss: 0.2, duplicate: 0.05, minDelay: 1, maxDelay: 10 },
    snapshotEvery: 40,
  }),
  delay: scenario(
    'delay',
    'delays of 1-30 units and 10% of messages held back up to 20 more ticks: heavy reordering',
    {
      network: { minDelay: 1, maxDelay: 30, slow: 0.1, slowDelay: 200, duplicate: 0.02 },
      snapshotEvery: 40,
    },
  ),
  partition: scenario('partition', 'splits, one-way cuts, isolated nodes and bridges of 10-200 ticks', {
    network: { loss: 0.01, maxDelay: 8 },
    partitionRate: 0.03,
    partitionKinds: ['split', 'one-way', 'isolate', 'bridge'],
    partitionTicks: [10, 200],
    snapshotEvery: 30,
  }),
  'partial-partition': scenario(
    'partial-partition',
    'one node reaches only one peer (and through it hears of the rest) for 20-300 ticks',
    { partitionRate: 0.04, partitionKinds: ['partial'], partitionTicks: [20, 300], snapshotEvery: 40 },
  ),
  crash: scenario(
    'crash',
    'nodes crash (losing unsynced writes, sometimes between a step and its sync) and restart after 5-100 ticks',
    { crashRate: 0.004, downTicks: [5, 100], syncCrash: 0.003, snapshotEvery: 20 },
  ),
  pause: scenario('pause', 'nodes (often the leader) stop for 5-80 ticks, then process their backlog', {
    pauseRate: 0.004,
    pauseTicks: [5, 80],
    network: { maxDelay: 8 },
    snapshotEvery: 40,
  }),
  snapshot: scenario(
    'snapshot',
    'snapshots every 5 commands while nodes are isolated or crash: followers catch up by install-snapshot',
    {
      partitionRate: 0.03,
      partitionKinds: ['isolate', 'partial'],
      partitionTicks: [20, 120],
      crashRate: 0.002,
      downTicks: [10, 80],
      snapshotEvery: 5,
    },
  ),
  membership: scenario(
    'membership',
    'voters demoted to learners and promoted back (the leader too; sometimes joint) under loss, partitions and crashes',
    {
      network: { loss: 0.05, duplicate: 0.02, minDelay: 1, maxDelay: 10 },
      partitionRate: 0.01,
      partitionKinds: ['split', 'isolate', 'partial'],
      partitionTicks: [10, 100],
      crashRate: 0.001,
      downTicks: [5, 60],
      membershipRate: 0.02,
      snapshotEvery: 20,
    },
  ),
  reconfig: scenario(
    'reconfig',
    'members added (spares), removed (the leader too), promoted and demoted, often right after an election, while the old leader and the newest member are cut off together; reads throughout',
    {
      network: { loss: 0.03, duplicate: 0.02, minDelay: 1, maxDelay: 12 },
      partitionRate: 0.04,
      partitionKinds: [
        'leader-with-newest',
        'old-leader-with-newest',
        'old-leader-with-newest',
        'split',
        'isolate',
      ],
      partitionTicks: [10, 80],
      crashRate: 0.001,
      downTicks: [5, 40],
      transferRate: 0.003,
      membershipRate: 0.03,
      membershipOnElection: 0.7,
      partitionOnAdd: 0.5,
      partitionOnElectionChange: 0.5,
      spareNodes: 1,
      snapshotEvery: 25,
    },
    // Fewer writes: a new leader then often has no uncommitted tail, the moment where a
    // change before the term's first commit is most tempting to allow.
    { rate: 0.15 },
  ),
  chaos: scenario(
    'chaos',
    'everything at once: loss, duplication, reordering, partitions, crashes, pauses, transfers, membership changes',
    {
      network: { loss: 0.05, duplicate: 0.03, minDelay: 1, maxDelay: 15, slow: 0.03, slowDelay: 100 },
      partitionRate: 0.02,
      partitionKinds: ['split', 'one-way', 'isolate', 'partial', 'bridge'],
      partitionTicks: [10, 150],
      crashRate: 0.002,
      downTicks: [5, 80],
      syncCrash: 0.002,
      pauseRate: 0.002,
      pauseTicks: [5, 50],
      transferRate: 0.005,
      membershipRate: 0.003,
      snapshotEvery: 15,
    },
  ),
});

/** Scenario names, in the order `mixed` runs pick from. */
export const SCENARIO_NAMES: readonly string[] = Object.freeze(Object.keys(SCENARIOS));

/** The scenario called `name`; throws `SimulationError` listing the known ones. */
export function getScenario(name: string): Scenario {
  const s = SCENARIOS[name];
  if (s === undefined) {
    throw new SimulationError(`unknown scenario "${name}"; known: ${SCENARIO_NAMES.join(', ')}`);
  }
  return s;
}

/**
 * `RaftHost` checks its options in the constructor and a group's in `createGroup`, before
 * anything is opened or created: typed errors that name the option.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  InvalidArgumentError,
  InvalidConfigError,
  RaftHost,
  type RaftHostOptions,
  ServerClosedError,
} from '../src/index.js';
import { type HostRig, RecordingMachine, startHosts } from './helpers/hosts.js';

let rig: HostRig | null = null;
afterEach(async () => {
  await rig?.close();
  rig = null;
});

const base = { id: 1, dataDir: '/tmp/never-opened', tcp: { clusterId: 1 } } as RaftHostOptions;

describe('RaftHost options', () => {
  it('refuses bad host options in the constructor, naming the option', () => {
    const bad: [Record<string, unknown>, string][] = [
      [{ ...base, tickIntervalMS: 5 }, 'tickIntervalMS'],
      [{ ...base, id: 0 }, 'id'],
      [{ ...base, dataDir: '' }, 'dataDir'],
      [{ id: 1, dataDir: '/tmp/x' }, 'tcp'],
      [{ ...base, hostTimeoutTicks: 0 }, 'hostTimeoutTicks'],
      [{ ...base, maxBatchItems: 1.5 }, 'maxBatchItems'],
    ];
    for (const [options, field] of bad) {
      expect(() => new RaftHost(options as unknown as RaftHostOptions), field).toThrow(InvalidConfigError);
      expect(() => new RaftHost(options as unknown as RaftHostOptions), field).toThrow(field);
    }
  });

  it('refuses a bad group id, a group that runs already, and join with voters; a closed host takes no group', async () => {
    // init
    rig = await startHosts(1);
    const host = rig.hosts[0]!;
    await host.createGroup(1, { stateMachine: new RecordingMachine() });
    // act / check
    await expect(host.createGroup(0, { stateMachine: new RecordingMachine() })).rejects.toThrow(
      InvalidArgumentError,
    );
    await expect(host.createGroup(1, { stateMachine: new RecordingMachine() })).rejects.toThrow(
      'already runs',
    );
    await expect(
      host.createGroup(2, { join: true, voters: [1], stateMachine: new RecordingMachine() }),
    ).rejects.toThrow(InvalidConfigError);
    // a group option the server refuses leaves no trace in the store
    await expect(
      host.createGroup(3, { stateMachine: new RecordingMachine(), raft: { electionTick: 1 } }),
    ).rejects.toThrow(InvalidConfigError);
    expect(host.storedGroups()).toEqual([1]);
    expect(host.groups()).toEqual([1]);
    await host.close();
    await expect(host.createGroup(4, { stateMachine: new RecordingMachine() })).rejects.toThrow(
      ServerClosedError,
    );
  });
});

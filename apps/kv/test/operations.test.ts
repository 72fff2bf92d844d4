/**
 * The kv side of operations, in process: the flags of `kv backup`, `restore`, `recover` and
 * `inspect` (member lists with addresses and URLs, required flags, the status token from the
 * environment); `GET /backup` (needs the status token, streams a valid backup, answers a
 * JSON error when it cannot take one, and `?local=1` backs up without a leader); per-peer
 * health in `/status` (the leader's peers with their URLs, a follower's last contact with
 * its leader) and in `/metrics` (one series per peer).
 */
import { Readable } from 'node:stream';
import { readBackup } from 'raft-io';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KvStateMachine, UsageError } from '../src/index.js';
import {
  membersOption,
  parseBackupArgs,
  parseInspectArgs,
  parseMembers,
  parseRecoverArgs,
  parseRestoreArgs,
} from '../src/ops-args.js';
import { request, startNodes, type TestNodes } from './helpers/nodes.js';

const TOKEN = 'kv-ops-token-0123456789abcdef';
const AUTH = { authorization: `Bearer ${TOKEN}` };

describe('operations flags', () => {
  it('reads member lists of ids, Raft addresses and HTTP URLs into a membership with member info', () => {
    const members = parseMembers('1=10.0.0.1:7001@http://10.0.0.1:8001, 2=[::1]:7002, 3', '--members');
    expect(members).toEqual([
      { id: 1, raft: { host: '10.0.0.1', port: 7001 }, url: 'http://10.0.0.1:8001' },
      { id: 2, raft: { host: '::1', port: 7002 } },
      { id: 3 },
    ]);
    expect(membersOption(members, parseMembers('4=h:1', '--learners'))).toEqual({
      voters: [1, 2, 3],
      learners: [4],
      memberInfo: {
        1: { address: '10.0.0.1:7001', metadata: 'http://10.0.0.1:8001' },
        2: { address: '[::1]:7002' },
        4: { address: 'h:1' },
      },
    });
    for (const bad of ['1,1', 'x', '1=nohost', '1=h:1@ftp://x', '1=h:0', '0']) {
      expect(() => parseMembers(bad, '--members'), bad).toThrow(UsageError);
    }
  });

  it('requires the flags each command needs, and takes the status token from the environment', () => {
    expect(() => parseBackupArgs(['--url', 'http://h:1'])).toThrow(/--out/);
    expect(
      parseBackupArgs(['--url', 'http://h:1/', '--out', 'b.bak', '--local'], { KV_STATUS_TOKEN: TOKEN }),
    ).toMatchObject({
      url: 'http://h:1',
      local: true,
      statusToken: TOKEN,
    });
    expect(() => parseRestoreArgs(['--backup', 'b', '--data', 'd', '--id', '1', '--members', '1'])).toThrow(
      /--cluster-id/,
    );
    expect(
      parseRestoreArgs([
        '--backup',
        'b',
        '--data',
        'd',
        '--id',
        '1',
        '--cluster-id',
        '0',
        '--members',
        '1,2',
      ]),
    ).toMatchObject({ id: 1, clusterId: 0, voters: [1, 2], learners: [] });
    expect(parseRecoverArgs(['--data', 'd', '--members', '1'])).toMatchObject({
      voters: [1],
      discardUncommitted: false,
      dryRun: false,
    });
    expect(
      parseRecoverArgs(['--data', 'd', '--members', '1', '--id', '1', '--discard-uncommitted', '--dry-run']),
    ).toMatchObject({
      id: 1,
      discardUncommitted: true,
      dryRun: true,
    });
    expect(() => parseRecoverArgs(['--data', 'd'])).toThrow(/--members/);
    expect(() => parseInspectArgs([])).toThrow(UsageError);
  });
});

describe('GET /backup and per-peer health, three nodes in process', () => {
  let cluster: TestNodes;

  beforeAll(async () => {
    cluster = await startNodes(3, { statusToken: TOKEN });
  });
  afterAll(async () => {
    await cluster?.close();
  });

  it('reports every peer’s health on the leader and the last contact with the leader on followers', async () => {
    const leader = await cluster.leader();
    await request(leader.url, 'PUT', '/kv/health', 'ok');
    const body = (await request(leader.url, 'GET', '/status', undefined, AUTH)).json() as {
      peers: { id: number; url: string; reachable: boolean; state: string; lagEntries: number }[];
    };
    const followers = cluster.nodes.filter((n) => n !== leader);
    expect(body.peers.map((p) => [p.id, p.url])).toEqual(followers.map((f) => [f.id, f.url]));
    expect(body.peers.every((p) => p.reachable)).toBe(true);
    const follower = (await request(followers[0]!.url, 'GET', '/status', undefined, AUTH)).json() as {
      peers?: unknown;
      leaderContact: { leader: number; lastContactAgoMs: number };
    };
    expect(follower.peers).toBeUndefined();
    expect(follower.leaderContact.leader).toBe(leader.id);
    expect(follower.leaderContact.lastContactAgoMs).toBeGreaterThanOrEqual(0);
    // Gauges refresh at most once per tick.
    await new Promise((r) => setTimeout(r, 50));
    await request(leader.url, 'PUT', '/kv/health', 'again');
    const metrics = (await request(leader.url, 'GET', '/metrics', undefined, AUTH)).text;
    for (const f of followers)
      expect(metrics).toMatch(new RegExp(`raft_peer_reachable\\{[^}]*peer="${f.id}"[^}]*\\} 1`));
  });

  it('streams a valid backup with the status token only, and backs up without a leader only when asked to (?local=1)', async () => {
    const leader = await cluster.leader();
    await request(leader.url, 'PUT', '/kv/in-the-backup', 'yes');
    const follower = cluster.nodes.find((n) => n !== leader)!;
    expect((await request(follower.url, 'GET', '/backup')).status).toBe(401);
    const res = await fetch(`${follower.url}/backup`, { headers: AUTH });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    const { info, data } = await readBackup(Readable.from([Buffer.from(await res.arrayBuffer())]));
    expect(info.nodeId).toBe(follower.id);
    const sm = new KvStateMachine();
    sm.restore(data);
    expect(Buffer.from(sm.get('in-the-backup')!).toString()).toBe('yes');

    // act: the rest of the cluster goes; this node can no longer confirm a read index.
    for (const n of cluster.nodes) if (n !== follower) await n.close();
    const refused = await request(follower.url, 'GET', '/backup', undefined, AUTH);
    expect(refused.status).toBeGreaterThanOrEqual(500);
    expect((refused.json() as { error: { code: string } }).error.code).toMatch(
      /NOT_LEADER|TIMEOUT|LEADERSHIP_LOST/,
    );
    const local = await fetch(`${follower.url}/backup?local=1`, { headers: AUTH });
    expect(local.status).toBe(200);
    const offline = await readBackup(Readable.from([Buffer.from(await local.arrayBuffer())]));
    expect(offline.info.index).toBeGreaterThanOrEqual(info.index);
  }, 20_000);
});

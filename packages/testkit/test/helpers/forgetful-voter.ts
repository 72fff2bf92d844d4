/**
 * A deliberately broken node for the checkers' and the replay view's tests: node `victim`
 * grants its vote to any up-to-date candidate, even after voting for another in the term, so
 * two leaders can win one term (Election Safety).
 */
import { type Action, type Event, type RaftConfig, type RaftLog, RaftNode } from '@raft-io/core';
import type { NodeFactory, SimNode } from '../../src/sim/sim-node.js';

export function forgetfulVoter(victim: number): NodeFactory {
  return (config: RaftConfig, log: RaftLog): SimNode => {
    const inner = new RaftNode(config, log);
    if (config.id !== victim) return inner;
    let last: Event | null = null;
    const upToDate = (m: { lastLogTerm: number; lastLogIndex: number }) => {
      const lastTerm = log.term(log.lastIndex());
      return m.lastLogTerm > lastTerm || (m.lastLogTerm === lastTerm && m.lastLogIndex >= log.lastIndex());
    };
    return {
      id: inner.id,
      step(event: Event): Action[] {
        last = event;
        return inner.step(event).map((a) => {
          const r = last;
          if (
            a.type === 'send' &&
            a.message.type === 'request-vote-response' &&
            !a.message.preVote &&
            r?.type === 'message' &&
            r.message.type === 'request-vote' &&
            upToDate(r.message)
          ) {
            return { ...a, message: { ...a.message, term: r.message.term, granted: true } };
          }
          return a;
        });
      },
      role: () => inner.role(),
      term: () => inner.term(),
      leader: () => inner.leader(),
      isLeader: () => inner.isLeader(),
      commitIndex: () => inner.commitIndex(),
      appliedIndex: () => inner.appliedIndex(),
    };
  };
}

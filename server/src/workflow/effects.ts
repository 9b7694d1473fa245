import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';
import type { Models } from '../models';
import type { Config } from '../config';
import type { TicketDoc } from '../models/tickets';
import { dispatchNotices, scheduleDeadlines, scheduleFollowUp, type Producers } from '../queues';
import { syncTicketStats } from '../modules/stats/rollup';
import { recordOutcome } from '../modules/outcomes/records';
import { recordFollowUpDue } from './follow-up-due';
import { noteAssignment } from './assignment';

export interface WorkflowDeps {
  models: Models;
  redis: Redis;
  queues: Producers;
  config: Config;
  log: FastifyBaseLogger;
}

/** What may follow a ticket's write. Each is idempotent: running one again (a retried request) is harmless. */
export type Effect =
  /** 三转: the outcome of a resolution becomes its own record. */
  | 'outcome'
  /** 回头看: the follow-up of this resolution is recorded as due (found by the sweeper if its job is lost). */
  | 'followUpDue'
  /** The assignee's last-assigned time, the tie-break of automatic assignment. */
  | 'assignmentHint'
  /** The statistics rollup (and the assignment load it keeps). */
  | 'stats'
  /** Queue the outbox's undelivered notices. */
  | 'notices'
  /** Delayed jobs for the stages of the ticket's (new) deadline. */
  | 'deadlines'
  /** A delayed job for the follow-up of this resolution. */
  | 'followUpJob';

/** Records the database needs kept with the ticket: written while the ticket's lock is still held. */
const UNDER_LOCK: readonly Effect[] = ['outcome', 'followUpDue'];

type Runner = (deps: WorkflowDeps, ticket: TicketDoc, byName: string) => Promise<unknown>;

const RUNNERS: Record<Effect, Runner> = {
  outcome: (deps, ticket, byName) => recordOutcome(deps.models, ticket, byName, deps.log),
  followUpDue: (deps, ticket) => recordFollowUpDue(deps.models, ticket, deps.log),
  assignmentHint: async (deps, ticket) => {
    if (ticket.assigneeId && ticket.assignedAt) await noteAssignment(deps.redis, ticket.assigneeId, ticket.assignedAt);
  },
  stats: (deps, ticket) => syncTicketStats(deps.redis, ticket, deps.log),
  notices: (deps, ticket) => dispatchNotices(deps.queues, ticket, deps.log),
  deadlines: (deps, ticket) => scheduleDeadlines(deps.queues, ticket, deps.config.notifications, deps.log),
  followUpJob: (deps, ticket) => scheduleFollowUp(deps.queues, ticket, deps.config.operations.followUp, deps.log),
};

/**
 * Runs the declared effects of one phase. Each logs its own failure and none throws, so they run side
 * by side; what a crash leaves out is repaired by a sweeper or the nightly run.
 */
export async function runEffects(
  deps: WorkflowDeps,
  effects: readonly Effect[],
  phase: 'locked' | 'after',
  ticket: TicketDoc,
  byName: string,
) {
  const due = effects.filter((effect) => UNDER_LOCK.includes(effect) === (phase === 'locked'));
  await Promise.all(due.map((effect) => RUNNERS[effect](deps, ticket, byName)));
}

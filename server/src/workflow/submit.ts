import { Types } from 'mongoose';
import type { Actor } from '../modules/auth/actor';
import type { TicketDoc } from '../models/tickets';
import type { Effect } from './effects';
import { SYSTEM, notice, timelineEvent, type EventActor } from './events';
import { freshDeadline } from './transitions';

/** What a submit has decided before the ticket is stored (see tickets/service.ts submitTicket). */
export interface Submission {
  actor: Actor;
  idempotencyKey: string;
  studioId: Types.ObjectId;
  /** The response deadline (see deadline.ts), decided with the studio. */
  dueAt: Date;
  fields: Pick<
    TicketDoc,
    'category' | 'content' | 'imageIds' | 'contactPhoneEnc' | 'contactName' | 'allowContact' | 'anonymous'
  >;
  contentCheck: TicketDoc['contentCheck'];
  assignee: { id: Types.ObjectId; name: string } | null;
  now: Date;
}

/**
 * Submit: a ticket's first state rather than a change of one (the engine inserts it), kept beside the
 * transitions so its events, notices and effects read the same way.
 */
export const SUBMIT = {
  effects: ['assignmentHint', 'stats', 'notices', 'deadlines'] as const satisfies readonly Effect[],
  build({
    actor,
    idempotencyKey,
    studioId,
    dueAt,
    fields,
    contentCheck,
    assignee,
    now,
  }: Submission): Omit<TicketDoc, 'no'> {
    const submitter: EventActor = {
      role: actor.role,
      id: actor.id,
      name: fields.anonymous ? '匿名群众' : (fields.contactName ?? '群众'),
    };
    const events = [timelineEvent(submitter, 'submitted', {}, now)];
    if (contentCheck === 'review') events.push(timelineEvent(SYSTEM, 'flagged', { content: '内容待人工复核' }, now));
    events.push(
      assignee
        ? timelineEvent(SYSTEM, 'assigned', { toMemberId: assignee.id, toMemberName: assignee.name }, now)
        : timelineEvent(SYSTEM, 'pending', { content: '工作室暂无可接收的委员，等待管理员分配' }, now),
    );
    // The assignee hears of the ticket once members may see it: now if the check passed, else on release.
    const told =
      assignee && contentCheck === 'pass' ? [notice('ticket_assigned', { kind: 'member', id: assignee.id }, now)] : [];
    return {
      _id: new Types.ObjectId(),
      studioId,
      residentId: actor.id,
      idempotencyKey,
      ...fields,
      status: assignee ? 'assigned' : 'pending',
      assigneeId: assignee?.id ?? null,
      assigneeName: assignee?.name ?? null,
      assignedAt: assignee ? now : null,
      ...freshDeadline(dueAt),
      answeredAt: null,
      resolvedAt: null,
      outcome: null,
      rating: null,
      contentCheck,
      flagged: contentCheck === 'review',
      reopenCount: 0,
      version: 1,
      timeline: events,
      outbox: told,
      noticesPendingSince: told.length > 0 ? now : null,
      // createdAt is the submit instant, so dueAt - createdAt is exactly the studio's deadline.
      createdAt: now,
      updatedAt: now,
    };
  },
};

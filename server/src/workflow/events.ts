import { Types } from 'mongoose';
import type { NoticeKind } from '@mashangshang/shared';
import type { NoticeRecipient, OutboxEntry, TimelineEvent } from '../models/tickets';

/** Who a timeline event names: a person (with the name the timeline shows) or the system. */
export type EventActor = TimelineEvent['actor'];

export const SYSTEM: EventActor = { role: 'system', id: null, name: '系统' };

/** The fields of an event besides who and when. */
export type EventFields = Omit<TimelineEvent, '_id' | 'at' | 'actor' | 'type'>;

/** The one builder of timeline events. */
export function timelineEvent(
  by: EventActor,
  type: TimelineEvent['type'],
  fields: EventFields = {},
  at = new Date(),
): TimelineEvent {
  return { _id: new Types.ObjectId(), type, at, actor: { role: by.role, id: by.id, name: by.name }, ...fields };
}

/** A notice to record in the ticket's outbox, in the same write as the change that causes it. */
export function notice(kind: NoticeKind, recipient: NoticeRecipient, at = new Date()): OutboxEntry {
  return { _id: new Types.ObjectId(), kind, recipient, createdAt: at, doneAt: null };
}

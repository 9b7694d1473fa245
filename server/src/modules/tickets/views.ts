import {
  REOPEN_WINDOW_DAYS,
  type MediaCheckState,
  type TicketDetail,
  type TicketSummary,
  type TimelineEventView,
} from '@mashangshang/shared';
import type { Actor } from '../auth/actor';
import { maskPhone, type FieldCipher } from '../../lib/crypto';
import type { TicketDoc, TimelineEvent } from '../../models/tickets';

const EXCERPT_LENGTH = 60;

function isOverdue(ticket: Pick<TicketDoc, 'status' | 'dueAt'>, now = new Date()): boolean {
  return (ticket.status === 'pending' || ticket.status === 'assigned') && ticket.dueAt.getTime() < now.getTime();
}

const iso = (date: Date | null | undefined) => (date ? new Date(date).toISOString() : null);

export function toSummary(ticket: TicketDoc, studioName: string): TicketSummary {
  const chars = [...ticket.content];
  return {
    id: String(ticket._id),
    no: ticket.no,
    studio: { id: String(ticket.studioId), name: studioName },
    category: ticket.category,
    excerpt: chars.length > EXCERPT_LENGTH ? `${chars.slice(0, EXCERPT_LENGTH).join('')}…` : ticket.content,
    status: ticket.status,
    assignee: ticket.assigneeId ? { id: String(ticket.assigneeId), name: ticket.assigneeName ?? '' } : null,
    dueAt: ticket.dueAt.toISOString(),
    overdue: isOverdue(ticket),
    flagged: ticket.flagged ?? false,
    createdAt: ticket.createdAt.toISOString(),
    answeredAt: iso(ticket.answeredAt),
    resolvedAt: iso(ticket.resolvedAt),
  };
}

function eventView(e: TimelineEvent, hideResidentName: boolean): TimelineEventView {
  const name = e.actor.role === 'resident' && hideResidentName ? '匿名群众' : e.actor.name;
  return {
    id: String(e._id),
    type: e.type,
    at: e.at.toISOString(),
    actor: { role: e.actor.role, name },
    ...(e.content !== undefined && e.content !== null ? { content: e.content } : {}),
    ...(e.internal ? { internal: true } : {}),
    ...(e.toMemberId ? { toMember: { id: String(e.toMemberId), name: e.toMemberName ?? '' } } : {}),
    ...(e.outcome ? { outcome: e.outcome } : {}),
    ...(typeof e.score === 'number' ? { score: e.score } : {}),
  };
}

/**
 * What one actor may see of a ticket: residents never see internal notes; members see the phone
 * masked unless the resident allowed contact, and no name on anonymous tickets.
 */
export function toDetail(
  ticket: TicketDoc,
  actor: Actor,
  helpers: {
    studioName: string;
    cipher: FieldCipher;
    imageUrl: (uploadId: string) => string;
    imageChecks: Map<string, MediaCheckState>;
  },
): TicketDetail {
  const isResident = actor.role === 'resident';
  const hideResidentName = ticket.anonymous && actor.role === 'member';
  let contactPhone: string | null = null;
  if (ticket.contactPhoneEnc && !hideResidentName) {
    const phone = helpers.cipher.decrypt(ticket.contactPhoneEnc);
    contactPhone = isResident || ticket.allowContact ? phone : maskPhone(phone);
  }
  const minutes = (ms: number | null | undefined) => (typeof ms === 'number' ? Math.floor(ms / 60_000) : null);
  const hiddenFromResidents = new Set(['note', 'flagged', 'moderated', 'notify_failed']);
  const timeline = ticket.timeline.filter((e) => !(isResident && (e.internal || hiddenFromResidents.has(e.type))));
  const reopenUntil =
    ticket.status === 'resolved' && ticket.resolvedAt
      ? new Date(ticket.resolvedAt.getTime() + REOPEN_WINDOW_DAYS * 86_400_000)
      : null;
  return {
    ...toSummary(ticket, helpers.studioName),
    content: ticket.content,
    images: ticket.imageIds.flatMap((objectId) => {
      const id = String(objectId);
      const check = helpers.imageChecks.get(id) ?? 'pass';
      if (check === 'pass') return [{ id, url: helpers.imageUrl(id) }];
      // An image WeChat has not passed: its uploader sees it marked, admins see it to judge it, members never.
      return isResident || actor.role === 'admin' ? [{ id, url: helpers.imageUrl(id), check }] : [];
    }),
    anonymous: ticket.anonymous,
    allowContact: ticket.allowContact,
    residentName: hideResidentName ? '匿名群众' : (ticket.contactName ?? '群众'),
    contactPhone,
    outcome: ticket.outcome ?? null,
    rating: ticket.rating
      ? { score: ticket.rating.score, comment: ticket.rating.comment ?? '', at: ticket.rating.at.toISOString() }
      : null,
    contentCheck: ticket.contentCheck,
    canReopenUntil: iso(reopenUntil),
    version: ticket.version,
    timeline: timeline.map((e) => eventView(e, hideResidentName)),
    followUp: ticket.followUp
      ? {
          askedAt: iso(ticket.followUp.askedAt)!,
          answeredAt: iso(ticket.followUp.answeredAt),
          settled: ticket.followUp.settled ?? null,
        }
      : null,
    waiting:
      ticket.status === 'waiting' && ticket.waitingSince
        ? {
            since: ticket.waitingSince.toISOString(),
            until: iso(ticket.waitingUntil),
            question: ticket.waitingQuestion ?? '',
          }
        : null,
    timing: {
      firstResponseMinutes: minutes(ticket.responseMs),
      resolveMinutes: ticket.status === 'resolved' ? minutes(ticket.resolveMs) : null,
      pausedMinutes: minutes(ticket.pausedMs) ?? 0,
    },
    closedUnsupplied: ticket.closure === 'unsupplied',
  };
}

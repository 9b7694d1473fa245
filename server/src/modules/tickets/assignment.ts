import type { Types } from 'mongoose';
import type { Redis } from 'ioredis';
import type { Models } from '../../models';
import { membersOfStudioFilter } from '../members/model';

/** Member id → when they were last given a ticket (ms): the tie-break between equally loaded members. */
const LAST_ASSIGNED_KEY = 'assign:last';

/** Statuses in which a ticket counts towards its assignee's load. */
export const LOAD_STATUSES = ['pending', 'assigned', 'answered'] as const;

/**
 * A member's open tickets, as assignment counts them: one index point per status on
 * {assigneeId, status, _id}, so the count costs what the member holds open, not what the studio ever received.
 */
export function openTicketsOfMemberQuery(models: Models, memberId: Types.ObjectId) {
  return models.Ticket.find({ assigneeId: memberId, status: { $in: [...LOAD_STATUSES] } }, { _id: 1 });
}

/** Open tickets per member id, counted from the tickets (the database is the one truth; no counter to drift). */
async function openCounts(models: Models, memberIds: Types.ObjectId[]): Promise<Map<string, number>> {
  const counts = await Promise.all(memberIds.map(async (id) => [String(id), (await openTicketsOfMemberQuery(models, id).lean()).length] as const));
  return new Map(counts);
}

/** Last assignment (ms) per member id, where Redis knows it; a hint only, so none when Redis fails. */
async function lastAssignedOf(redis: Redis, memberIds: Types.ObjectId[]): Promise<Map<string, number>> {
  const ids = memberIds.map(String);
  const values = await redis.hmget(LAST_ASSIGNED_KEY, ...ids).catch(() => [] as (string | null)[]);
  const found = new Map<string, number>();
  ids.forEach((id, i) => {
    const value = values[i];
    if (value != null) found.set(id, Number(value));
  });
  return found;
}

/** The studio's active members, who may be given its new tickets. */
export function assignmentCandidatesQuery(models: Models, studioId: Types.ObjectId) {
  return models.Member.find(membersOfStudioFilter(studioId, true), { name: 1, lastAssignedAt: 1 }).sort({ _id: 1 });
}

/**
 * The active member of the studio with the fewest open tickets; ties go to the one who has waited
 * longest since their last assignment (never assigned counts as longest). Null when the studio has
 * no active member: the ticket then waits as `pending` for an admin.
 */
export async function pickLeastLoadedMember(models: Models, redis: Redis, studioId: Types.ObjectId): Promise<{ id: Types.ObjectId; name: string } | null> {
  const members = await assignmentCandidatesQuery(models, studioId).lean();
  if (members.length === 0) return null;
  const ids = members.map((m) => m._id);
  const [open, lastAssigned] = await Promise.all([openCounts(models, ids), lastAssignedOf(redis, ids)]);
  // Members assigned before the tie-break moved to Redis still carry it on their record.
  const waited = (m: { _id: Types.ObjectId; lastAssignedAt?: Date | null }) => lastAssigned.get(String(m._id)) ?? (m.lastAssignedAt ? new Date(m.lastAssignedAt).getTime() : 0);
  const ranked = [...members].sort((a, b) => (open.get(String(a._id)) ?? 0) - (open.get(String(b._id)) ?? 0) || waited(a) - waited(b));
  const chosen = ranked[0]!;
  return { id: chosen._id, name: chosen.name };
}

/** Records when a member was last given a ticket (the tie-break above). Only a hint: skipped when Redis is down. */
export async function noteAssignment(redis: Redis, memberId: Types.ObjectId, at: Date): Promise<void> {
  await redis.hset(LAST_ASSIGNED_KEY, String(memberId), String(at.getTime())).catch(() => undefined);
}

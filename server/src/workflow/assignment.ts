import type { Types } from 'mongoose';
import type { Redis } from 'ioredis';
import type { Models } from '../models';
import { LOAD_KEY, LOAD_STATUSES, STATS_READY_KEY } from '../modules/stats/rollup';
import { membersOfStudioFilter } from '../models/members';

/** Member id → when they were last given a ticket (ms): the tie-break between equally loaded members. */
const LAST_ASSIGNED_KEY = 'assign:last';

interface Hints {
  /** Open tickets per member id. */
  open: Map<string, number>;
  /** Last assignment (ms) per member id, where Redis knows it. */
  lastAssigned: Map<string, number>;
}

/**
 * What assignment balances on, read from Redis so that a submit neither counts tickets nor writes the
 * member. Open counts come from the statistics rollup, kept with every ticket change; until the
 * rollup is complete (a new Redis, being rebuilt) or when Redis fails, they are counted from the
 * tickets instead. The count is served by the {assigneeId, status, _id} index now, but FerretDB still
 * decodes every counted document: `npm run bench:submit` (3 members, every ticket left open) held
 * 18.7 submits/s counting from the tickets against 147/s reading the rollup's load hash.
 */
async function assignmentHints(models: Models, redis: Redis, memberIds: Types.ObjectId[]): Promise<Hints> {
  const ids = memberIds.map(String);
  const numbers = (values: unknown): Map<string, number> => {
    const found = new Map<string, number>();
    ids.forEach((id, i) => {
      const value = (values as (string | null)[])[i];
      if (value != null) found.set(id, Number(value));
    });
    return found;
  };
  try {
    const [[readyError, ready] = [], [loadError, load] = [], [lastError, last] = []] =
      (await redis
        .multi()
        .exists(STATS_READY_KEY)
        .hmget(LOAD_KEY, ...ids)
        .hmget(LAST_ASSIGNED_KEY, ...ids)
        .exec()) ?? [];
    const lastAssigned = lastError ? new Map<string, number>() : numbers(last);
    if (!readyError && !loadError && ready === 1) return { open: mergeZeros(ids, numbers(load)), lastAssigned };
    return { open: await countOpenTickets(models, memberIds), lastAssigned };
  } catch {
    // Redis unavailable: count from the database.
    return { open: await countOpenTickets(models, memberIds), lastAssigned: new Map() };
  }
}

const mergeZeros = (ids: string[], counts: Map<string, number>) => new Map(ids.map((id) => [id, counts.get(id) ?? 0]));

async function countOpenTickets(models: Models, memberIds: Types.ObjectId[]): Promise<Map<string, number>> {
  const rows = await models.Ticket.aggregate<{ _id: Types.ObjectId; open: number }>([
    { $match: { assigneeId: { $in: memberIds }, status: { $in: [...LOAD_STATUSES] } } },
    { $group: { _id: '$assigneeId', open: { $sum: 1 } } },
  ]);
  return mergeZeros(memberIds.map(String), new Map(rows.map((row) => [String(row._id), row.open])));
}

/**
 * The studio's members who can receive its new tickets: active and bound to a WeChat user (an unbound
 * member would never hear of a ticket, which would then sit assigned and unseen).
 */
export function assignmentCandidatesQuery(models: Models, studioId: Types.ObjectId) {
  return models.Member.find(
    { ...membersOfStudioFilter(studioId, true), userId: { $ne: null } },
    { name: 1, lastAssignedAt: 1 },
  ).sort({ _id: 1 });
}

/**
 * The receiving member of the studio with the fewest open tickets; ties go to the one who has waited
 * longest since their last assignment (never assigned counts as longest). Null when the studio has
 * no member who can receive: the ticket then waits as `pending` (待分配) for an admin.
 */
export async function pickLeastLoadedMember(
  models: Models,
  redis: Redis,
  studioId: Types.ObjectId,
): Promise<{ id: Types.ObjectId; name: string } | null> {
  const members = await assignmentCandidatesQuery(models, studioId).lean();
  if (members.length === 0) return null;
  const { open, lastAssigned } = await assignmentHints(
    models,
    redis,
    members.map((m) => m._id),
  );
  // Members assigned before the tie-break moved to Redis still carry it on their record.
  const waited = (m: { _id: Types.ObjectId; lastAssignedAt?: Date | null }) =>
    lastAssigned.get(String(m._id)) ?? (m.lastAssignedAt ? new Date(m.lastAssignedAt).getTime() : 0);
  const ranked = [...members].sort(
    (a, b) => (open.get(String(a._id)) ?? 0) - (open.get(String(b._id)) ?? 0) || waited(a) - waited(b),
  );
  const chosen = ranked[0]!;
  return { id: chosen._id, name: chosen.name };
}

/** Records when a member was last given a ticket (the tie-break above). Only a hint: skipped when Redis is down. */
export async function noteAssignment(redis: Redis, memberId: Types.ObjectId, at: Date): Promise<void> {
  await redis.hset(LAST_ASSIGNED_KEY, String(memberId), String(at.getTime())).catch(() => undefined);
}

import type { Types } from 'mongoose';
import type { Redis } from 'ioredis';
import type { Models } from '../../models';
import { withDocumentLock } from '../../lib/document-lock';
import { memberLockKey } from '../invites/service';
import { LOAD_KEY, LOAD_STATUSES, STATS_READY_KEY } from '../stats/rollup';

/**
 * Open tickets per member. From the statistics rollup in Redis (kept with every ticket change), so a
 * submit does not count tickets: on FerretDB that count reads the whole collection. Until the rollup
 * is complete (a new Redis, being rebuilt) or when Redis fails, counted from the tickets instead.
 */
async function openTicketCounts(models: Models, redis: Redis, memberIds: Types.ObjectId[]): Promise<Map<string, number>> {
  try {
    const [[readyError, ready] = [], [loadError, load] = []] = (await redis.multi().exists(STATS_READY_KEY).hmget(LOAD_KEY, ...memberIds.map(String)).exec()) ?? [];
    if (!readyError && !loadError && ready === 1) {
      return new Map(memberIds.map((id, i) => [String(id), Number((load as (string | null)[])[i] ?? 0)]));
    }
  } catch {
    // Redis unavailable: count from the database below.
  }
  const rows = await models.Ticket.aggregate<{ _id: Types.ObjectId; open: number }>([
    { $match: { assigneeId: { $in: memberIds }, status: { $in: [...LOAD_STATUSES] } } },
    { $group: { _id: '$assigneeId', open: { $sum: 1 } } },
  ]);
  return new Map(rows.map((row) => [String(row._id), row.open]));
}

/**
 * The active member of the studio with the fewest open tickets; ties go to the one who has waited
 * longest since their last assignment (never assigned counts as longest). Null when the studio has
 * no active member: the ticket then waits as `pending` for an admin.
 */
export async function pickLeastLoadedMember(models: Models, redis: Redis, studioId: Types.ObjectId): Promise<{ id: Types.ObjectId; name: string } | null> {
  const members = await models.Member.find({ studioIds: studioId, active: true }, { name: 1, lastAssignedAt: 1 }).sort({ _id: 1 }).lean();
  if (members.length === 0) return null;
  const open = await openTicketCounts(models, redis, members.map((m) => m._id));
  const waited = (m: { lastAssignedAt?: Date | null }) => (m.lastAssignedAt ? new Date(m.lastAssignedAt).getTime() : 0);
  const ranked = [...members].sort((a, b) => (open.get(String(a._id)) ?? 0) - (open.get(String(b._id)) ?? 0) || waited(a) - waited(b));
  const chosen = ranked[0]!;
  return { id: chosen._id, name: chosen.name };
}

/**
 * Records when a member was last given a ticket (the tie-break above). Under the member's lock, as
 * every write to a member (FerretDB rewrites the whole document); only a hint, so when Redis is down
 * or the lock is busy it is skipped rather than delaying the ticket.
 */
export async function noteAssignment(models: Models, redis: Redis, memberId: Types.ObjectId, at: Date): Promise<void> {
  await withDocumentLock(redis, memberLockKey(memberId), () => models.Member.updateOne({ _id: memberId }, { $set: { lastAssignedAt: at } }, { timestamps: false }), {
    waitMs: 1000,
  }).catch(() => undefined);
}

import type { Types } from 'mongoose';
import type { Redis } from 'ioredis';
import type { Models } from '../../models';
import { withDocumentLock } from '../../lib/document-lock';
import { memberLockKey } from '../invites/service';

export const OPEN_STATUSES = ['pending', 'assigned', 'answered'] as const;

/**
 * The active member of the studio with the fewest open tickets; ties go to the one who has waited
 * longest since their last assignment (never assigned counts as longest). Null when the studio has
 * no active member: the ticket then waits as `pending` for an admin.
 */
export async function pickLeastLoadedMember(models: Models, studioId: Types.ObjectId): Promise<{ id: Types.ObjectId; name: string } | null> {
  const members = await models.Member.find({ studioIds: studioId, active: true }, { name: 1, lastAssignedAt: 1 }).sort({ _id: 1 }).lean();
  if (members.length === 0) return null;
  const openCounts = await models.Ticket.aggregate<{ _id: Types.ObjectId; open: number }>([
    { $match: { assigneeId: { $in: members.map((m) => m._id) }, status: { $in: [...OPEN_STATUSES] } } },
    { $group: { _id: '$assigneeId', open: { $sum: 1 } } },
  ]);
  const open = new Map(openCounts.map((row) => [String(row._id), row.open]));
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

import type { Types } from 'mongoose';
import type { Models } from '../../models';

export const OPEN_STATUSES = ['pending', 'assigned', 'answered'] as const;

/**
 * The active member of the studio with the fewest open tickets; ties go to the one who has waited
 * longest since their last assignment (never assigned counts as longest). Null when the studio has
 * no active member: the ticket then waits as `pending` for an admin.
 */
export async function pickLeastLoadedMember(models: Models, studioId: Types.ObjectId): Promise<{ id: Types.ObjectId; name: string } | null> {
  const members = await models.Member.find({ studioIds: studioId, active: true }, { name: 1 }).sort({ _id: 1 }).lean();
  if (members.length === 0) return null;
  const ids = members.map((m) => m._id);
  const [openCounts, lastAssigned] = await Promise.all([
    models.Ticket.aggregate<{ _id: Types.ObjectId; open: number }>([
      { $match: { assigneeId: { $in: ids }, status: { $in: [...OPEN_STATUSES] } } },
      { $group: { _id: '$assigneeId', open: { $sum: 1 } } },
    ]),
    // FerretDB 1.x has only $sum/$count accumulators: one indexed lookup per member (a studio has few).
    Promise.all(
      ids.map(async (id) => {
        const latest = await models.Ticket.findOne({ assigneeId: id, assignedAt: { $ne: null } }, { assignedAt: 1 }).sort({ assignedAt: -1 }).lean();
        return { _id: id, last: latest?.assignedAt ?? null };
      }),
    ),
  ]);
  const open = new Map(openCounts.map((row) => [String(row._id), row.open]));
  const last = new Map(lastAssigned.map((row) => [String(row._id), row.last ? new Date(row.last).getTime() : 0]));
  const ranked = [...members].sort((a, b) => {
    const byLoad = (open.get(String(a._id)) ?? 0) - (open.get(String(b._id)) ?? 0);
    if (byLoad !== 0) return byLoad;
    return (last.get(String(a._id)) ?? 0) - (last.get(String(b._id)) ?? 0);
  });
  const chosen = ranked[0]!;
  return { id: chosen._id, name: chosen.name };
}

import { Types } from 'mongoose';
import {
  DEFAULT_SLA_WORKDAYS,
  studioCodeFromScene,
  type AdminStudioDetail,
  type AdminStudioList,
  type AdminStudioListQuery,
  type StudioDetail,
  type StudioList,
  type StudioListQuery,
  type StudioSummary,
} from '@mashangshang/shared';
import type { Models } from '../../models';
import { AppError } from '../../errors';
import { afterPosition, decodeCursor, encodeCursor, escapeRegex } from '../../lib/cursor';
import { anyStudioState, type StudioDoc } from '../../models/studios';
import { membersOfStudioFilter } from '../../models/members';
import { allOf } from '../../lib/query-bounds';

/**
 * The active members of any of these studios, with their studios and whether they are bound: what the
 * list's member counts are made of. A find rather than an aggregation, so FerretDB reads it from the
 * {active, …} index (it cannot look inside the studioIds array; MongoDB uses {studioIds, active}).
 */
export function activeMembersOfStudiosQuery(models: Models, studioIds: Types.ObjectId[]) {
  return models.Member.find({ active: true, studioIds: { $in: studioIds } }, { studioIds: 1, userId: 1 });
}

interface MemberCounts {
  /** Active members per studio (a member of several studios counts in each of them). */
  active: Map<string, number>;
  /** Of those, the ones bound to WeChat: who automatic assignment may choose (see tickets/assignment). */
  receiving: Map<string, number>;
}

async function countActiveMembers(models: Models, studioIds: Types.ObjectId[]): Promise<MemberCounts> {
  const counts: MemberCounts = { active: new Map(), receiving: new Map() };
  if (studioIds.length === 0) return counts;
  const wanted = new Set(studioIds.map(String));
  const add = (map: Map<string, number>, id: string) => map.set(id, (map.get(id) ?? 0) + 1);
  for (const member of await activeMembersOfStudiosQuery(models, studioIds).lean()) {
    for (const id of (member.studioIds ?? []).map(String)) {
      if (!wanted.has(id)) continue;
      add(counts.active, id);
      if (member.userId) add(counts.receiving, id);
    }
  }
  return counts;
}

function toSummary(studio: StudioDoc, memberCount: number): StudioSummary {
  return {
    id: String(studio._id),
    name: studio.name,
    kind: studio.kind,
    // Optional fields may be absent on stored documents (not just null).
    town: studio.town ?? null,
    sector: studio.sector ?? null,
    memberCount,
    star: studio.star,
  };
}

/**
 * One page of studios in list order ({sortOrder, _id}, keyset); `active` null means both in-use and
 * retired ones (the office's view), said as `active` in [true, false] so that list too starts from the
 * {active, sortOrder, _id} index.
 */
export function studioPageQuery(models: Models, query: StudioListQuery, active: boolean | null) {
  const limit = query.limit ?? 20;
  const filter: Record<string, unknown> = active === null ? anyStudioState() : { active };
  if (query.town) filter.town = query.town;
  if (query.sector) filter.sector = query.sector;
  if (query.q) filter.name = { $regex: escapeRegex(query.q) };
  const conditions: Record<string, unknown>[] = [filter];
  if (query.cursor) conditions.push(afterPosition('sortOrder', decodeCursor(query.cursor, 'number')));
  return models.Studio.find(allOf(...conditions))
    .sort({ sortOrder: 1, _id: 1 })
    .limit(limit + 1);
}

async function findStudioPage(
  models: Models,
  query: StudioListQuery,
  active: boolean | null,
): Promise<{ page: StudioDoc[]; counts: MemberCounts; nextCursor: string | null }> {
  const limit = query.limit ?? 20;
  const studios = await studioPageQuery(models, query, active).lean<StudioDoc[]>();
  const page = studios.slice(0, limit);
  const counts = await countActiveMembers(
    models,
    page.map((s) => s._id),
  );
  const last = page[page.length - 1];
  return { page, counts, nextCursor: studios.length > limit && last ? encodeCursor(last.sortOrder, last._id) : null };
}

export async function listStudios(models: Models, query: StudioListQuery): Promise<StudioList> {
  const { page, counts, nextCursor } = await findStudioPage(models, query, true);
  return { items: page.map((s) => toSummary(s, counts.active.get(String(s._id)) ?? 0)), nextCursor };
}

export async function listStudiosForAdmin(models: Models, query: AdminStudioListQuery): Promise<AdminStudioList> {
  const { state, ...rest } = query;
  const active = state === 'active' ? true : state === 'retired' ? false : null;
  const { page, counts, nextCursor } = await findStudioPage(models, rest, active);
  return {
    items: page.map((s) => ({
      ...toSummary(s, counts.active.get(String(s._id)) ?? 0),
      active: s.active,
      code: s.code,
      receivingMemberCount: counts.receiving.get(String(s._id)) ?? 0,
      ...deadlineOf(s),
    })),
    nextCursor,
  };
}

/** A studio in any state, for the office's edit form. */
export async function getStudioForAdmin(models: Models, id: string): Promise<AdminStudioDetail> {
  const studio = await models.Studio.findById(new Types.ObjectId(id)).lean<StudioDoc>();
  if (!studio) throw new AppError('STUDIO_NOT_FOUND');
  const counts = await countActiveMembers(models, [studio._id]);
  return {
    ...(await toDetail(models, studio)),
    active: studio.active,
    code: studio.code,
    receivingMemberCount: counts.receiving.get(String(studio._id)) ?? 0,
  };
}

/** A studio's active members as its page (and its poster) lists them, oldest first. */
export function studioMembersQuery(models: Models, studioId: Types.ObjectId) {
  return models.Member.find(membersOfStudioFilter(studioId, true), { name: 1, title: 1 }).sort({ _id: 1 });
}

/** How a studio's response deadline counts, as its detail and the office's list say it. */
function deadlineOf(studio: StudioDoc): Pick<StudioDetail, 'slaHours' | 'slaUnit' | 'slaWorkdays'> {
  return {
    slaHours: studio.slaHours,
    // A studio stored before working days existed counts hours.
    slaUnit: studio.slaUnit ?? 'hours',
    slaWorkdays: studio.slaWorkdays ?? DEFAULT_SLA_WORKDAYS,
  };
}

/** The public detail of a studio document (also used by admin routes, whatever the studio's state). */
export async function toDetail(models: Models, studio: StudioDoc): Promise<StudioDetail> {
  const members = await studioMembersQuery(models, studio._id).lean();
  return {
    ...toSummary(studio, members.length),
    intro: studio.intro,
    address: studio.address,
    jointGroup: studio.jointGroup ?? null,
    ...deadlineOf(studio),
    scene: `s=${studio.code}`,
    members: members.map((m) => ({ id: String(m._id), name: m.name, title: m.title })),
    serviceItems: studio.serviceItems
      .filter((item) => item.active)
      .map((item) => ({ id: String(item._id), title: item.title, summary: item.summary })),
  };
}

export async function getStudio(models: Models, id: string): Promise<StudioDetail> {
  const studio = await models.Studio.findOne({ _id: new Types.ObjectId(id), active: true }).lean<StudioDoc>();
  if (!studio) throw new AppError('STUDIO_NOT_FOUND');
  return toDetail(models, studio);
}

export async function getStudioByScene(models: Models, scene: string): Promise<StudioDetail> {
  const code = studioCodeFromScene(scene);
  if (!code) throw new AppError('STUDIO_NOT_FOUND', { logMessage: 'scene does not name a studio code' });
  const studio = await models.Studio.findOne({ code, active: true }).lean<StudioDoc>();
  if (!studio) throw new AppError('STUDIO_NOT_FOUND');
  return toDetail(models, studio);
}

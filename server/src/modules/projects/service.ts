import { Types } from 'mongoose';
import type { Redis } from 'ioredis';
import type {
  DutyProject,
  DutyProjectCreateBody,
  DutyProjectList,
  DutyProjectListQuery,
  DutyProjectPatchBody,
  MemberProfile,
} from '@mashangshang/shared';
import type { Models } from '../../models';
import { AppError } from '../../errors';
import { decodeCursor, encodeCursor } from '../../lib/cursor';
import { withDocumentLock } from '../../lib/document-lock';
import type { ProjectDoc } from '../../models/projects';
import { membersOfStudioFilter } from '../../models/members';
import { allOf } from '../../lib/query-bounds';

export function toProject(doc: ProjectDoc, memberName: string): DutyProject {
  return {
    id: String(doc._id),
    member: { id: String(doc.memberId), name: memberName },
    year: doc.year,
    title: doc.title,
    summary: doc.summary ?? '',
    active: doc.active,
    createdAt: doc.createdAt.toISOString(),
    updatedAt: doc.updatedAt.toISOString(),
  };
}

async function memberNames(models: Models, ids: Types.ObjectId[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids.map(String))].map((id) => new Types.ObjectId(id));
  if (unique.length === 0) return new Map();
  const members = await models.Member.find({ _id: { $in: unique } }, { name: 1 }).lean();
  return new Map(members.map((m) => [String(m._id), m.name]));
}

/** Filters shared by the list and the export; a studio means the projects of its members. */
export async function projectFilter(
  models: Models,
  query: Pick<DutyProjectListQuery, 'memberId' | 'studioId' | 'year' | 'active'>,
): Promise<Record<string, unknown>> {
  const filter: Record<string, unknown> = {};
  if (query.memberId) filter.memberId = new Types.ObjectId(query.memberId);
  if (query.studioId) {
    const members = await models.Member.find(membersOfStudioFilter(new Types.ObjectId(query.studioId)), {
      _id: 1,
    }).lean();
    const ids = members.map((m) => m._id);
    filter.memberId = query.memberId
      ? ids.some((id) => id.equals(query.memberId!))
        ? new Types.ObjectId(query.memberId)
        : { $in: [] }
      : { $in: ids };
  }
  if (query.year !== undefined) filter.year = query.year;
  if (query.active !== undefined) filter.active = query.active;
  return filter;
}

/**
 * The page GET /admin/projects reads, for the filter projectFilter made of its query: newest first,
 * one more than a page. By member or studio it is a {memberId, year} range; otherwise (year and state
 * alone are not index ranges on FerretDB, which pushes no numbers) an ordered walk of _id that stops
 * after the page.
 */
export function projectListQuery(
  models: Models,
  filter: Record<string, unknown>,
  query: Pick<DutyProjectListQuery, 'limit' | 'cursor'>,
) {
  const limit = query.limit ?? 20;
  return models.Project.find(allOf(filter, query.cursor ? { _id: { $lt: decodeCursor(query.cursor).id } } : {}))
    .sort({ _id: -1 })
    .limit(limit + 1);
}

export async function listProjects(models: Models, query: DutyProjectListQuery): Promise<DutyProjectList> {
  const limit = query.limit ?? 20;
  const rows = await projectListQuery(models, await projectFilter(models, query), query).lean<ProjectDoc[]>();
  const page = rows.slice(0, limit);
  const names = await memberNames(
    models,
    page.map((p) => p.memberId),
  );
  const last = page[page.length - 1];
  return {
    items: page.map((p) => toProject(p, names.get(String(p.memberId)) ?? '')),
    nextCursor: rows.length > limit && last ? encodeCursor(0, last._id) : null,
  };
}

export async function createProject(models: Models, body: DutyProjectCreateBody): Promise<DutyProject> {
  const member = await models.Member.findById(new Types.ObjectId(body.memberId), { name: 1 }).lean();
  if (!member) throw new AppError('MEMBER_NOT_FOUND');
  const created = await models.Project.create({
    memberId: member._id,
    year: body.year,
    title: body.title.trim(),
    summary: body.summary?.trim() ?? '',
    active: true,
  });
  return toProject(created.toObject<ProjectDoc>(), member.name);
}

export async function updateProject(
  models: Models,
  redis: Redis,
  id: string,
  patch: DutyProjectPatchBody,
): Promise<DutyProject> {
  const _id = new Types.ObjectId(id);
  const set: Record<string, unknown> = {};
  if (patch.year !== undefined) set.year = patch.year;
  if (patch.title !== undefined) set.title = patch.title.trim();
  if (patch.summary !== undefined) set.summary = patch.summary.trim();
  if (patch.active !== undefined) set.active = patch.active;
  const updated = await withDocumentLock(redis, `project:${id}`, () =>
    models.Project.findOneAndUpdate({ _id }, { $set: set }, { new: true, runValidators: true }).lean<ProjectDoc>(),
  );
  if (!updated) throw new AppError('NOT_FOUND', { logMessage: 'no such duty project' });
  const names = await memberNames(models, [updated.memberId]);
  return toProject(updated, names.get(String(updated.memberId)) ?? '');
}

/** A member's active duty projects, newest year first ({memberId, year} index). */
export function memberProjectsQuery(models: Models, memberId: Types.ObjectId) {
  return models.Project.find({ memberId, active: true }).sort({ year: -1, _id: 1 });
}

/** The public page of an active member: studios and active duty projects, newest year first. Never a phone or an openid. */
export async function memberProfile(models: Models, id: string): Promise<MemberProfile> {
  const member = await models.Member.findOne(
    { _id: new Types.ObjectId(id), active: true },
    { name: 1, title: 1, studioIds: 1 },
  ).lean();
  if (!member) throw new AppError('MEMBER_NOT_FOUND');
  const [studios, projects] = await Promise.all([
    models.Studio.find({ _id: { $in: member.studioIds }, active: true }, { name: 1, sortOrder: 1 })
      .sort({ sortOrder: 1 })
      .lean(),
    memberProjectsQuery(models, member._id).lean<ProjectDoc[]>(),
  ]);
  return {
    id: String(member._id),
    name: member.name,
    title: member.title,
    studios: studios.map((s) => ({ id: String(s._id), name: s.name })),
    projects: projects.map((p) => ({ id: String(p._id), year: p.year, title: p.title, summary: p.summary ?? '' })),
  };
}

import { Types } from 'mongoose';
import type {
  AdminMember,
  AdminMemberCreateBody,
  AdminMemberList,
  AdminMemberListQuery,
  AdminMemberPatchBody,
} from '@mashangshang/shared';
import type { Models } from '../../models';
import { AppError } from '../../errors';
import { afterPosition, decodeCursor, encodeCursor, escapeRegex } from '../../lib/cursor';
import { maskPhone, type FieldCipher } from '../../lib/crypto';
import { anyMemberState, membersOfStudioFilter, type MemberDoc } from '../../models/members';
import { allOf } from '../../lib/query-bounds';

function toAdminMember(member: MemberDoc, cipher: FieldCipher): AdminMember {
  return {
    id: String(member._id),
    name: member.name,
    title: member.title ?? '',
    // Admins see the masked number only; the clear number is for the few flows that call the member.
    phoneMasked: member.phoneEnc ? maskPhone(cipher.decrypt(member.phoneEnc)) : null,
    studioIds: (member.studioIds ?? []).map(String),
    leadOf: (member.leadOf ?? []).map(String),
    active: member.active,
    bound: Boolean(member.userId),
    createdAt: member.createdAt.toISOString(),
  };
}

/** Every named studio must exist (active or not: an admin may staff a studio before opening it). */
async function assertStudiosExist(models: Models, studioIds: Types.ObjectId[]): Promise<void> {
  const found = await models.Studio.countDocuments({ _id: { $in: studioIds } });
  if (found !== studioIds.length) {
    throw new AppError('VALIDATION_FAILED', {
      logMessage: `${studioIds.length - found} of the studioIds do not exist`,
      userMessage: '所选的工作室不存在，请刷新后重新选择',
    });
  }
}

function assertLeadOfWithin(leadOf: Types.ObjectId[], studioIds: Types.ObjectId[]): void {
  const member = new Set(studioIds.map(String));
  if (leadOf.some((id) => !member.has(String(id)))) {
    throw new AppError('VALIDATION_FAILED', {
      logMessage: 'leadOf outside studioIds',
      userMessage: '召集人所在的工作室必须是该委员所属的工作室',
    });
  }
}

const toObjectIds = (ids: string[]) => ids.map((id) => new Types.ObjectId(id));

/**
 * The office's member list: by name, keyset paged on (name, _id). Members of either state, said as
 * `active` in [true, false] so the list starts from the {active, name, _id} index (in name order on
 * MongoDB; FerretDB, which pushes neither a name range nor a regex, reads the members through it and
 * sorts in memory: a county has a few hundred).
 */
export function memberListQuery(models: Models, query: AdminMemberListQuery) {
  const limit = query.limit ?? 20;
  const filter: Record<string, unknown> = query.studioId
    ? membersOfStudioFilter(new Types.ObjectId(query.studioId))
    : anyMemberState();
  if (query.q) filter.name = { $regex: escapeRegex(query.q) };
  const conditions: Record<string, unknown>[] = [filter];
  if (query.cursor) conditions.push(afterPosition('name', decodeCursor(query.cursor, 'string')));
  return models.Member.find(allOf(...conditions))
    .sort({ name: 1, _id: 1 })
    .limit(limit + 1);
}

export async function listMembers(
  models: Models,
  cipher: FieldCipher,
  query: AdminMemberListQuery,
): Promise<AdminMemberList> {
  const limit = query.limit ?? 20;
  const members = await memberListQuery(models, query).lean<MemberDoc[]>();
  const page = members.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map((m) => toAdminMember(m, cipher)),
    nextCursor: members.length > limit && last ? encodeCursor(last.name, last._id) : null,
  };
}

export async function createMember(
  models: Models,
  cipher: FieldCipher,
  body: AdminMemberCreateBody,
): Promise<AdminMember> {
  const studioIds = toObjectIds(body.studioIds);
  const leadOf = toObjectIds(body.leadOf ?? []);
  assertLeadOfWithin(leadOf, studioIds);
  await assertStudiosExist(models, studioIds);
  const created = await models.Member.create({
    name: body.name,
    title: body.title,
    phoneEnc: body.phone ? cipher.encrypt(body.phone) : null,
    studioIds,
    leadOf,
    active: true,
    userId: null,
  });
  return toAdminMember(created.toObject<MemberDoc>(), cipher);
}

export async function updateMember(
  models: Models,
  cipher: FieldCipher,
  id: string,
  patch: AdminMemberPatchBody,
): Promise<AdminMember> {
  const _id = new Types.ObjectId(id);
  const current = await models.Member.findById(_id).lean<MemberDoc>();
  if (!current) throw new AppError('MEMBER_NOT_FOUND', { statusCode: 404 });

  const set: Partial<MemberDoc> = {};
  if (patch.name !== undefined) set.name = patch.name;
  if (patch.title !== undefined) set.title = patch.title;
  if (patch.active !== undefined) set.active = patch.active;
  if (patch.phone !== undefined) set.phoneEnc = patch.phone === null ? null : cipher.encrypt(patch.phone);

  const studioIds = patch.studioIds ? toObjectIds(patch.studioIds) : (current.studioIds ?? []);
  if (patch.studioIds) {
    await assertStudiosExist(models, studioIds);
    set.studioIds = studioIds;
  }
  if (patch.leadOf) {
    set.leadOf = toObjectIds(patch.leadOf);
    assertLeadOfWithin(set.leadOf, studioIds);
  } else if (patch.studioIds) {
    // Leaving a studio also ends leading it.
    const kept = new Set(studioIds.map(String));
    set.leadOf = (current.leadOf ?? []).filter((sid) => kept.has(String(sid)));
  }

  if (Object.keys(set).length === 0) return toAdminMember(current, cipher);
  const updated = await models.Member.findOneAndUpdate(
    { _id },
    { $set: set },
    { new: true, runValidators: true },
  ).lean<MemberDoc>();
  if (!updated)
    throw new AppError('MEMBER_NOT_FOUND', { statusCode: 404, logMessage: 'member vanished during update' });
  return toAdminMember(updated, cipher);
}

import { Types } from 'mongoose';
import {
  CANNED_REPLIES_MAX,
  CANNED_REPLY_PLACEHOLDERS,
  type CannedReply,
  type CannedReplyCreateBody,
  type CannedReplyList,
  type CannedReplyPatchBody,
} from '@mashangshang/shared';
import type { Models } from '../../models';
import type { CannedReplyDoc } from '../../models/canned-replies';
import type { Actor } from '../auth/actor';
import { AppError } from '../../errors';

const ALLOWED_PLACEHOLDERS = new Set<string>(Object.values(CANNED_REPLY_PLACEHOLDERS));

function toView(doc: CannedReplyDoc): CannedReply {
  return {
    id: String(doc._id),
    studioId: doc.studioId ? String(doc.studioId) : null,
    title: doc.title,
    text: doc.text,
    useCount: doc.useCount,
    updatedAt: doc.updatedAt.toISOString(),
  };
}

/** A placeholder the mini-program would not fill would reach a resident as `{…}`: refuse it now. */
function assertPlaceholders(text: string): void {
  const unknown = (text.match(/\{[^{}]*\}/g) ?? []).filter((p) => !ALLOWED_PLACEHOLDERS.has(p));
  if (unknown.length > 0) {
    throw new AppError('VALIDATION_FAILED', {
      userMessage: `只能使用占位符 ${[...ALLOWED_PLACEHOLDERS].join('、')}，请修改“${unknown[0]}”`,
      logMessage: 'unknown placeholder in a canned reply',
    });
  }
}

/** Members use their studios' replies and the office-wide ones; admins all. */
function assertMayUse(actor: Actor, studioId: Types.ObjectId | null): void {
  if (actor.role === 'admin' || studioId === null) return;
  if (!actor.studioIds.some((s) => s.equals(studioId))) throw new AppError('FORBIDDEN');
}

/** Admins keep every list, office-wide included; a studio's lead members keep that studio's. */
async function mayEdit(models: Models, actor: Actor, studioId: Types.ObjectId | null): Promise<boolean> {
  if (actor.role === 'admin') return true;
  const lead = studioId && actor.memberId ? await models.Member.findById(actor.memberId, { leadOf: 1 }).lean() : null;
  return Boolean(lead?.leadOf.some((s) => s.equals(studioId!)));
}

async function assertMayEdit(models: Models, actor: Actor, studioId: Types.ObjectId | null): Promise<void> {
  if (!(await mayEdit(models, actor, studioId))) {
    throw new AppError('FORBIDDEN', { userMessage: '只有工作室负责委员和管理员可以维护常用回复' });
  }
}

async function findReply(models: Models, id: string): Promise<CannedReplyDoc> {
  const doc = await models.CannedReply.findById(new Types.ObjectId(id)).lean<CannedReplyDoc>();
  if (!doc) throw new AppError('NOT_FOUND', { userMessage: '这条常用回复不存在或已被删除' });
  return doc;
}

/**
 * The replies a member may insert for a studio's ticket: office-wide and the studio's, most used first;
 * and whether the caller may keep the list asked for (the studio's, or without one the office's), so a
 * lead member's pages offer to.
 */
export async function listCannedReplies(models: Models, actor: Actor, studioId?: string): Promise<CannedReplyList> {
  const studio = studioId ? new Types.ObjectId(studioId) : null;
  if (studio) assertMayUse(actor, studio);
  const [office, own, canEdit] = await Promise.all([
    models.CannedReply.find({ studioId: null }).limit(CANNED_REPLIES_MAX).lean<CannedReplyDoc[]>(),
    studio ? models.CannedReply.find({ studioId: studio }).limit(CANNED_REPLIES_MAX).lean<CannedReplyDoc[]>() : [],
    mayEdit(models, actor, studio),
  ]);
  const items = [...own, ...office].sort((a, b) => b.useCount - a.useCount || a.title.localeCompare(b.title, 'zh-CN'));
  return { items: items.map(toView), canEdit };
}

export async function createCannedReply(
  models: Models,
  actor: Actor,
  body: CannedReplyCreateBody,
): Promise<CannedReply> {
  const studioId = body.studioId ? new Types.ObjectId(body.studioId) : null;
  await assertMayEdit(models, actor, studioId);
  if (studioId && !(await models.Studio.exists({ _id: studioId }))) throw new AppError('STUDIO_NOT_FOUND');
  assertPlaceholders(body.text);
  if ((await models.CannedReply.countDocuments({ studioId })) >= CANNED_REPLIES_MAX) {
    throw new AppError('CONFLICT', {
      userMessage: `常用回复最多 ${CANNED_REPLIES_MAX} 条，请先删除不再使用的`,
      logMessage: 'canned replies full',
    });
  }
  const doc = await models.CannedReply.create({
    studioId,
    title: body.title.trim(),
    text: body.text.trim(),
    useCount: 0,
    createdBy: actor.name,
    updatedAt: new Date(),
  });
  return toView(doc.toObject<CannedReplyDoc>());
}

export async function updateCannedReply(
  models: Models,
  actor: Actor,
  id: string,
  patch: CannedReplyPatchBody,
): Promise<CannedReply> {
  const current = await findReply(models, id);
  await assertMayEdit(models, actor, current.studioId);
  if (patch.text !== undefined) assertPlaceholders(patch.text);
  const set = {
    ...(patch.title !== undefined ? { title: patch.title.trim() } : {}),
    ...(patch.text !== undefined ? { text: patch.text.trim() } : {}),
    updatedAt: new Date(),
  };
  const updated = await models.CannedReply.findOneAndUpdate(
    { _id: current._id },
    { $set: set },
    { new: true },
  ).lean<CannedReplyDoc>();
  if (!updated) throw new AppError('NOT_FOUND', { userMessage: '这条常用回复不存在或已被删除' });
  return toView(updated);
}

export async function deleteCannedReply(models: Models, actor: Actor, id: string): Promise<void> {
  const current = await findReply(models, id);
  await assertMayEdit(models, actor, current.studioId);
  await models.CannedReply.deleteOne({ _id: current._id });
}

/** A member inserted it into a reply: counted, so the most used come first. */
export async function countCannedReplyUse(models: Models, actor: Actor, id: string): Promise<CannedReply> {
  const current = await findReply(models, id);
  assertMayUse(actor, current.studioId);
  const updated = await models.CannedReply.findOneAndUpdate(
    { _id: current._id },
    { $inc: { useCount: 1 } },
    { new: true },
  ).lean<CannedReplyDoc>();
  if (!updated) throw new AppError('NOT_FOUND', { userMessage: '这条常用回复不存在或已被删除' });
  return toView(updated);
}

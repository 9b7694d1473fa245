import { createHash, randomBytes } from 'node:crypto';
import { Types } from 'mongoose';
import type { Redis } from 'ioredis';
import {
  INVITE_CODE_ALPHABET,
  INVITE_CODE_LENGTH,
  type AdminInvite,
  type AdminInviteList,
  type AdminInviteListQuery,
  type InviteResponse,
  type InviteStatus,
  type SessionUser,
} from '@mashangshang/shared';
import type { Models } from '../../models';
import { AppError } from '../../errors';
import { countAttempt } from '../../lib/attempt-limit';
import { withDocumentLock } from '../../lib/document-lock';
import type { Actor } from '../auth/actor';
import { sessionForUser } from '../auth/service';
import type { InviteDoc } from '../../models/invites';
import { membersOfStudioFilter } from '../../models/members';

const INVITE_TTL_MS = 7 * 24 * 3600 * 1000;
/** Bind attempts one WeChat user may make per minute: 8 characters of 32 cannot be guessed at this pace. */
const BIND_ATTEMPTS_PER_MINUTE = 10;
const BIND_LOCK_TTL_MS = 10_000;
const BIND_LOCK_WAIT_MS = 5_000;

// The alphabet has exactly 32 characters, so masking a random byte to 5 bits picks each one uniformly.
if (INVITE_CODE_ALPHABET.length !== 32) throw new Error('invite alphabet must have 32 characters');

function generateInviteCode(): string {
  return Array.from(randomBytes(INVITE_CODE_LENGTH), (byte) => INVITE_CODE_ALPHABET[byte & 31]).join('');
}

/** People type codes in lower case, with spaces or dashes: accept that. */
function normalizeInviteCode(input: string): string {
  return input.replace(/[\s-]/g, '').toUpperCase();
}

export function hashInviteCode(code: string): string {
  return createHash('sha256').update(code, 'utf8').digest('hex');
}

const INVITE_CODE_SHAPE = new RegExp(`^[${INVITE_CODE_ALPHABET}]{${INVITE_CODE_LENGTH}}$`);

function inviteInvalid(logMessage: string): AppError {
  return new AppError('INVITE_INVALID', { statusCode: 400, logMessage });
}

export async function createInvite(
  models: Models,
  memberId: string,
  adminId: Types.ObjectId,
  now = new Date(),
): Promise<InviteResponse> {
  const member = await models.Member.findById(new Types.ObjectId(memberId), { active: 1 }).lean();
  if (!member) throw new AppError('MEMBER_NOT_FOUND', { statusCode: 404 });
  if (!member.active)
    throw new AppError('MEMBER_INACTIVE', { statusCode: 409, logMessage: 'invite for an inactive member' });

  const expiresAt = new Date(now.getTime() + INVITE_TTL_MS);
  for (let attempt = 1; ; attempt += 1) {
    const inviteCode = generateInviteCode();
    try {
      const created = await models.Invite.create({
        codeHash: hashInviteCode(inviteCode),
        memberId: member._id,
        createdBy: adminId,
        expiresAt,
        usedAt: null,
        usedByUserId: null,
        revokedAt: null,
      });
      return { id: String(created._id), inviteCode, expiresAt: expiresAt.toISOString() };
    } catch (error) {
      // Two live codes colliding is ~1 in 10^12; draw again rather than fail.
      if ((error as { code?: number }).code !== 11000 || attempt >= 3) throw error;
    }
  }
}

/** Lock name shared by everything that writes a member record (binds, admin edits). */
export const memberLockKey = (memberId: Types.ObjectId | string) => `member:${String(memberId)}`;

/** Binds to one member (and so every use of one invite) run one at a time: see document-lock. */
function withMemberLock<T>(redis: Redis, memberId: Types.ObjectId, work: () => Promise<T>): Promise<T> {
  return withDocumentLock(redis, memberLockKey(memberId), work, { ttlMs: BIND_LOCK_TTL_MS, waitMs: BIND_LOCK_WAIT_MS });
}

/**
 * Binds the calling WeChat user to the member the invite was made for. The invite is used once;
 * a member already bound to someone else, or a user already bound to another active member,
 * is refused before the invite is spent.
 */
export async function bindWithInvite(
  models: Models,
  redis: Redis,
  actor: Actor,
  rawCode: string,
): Promise<SessionUser> {
  await countAttempt(redis, `bind-attempts:${String(actor.id)}`, BIND_ATTEMPTS_PER_MINUTE, 60);
  const code = normalizeInviteCode(rawCode);
  if (!INVITE_CODE_SHAPE.test(code)) throw inviteInvalid('invite code malformed');
  const codeHash = hashInviteCode(code);

  const candidate = await models.Invite.findOne(
    { codeHash, usedAt: null, expiresAt: { $gt: new Date() } },
    { memberId: 1 },
  ).lean();
  if (!candidate) throw inviteInvalid('invite not found, used or expired');

  const memberId = candidate.memberId;
  const userId = actor.id;
  await withMemberLock(redis, memberId, async () => {
    // Someone may have used the invite while we waited for the lock.
    if (!(await models.Invite.exists({ _id: candidate._id, usedAt: null, expiresAt: { $gt: new Date() } }))) {
      throw inviteInvalid('invite used or expired while waiting');
    }
    const member = await models.Member.findById(memberId, { active: 1, userId: 1 }).lean();
    if (!member) throw inviteInvalid('invite names a member that no longer exists');
    if (!member.active)
      throw new AppError('MEMBER_INACTIVE', { statusCode: 409, logMessage: 'bind to an inactive member' });
    if (member.userId && !member.userId.equals(userId)) {
      throw new AppError('MEMBER_ALREADY_BOUND', { statusCode: 409, logMessage: 'member is bound to another user' });
    }
    const user = await models.User.findById(userId, { memberId: 1 }).lean();
    if (!user) throw new AppError('UNAUTHORIZED', { logMessage: 'user vanished before bind' });
    const previousMemberId = user.memberId && !user.memberId.equals(memberId) ? user.memberId : null;
    if (previousMemberId && (await models.Member.exists({ _id: previousMemberId, active: true, userId }))) {
      throw new AppError('ACCOUNT_ALREADY_BOUND', {
        statusCode: 409,
        logMessage: 'user is bound to another active member',
      });
    }

    const now = new Date();
    const consumed = await models.Invite.findOneAndUpdate(
      { _id: candidate._id, codeHash, usedAt: null, expiresAt: { $gt: now } },
      { $set: { usedAt: now, usedByUserId: userId } },
      { new: true },
    ).lean();
    if (!consumed) throw inviteInvalid('invite used or expired while binding');

    await models.Member.updateOne({ _id: memberId }, { $set: { userId } });
    // A user re-bound from a retired member record leaves that record unbound.
    if (previousMemberId) await models.Member.updateOne({ _id: previousMemberId, userId }, { $set: { userId: null } });
    await models.User.updateOne({ _id: userId }, { $set: { role: 'member', memberId } });
  });

  return sessionForUser(models, { _id: userId, role: 'member', memberId });
}

function inviteStatus(invite: Pick<InviteDoc, 'usedAt' | 'revokedAt' | 'expiresAt'>, now: Date): InviteStatus {
  if (invite.usedAt) return 'used';
  if (invite.revokedAt) return 'revoked';
  return invite.expiresAt.getTime() > now.getTime() ? 'pending' : 'expired';
}

function toAdminInvite(invite: InviteDoc, memberName: string, now: Date): AdminInvite {
  return {
    id: String(invite._id),
    member: { id: String(invite.memberId), name: memberName },
    status: inviteStatus(invite, now),
    createdAt: invite.createdAt.toISOString(),
    expiresAt: invite.expiresAt.toISOString(),
    usedAt: invite.usedAt ? invite.usedAt.toISOString() : null,
  };
}

/** The studio's members in any state, whose invites the office lists. */
export function inviteMembersQuery(models: Models, studioId: string) {
  return models.Member.find(membersOfStudioFilter(new Types.ObjectId(studioId)), { name: 1 });
}

/** Invites of these members ({memberId} index), in a state if asked, newest first. */
export function inviteListQuery(
  models: Models,
  memberIds: Types.ObjectId[],
  query: AdminInviteListQuery,
  now = new Date(),
) {
  const filter: Record<string, unknown> = { memberId: { $in: memberIds } };
  if (query.status === 'used') filter.usedAt = { $ne: null };
  if (query.status === 'revoked') Object.assign(filter, { usedAt: null, revokedAt: { $ne: null } });
  if (query.status === 'pending') Object.assign(filter, { usedAt: null, revokedAt: null, expiresAt: { $gt: now } });
  if (query.status === 'expired') Object.assign(filter, { usedAt: null, revokedAt: null, expiresAt: { $lte: now } });
  return models.Invite.find(filter)
    .sort({ createdAt: -1, _id: -1 })
    .limit(query.limit ?? 50);
}

/** A studio's invites, newest first, for members in any state (codes are not stored: status only). */
export async function listInvites(
  models: Models,
  query: AdminInviteListQuery,
  now = new Date(),
): Promise<AdminInviteList> {
  const members = await inviteMembersQuery(models, query.studioId).lean();
  if (members.length === 0) return { items: [] };
  const names = new Map(members.map((m) => [String(m._id), m.name]));
  const invites = await inviteListQuery(
    models,
    members.map((m) => m._id),
    query,
    now,
  ).lean<InviteDoc[]>();
  return { items: invites.map((invite) => toAdminInvite(invite, names.get(String(invite.memberId)) ?? '', now)) };
}

/**
 * Withdraws an unused code. It runs under the member's lock, like binds, so a bind that already
 * holds the lock finishes first and the revoke then finds the code used (409), never half of each.
 */
export async function revokeInvite(models: Models, redis: Redis, id: string): Promise<AdminInvite> {
  const _id = new Types.ObjectId(id);
  const found = await models.Invite.findById(_id, { memberId: 1 }).lean();
  if (!found) throw new AppError('INVITE_NOT_FOUND', { statusCode: 404 });
  return withMemberLock(redis, found.memberId, async () => {
    const now = new Date();
    const revoked = await models.Invite.findOneAndUpdate(
      { _id, usedAt: null, revokedAt: null, expiresAt: { $gt: now } },
      { $set: { revokedAt: now, expiresAt: now } },
      { new: true },
    ).lean<InviteDoc>();
    if (!revoked)
      throw new AppError('INVITE_NOT_PENDING', {
        statusCode: 409,
        logMessage: 'invite already used, expired or revoked',
      });
    const member = await models.Member.findById(revoked.memberId, { name: 1 }).lean();
    return toAdminInvite(revoked, member?.name ?? '', now);
  });
}

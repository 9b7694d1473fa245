import type { Types } from 'mongoose';
import type { SessionUser } from '@mashangshang/shared';
import type { Models } from '../../models';
import type { Actor } from './actor';
import { AppError } from '../../errors';
import { WechatApiError, WechatUnavailableError, type WechatClient } from '../../wechat/client';
import { hashPassword, verifyPassword } from './passwords';

/** errcodes of jscode2session that mean the code itself is bad (expired, used, forged). */
const BAD_CODE_ERRCODES = new Set([40029, 40163, 40226, 41008]);
/** Compared against when the username is unknown, so a wrong name costs as long as a wrong password. */
const DUMMY_HASH = 'scrypt$AAAAAAAAAAAAAAAAAAAAAA==$' + 'A'.repeat(86) + '==';

const ADMIN_USERNAME = 'admin';

export async function loginWithWechat(models: Models, wechat: WechatClient, code: string): Promise<SessionUser> {
  let openid: string;
  try {
    ({ openid } = await wechat.code2Session(code));
  } catch (error) {
    if (error instanceof WechatApiError && BAD_CODE_ERRCODES.has(error.errcode)) {
      throw new AppError('WECHAT_CODE_INVALID', { logMessage: `jscode2session errcode ${error.errcode}` });
    }
    if (error instanceof WechatUnavailableError || error instanceof WechatApiError) {
      throw new AppError('WECHAT_UNAVAILABLE', { logMessage: error.message, cause: error });
    }
    throw error;
  }

  const upsert = () =>
    models.User.findOneAndUpdate(
      { openid },
      { $set: { lastLoginAt: new Date() }, $setOnInsert: { openid, role: 'resident', memberId: null } },
      { upsert: true, new: true },
    ).lean();
  let user;
  try {
    user = await upsert();
  } catch (error) {
    // Two first logins at once: the loser of the unique-index race reads the winner's user.
    if ((error as { code?: number }).code !== 11000) throw error;
    user = await upsert();
  }
  if (!user) throw new AppError('INTERNAL_ERROR', { logMessage: 'user upsert returned nothing' });
  return sessionForUser(models, user);
}

export async function sessionForUser(
  models: Models,
  user: { _id: Types.ObjectId; role: 'resident' | 'member'; memberId: Types.ObjectId | null },
): Promise<SessionUser> {
  let studioIds: string[] = [];
  if (user.role === 'member' && user.memberId) {
    const member = await models.Member.findOne({ _id: user.memberId, active: true }, { studioIds: 1 }).lean();
    studioIds = (member?.studioIds ?? []).map(String);
  }
  return { id: String(user._id), role: user.role, studioIds };
}

export async function loginWithPassword(models: Models, username: string, password: string): Promise<SessionUser> {
  const account = await models.AdminAccount.findOne({ username, active: true }).lean();
  const ok = await verifyPassword(password, account?.passwordHash ?? DUMMY_HASH);
  if (!account || !ok) throw new AppError('BAD_CREDENTIALS', { logMessage: 'password login failed' });
  return { id: String(account._id), role: 'admin', studioIds: [] };
}

/**
 * Makes the first admin account exist with the configured password. ADMIN_PASSWORD is the
 * source of truth for the `admin` account: changing it and restarting changes the password.
 */
export async function ensureAdminAccount(models: Models, password: string): Promise<void> {
  const existing = await models.AdminAccount.findOne({ username: ADMIN_USERNAME }).lean();
  if (existing && (await verifyPassword(password, existing.passwordHash))) return;
  const passwordHash = await hashPassword(password);
  await models.AdminAccount.updateOne(
    { username: ADMIN_USERNAME },
    { $set: { passwordHash, active: true }, $setOnInsert: { username: ADMIN_USERNAME, name: '系统管理员' } },
    { upsert: true },
  );
}

/** The session of whoever is acting now (role and studios as the database has them). */
export function sessionFor(actor: Actor): SessionUser {
  return { id: String(actor.id), role: actor.role, studioIds: actor.studioIds.map(String) };
}

import type { Types } from 'mongoose';
import type { Role } from '@mashangshang/shared';
import type { Models } from '../../models';

/** What a token carries: who, and in which role. Studio membership is read fresh per request. */
export interface TokenPayload {
  sub: string;
  role: Role;
  /** Token id, so one token can be revoked (sign-out, refresh) before it expires. */
  jti?: string;
  exp?: number;
}

/**
 * Who is acting, read fresh from the database on each request: a member removed from a studio,
 * or disabled, loses access at once, whatever their token still says.
 */
export interface Actor {
  role: Role;
  /** The User id (resident, member) or the admin account id. */
  id: Types.ObjectId;
  /** The Member record of a member; null otherwise. */
  memberId: Types.ObjectId | null;
  /** Studios a member belongs to; empty for others. */
  studioIds: Types.ObjectId[];
  /** Display name for timelines. */
  name: string;
}

export async function resolveActor(models: Models, token: TokenPayload): Promise<Actor | null> {
  if (!/^[0-9a-f]{24}$/.test(token.sub)) return null;
  if (token.role === 'admin') {
    const admin = await models.AdminAccount.findOne({ _id: token.sub, active: true }, { name: 1 }).lean();
    return admin ? { role: 'admin', id: admin._id, memberId: null, studioIds: [], name: admin.name } : null;
  }
  const user = await models.User.findById(token.sub, { role: 1, memberId: 1 }).lean();
  if (!user) return null;
  if (user.role === 'member' && user.memberId) {
    const member = await models.Member.findOne({ _id: user.memberId, active: true }, { name: 1, studioIds: 1 }).lean();
    if (member)
      return { role: 'member', id: user._id, memberId: member._id, studioIds: member.studioIds, name: member.name };
  }
  return { role: 'resident', id: user._id, memberId: null, studioIds: [], name: '群众' };
}

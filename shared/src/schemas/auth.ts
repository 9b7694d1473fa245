import { Type, type Static } from '@sinclair/typebox';
import { ROLES } from '../enums';
import { Id, literalUnion } from './common';

export const RoleSchema = literalUnion(ROLES);

export const SessionUser = Type.Object({
  id: Id,
  role: RoleSchema,
  studioIds: Type.Array(Id),
});
export type SessionUser = Static<typeof SessionUser>;

export const AuthResponse = Type.Object({
  token: Type.String(),
  user: SessionUser,
});
export type AuthResponse = Static<typeof AuthResponse>;

export const WechatLoginBody = Type.Object(
  { code: Type.String({ minLength: 1, maxLength: 128, description: 'wx.login 得到的临时登录凭证' }) },
  { additionalProperties: false },
);
export type WechatLoginBody = Static<typeof WechatLoginBody>;

export const PasswordLoginBody = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 64 }),
    password: Type.String({ minLength: 1, maxLength: 128 }),
  },
  { additionalProperties: false },
);
export type PasswordLoginBody = Static<typeof PasswordLoginBody>;

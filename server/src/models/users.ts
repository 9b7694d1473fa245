import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { ROLES, type Role } from '@mashangshang/shared';

/** A WeChat user. The openid never leaves the server. */
interface UserDoc {
  _id: Types.ObjectId;
  openid: string;
  role: Exclude<Role, 'admin'>;
  memberId: Types.ObjectId | null;
  lastLoginAt: Date;
  createdAt: Date;
  updatedAt: Date;
}

const userSchema = new Schema<UserDoc>(
  {
    openid: { type: String, required: true },
    role: { type: String, enum: ROLES.filter((r) => r !== 'admin'), default: 'resident' },
    memberId: { type: Schema.Types.ObjectId, default: null },
    lastLoginAt: { type: Date, default: () => new Date() },
  },
  { timestamps: true },
);
userSchema.index({ openid: 1 }, { unique: true });

/** A CPPCC office account for the web console, signed in with a password. */
interface AdminAccountDoc {
  _id: Types.ObjectId;
  username: string;
  passwordHash: string;
  name: string;
  active: boolean;
  createdAt: Date;
  updatedAt: Date;
}

const adminAccountSchema = new Schema<AdminAccountDoc>(
  {
    username: { type: String, required: true, maxlength: 64 },
    passwordHash: { type: String, required: true },
    name: { type: String, default: '管理员' },
    active: { type: Boolean, default: true },
  },
  { timestamps: true },
);
adminAccountSchema.index({ username: 1 }, { unique: true });

export type UserModel = Model<UserDoc>;
export type AdminAccountModel = Model<AdminAccountDoc>;

export function userModel(connection: Connection): UserModel {
  return connection.model<UserDoc>('User', userSchema);
}

export function adminAccountModel(connection: Connection): AdminAccountModel {
  return connection.model<AdminAccountDoc>('AdminAccount', adminAccountSchema);
}

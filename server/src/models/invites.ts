import { Schema, type Connection, type Model, type Types } from 'mongoose';

/**
 * A one-time code that lets a WeChat user become a given member. Only the SHA-256 of the code is
 * stored, so a database leak does not leak usable codes. Expiry is checked in queries (no TTL
 * indexes on FerretDB); used and expired invites stay as an audit trail.
 */
export interface InviteDoc {
  _id: Types.ObjectId;
  codeHash: string;
  memberId: Types.ObjectId;
  /** The admin account that made the invite. */
  createdBy: Types.ObjectId;
  expiresAt: Date;
  usedAt: Date | null;
  usedByUserId: Types.ObjectId | null;
  /** Set when the office withdrew the code before it was used (expiresAt is then moved to the same moment). */
  revokedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

const inviteSchema = new Schema<InviteDoc>(
  {
    codeHash: { type: String, required: true },
    memberId: { type: Schema.Types.ObjectId, required: true },
    createdBy: { type: Schema.Types.ObjectId, required: true },
    expiresAt: { type: Date, required: true },
    usedAt: { type: Date, default: null },
    usedByUserId: { type: Schema.Types.ObjectId, default: null },
    revokedAt: { type: Date, default: null },
  },
  { timestamps: true },
);

inviteSchema.index({ codeHash: 1 }, { unique: true });
inviteSchema.index({ memberId: 1 });

export type InviteModel = Model<InviteDoc>;

export function inviteModel(connection: Connection): InviteModel {
  return connection.model<InviteDoc>('Invite', inviteSchema);
}

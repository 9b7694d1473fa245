import { Schema, type Connection, type Model, type Types } from 'mongoose';

export interface MemberDoc {
  _id: Types.ObjectId;
  name: string;
  title: string;
  /** Mobile number encrypted with `app.fieldCipher` (never stored in clear); null when unknown. */
  phoneEnc: string | null;
  studioIds: Types.ObjectId[];
  /** Lead members of a studio hear about escalations. */
  leadOf: Types.ObjectId[];
  active: boolean;
  /** The WeChat user bound to this member through an invite, once bound. */
  userId: Types.ObjectId | null;
  /** Natural key of demo/imported members, so seeding is idempotent. */
  externalKey: string | null;
  /** When the member was last given a ticket: ties in assignment go to who waited longest. */
  lastAssignedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

const memberSchema = new Schema<MemberDoc>(
  {
    name: { type: String, required: true, maxlength: 40 },
    title: { type: String, default: '', maxlength: 60 },
    phoneEnc: { type: String, default: null },
    studioIds: { type: [Schema.Types.ObjectId], default: [] },
    leadOf: { type: [Schema.Types.ObjectId], default: [] },
    active: { type: Boolean, default: true },
    userId: { type: Schema.Types.ObjectId, default: null },
    externalKey: { type: String, default: null },
    lastAssignedAt: { type: Date, default: null },
  },
  { timestamps: true },
);

memberSchema.index({ studioIds: 1, active: 1 });
memberSchema.index({ userId: 1 });
memberSchema.index({ externalKey: 1 });

export type MemberModel = Model<MemberDoc>;

export function memberModel(connection: Connection): MemberModel {
  return connection.model<MemberDoc>('Member', memberSchema);
}

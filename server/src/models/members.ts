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
// Active members (a studio's members, assignment, escalation leads) and the office's list by name.
// FerretDB cannot look inside the studioIds array: on it, these lists read the members by `active`
// through this index and keep a studio's in Go; MongoDB uses {studioIds, active} for them.
memberSchema.index({ active: 1, name: 1, _id: 1 });
memberSchema.index({ userId: 1 });
memberSchema.index({ externalKey: 1 });

/**
 * Members in either state, as an index range: `active` is a boolean on every member (schema default),
 * so this matches every member, and lets a list that means "all members" (the office's) start from
 * the {active, name, _id} index instead of reading the collection (MongoDB merges the two ranges in
 * name order: no blocking sort).
 */
export function anyMemberState(): { active: { $in: boolean[] } } {
  return { active: { $in: [true, false] } };
}

/**
 * The members of a studio: active ones, inactive ones, or (`active` undefined) both. On FerretDB the
 * `active` condition is what an index serves (see the {active, name, _id} index).
 */
export function membersOfStudioFilter(studioId: Types.ObjectId, active?: boolean): Record<string, unknown> {
  return { studioIds: studioId, ...(active === undefined ? anyMemberState() : { active }) };
}

export type MemberModel = Model<MemberDoc>;

export function memberModel(connection: Connection): MemberModel {
  return connection.model<MemberDoc>('Member', memberSchema);
}

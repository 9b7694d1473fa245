import { Schema, type Connection, type Model, type Types } from 'mongoose';

/**
 * A 回头看 follow-up still to be asked: one per resolved ticket (its id), for the resolution at
 * `resolvedAt`. Removed once asked (or when the ticket was reopened meanwhile), so the collection
 * holds only what is pending; the sweeper reads the due ones by the {resolvedAt} index.
 */
export interface FollowUpDueDoc {
  _id: Types.ObjectId;
  resolvedAt: Date;
}

const followUpDueSchema = new Schema<FollowUpDueDoc>(
  { resolvedAt: { type: Date, required: true } },
  { versionKey: false },
);
followUpDueSchema.index({ resolvedAt: 1 });

export function followUpDueModel(connection: Connection): Model<FollowUpDueDoc> {
  return connection.model<FollowUpDueDoc>('FollowUpDue', followUpDueSchema);
}

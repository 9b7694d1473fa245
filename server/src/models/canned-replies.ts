import { Schema, type Connection, type Model, type Types } from 'mongoose';

/** A 常用回复 of one studio, or office-wide (`studioId` null). */
export interface CannedReplyDoc {
  _id: Types.ObjectId;
  studioId: Types.ObjectId | null;
  title: string;
  text: string;
  useCount: number;
  createdBy: string;
  updatedAt: Date;
}

const cannedReplySchema = new Schema<CannedReplyDoc>(
  {
    studioId: { type: Schema.Types.ObjectId, default: null },
    title: { type: String, required: true, maxlength: 30 },
    text: { type: String, required: true, maxlength: 1000 },
    useCount: { type: Number, default: 0, min: 0 },
    createdBy: { type: String, required: true },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false },
);
// A studio's list and the office-wide one: one index range each.
cannedReplySchema.index({ studioId: 1, _id: 1 });

export function cannedReplyModel(connection: Connection): Model<CannedReplyDoc> {
  return connection.model<CannedReplyDoc>('CannedReply', cannedReplySchema);
}

import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { MEDIA_CHECK_STATES, type MediaCheckState } from '@mashangshang/shared';

/**
 * WeChat's check of one uploaded image; `_id` is the upload's id. Kept apart from the upload record
 * on purpose: FerretDB 1.x updates are read-modify-write, so the check's writes (from pushes and the
 * sweeper) must never race with a ticket claiming the upload.
 * An upload without a record predates the checks and counts as passed.
 */
export interface MediaCheckDoc {
  _id: Types.ObjectId;
  ownerId: Types.ObjectId;
  state: MediaCheckState;
  traceId: string | null;
  askedAt: Date | null;
  attempts: number;
  checkedAt: Date | null;
  /** The admin whose own verdict replaced WeChat's, if any. */
  decidedBy?: Types.ObjectId | null;
  createdAt: Date;
}

const mediaCheckSchema = new Schema<MediaCheckDoc>(
  {
    ownerId: { type: Schema.Types.ObjectId, required: true },
    state: { type: String, enum: MEDIA_CHECK_STATES, required: true },
    traceId: { type: String, default: null },
    askedAt: { type: Date, default: null },
    attempts: { type: Number, default: 0 },
    checkedAt: { type: Date, default: null },
    decidedBy: { type: Schema.Types.ObjectId, default: null },
    createdAt: { type: Date, default: () => new Date() },
  },
  { versionKey: false },
);

mediaCheckSchema.index({ traceId: 1 }, { sparse: true });
mediaCheckSchema.index({ state: 1, askedAt: 1 });

export type MediaCheckModel = Model<MediaCheckDoc>;

export function mediaCheckModel(connection: Connection): MediaCheckModel {
  return connection.model<MediaCheckDoc>('MediaCheck', mediaCheckSchema);
}

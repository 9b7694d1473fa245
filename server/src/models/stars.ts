import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { STAR_SOURCES, type StarMetrics, type StarSource } from '@mashangshang/shared';

/** A studio's star state: the last computed star and an admin's override (the studio shows the override when set). */
export interface StarStateDoc {
  /** The studio's id. */
  _id: Types.ObjectId;
  computed: { star: number; score: number; metrics: StarMetrics; at: Date } | null;
  override: { star: number; reason: string; actorName: string; at: Date } | null;
}

/** Every change of a studio's star, computed or by hand, with why. */
export interface StarHistoryDoc {
  _id: Types.ObjectId;
  studioId: Types.ObjectId;
  star: number;
  previous: number;
  source: StarSource;
  reason: string;
  score: number | null;
  metrics: StarMetrics | null;
  window: { from: string; to: string } | null;
  actorName: string;
  at: Date;
}

const metricsSchema = {
  tickets: Number,
  responseRate: { type: Number, default: null },
  resolutionRate: { type: Number, default: null },
  averageRating: { type: Number, default: null },
  volume: Number,
};

const starStateSchema = new Schema<StarStateDoc>(
  {
    computed: { type: { star: Number, score: Number, metrics: metricsSchema, at: Date }, default: null, _id: false },
    override: { type: { star: Number, reason: String, actorName: String, at: Date }, default: null, _id: false },
  },
  { versionKey: false },
);

const starHistorySchema = new Schema<StarHistoryDoc>(
  {
    studioId: { type: Schema.Types.ObjectId, required: true },
    star: { type: Number, required: true },
    previous: { type: Number, required: true },
    source: { type: String, enum: STAR_SOURCES, required: true },
    reason: { type: String, default: '' },
    score: { type: Number, default: null },
    metrics: { type: metricsSchema, default: null, _id: false },
    window: { type: { from: String, to: String }, default: null, _id: false },
    actorName: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false },
);
starHistorySchema.index({ studioId: 1, _id: -1 });

export function starStateModel(connection: Connection): Model<StarStateDoc> {
  return connection.model<StarStateDoc>('StarState', starStateSchema);
}

export function starHistoryModel(connection: Connection): Model<StarHistoryDoc> {
  return connection.model<StarHistoryDoc>('StarHistory', starHistorySchema);
}

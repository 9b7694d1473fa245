import { Schema, type Connection, type Model, type Types } from 'mongoose';

/** 履职项目: a member's declared duty project for a year (835 in one year in the reference county). */
export interface ProjectDoc {
  _id: Types.ObjectId;
  memberId: Types.ObjectId;
  year: number;
  title: string;
  summary: string;
  /** Retired projects stay on record but are no longer shown publicly. */
  active: boolean;
  createdAt: Date;
  updatedAt: Date;
}

const projectSchema = new Schema<ProjectDoc>(
  {
    memberId: { type: Schema.Types.ObjectId, required: true },
    year: { type: Number, required: true, min: 2000, max: 2100 },
    title: { type: String, required: true, maxlength: 60 },
    summary: { type: String, default: '', maxlength: 500 },
    active: { type: Boolean, default: true },
  },
  { timestamps: true, versionKey: false },
);
projectSchema.index({ memberId: 1, year: -1 });
projectSchema.index({ year: 1, _id: -1 });

export function projectModel(connection: Connection): Model<ProjectDoc> {
  return connection.model<ProjectDoc>('Project', projectSchema);
}

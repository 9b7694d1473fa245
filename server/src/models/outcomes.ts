import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { OUTCOME_KINDS, OUTCOME_STATUSES, type OutcomeKind, type OutcomeStatus } from '@mashangshang/shared';

interface OutcomeHistoryEntry {
  at: Date;
  actorName: string;
  status: OutcomeStatus;
  where: string;
  note: string;
}

/** 三转: one record per ticket resolved into a consultation suggestion, proposal, public-opinion report or service project. */
export interface OutcomeDoc {
  _id: Types.ObjectId;
  ticketId: Types.ObjectId;
  ticketNo: string;
  studioId: Types.ObjectId;
  kind: OutcomeKind;
  title: string;
  where: string;
  status: OutcomeStatus;
  note: string;
  history: OutcomeHistoryEntry[];
  createdAt: Date;
  updatedAt: Date;
}

const historySchema = new Schema<OutcomeHistoryEntry>(
  {
    at: { type: Date, required: true },
    actorName: { type: String, required: true },
    status: { type: String, enum: OUTCOME_STATUSES, required: true },
    where: { type: String, default: '' },
    note: { type: String, default: '' },
  },
  { _id: false },
);

const outcomeSchema = new Schema<OutcomeDoc>(
  {
    ticketId: { type: Schema.Types.ObjectId, required: true },
    ticketNo: { type: String, required: true },
    studioId: { type: Schema.Types.ObjectId, required: true },
    kind: { type: String, enum: OUTCOME_KINDS, required: true },
    title: { type: String, required: true },
    where: { type: String, default: '', maxlength: 100 },
    status: { type: String, enum: OUTCOME_STATUSES, default: 'recorded' },
    note: { type: String, default: '', maxlength: 500 },
    history: { type: [historySchema], default: [] },
  },
  { timestamps: true, versionKey: false },
);
// One record per ticket: resolving again (or a retried request) never makes a second one.
outcomeSchema.index({ ticketId: 1 }, { unique: true });
outcomeSchema.index({ kind: 1, status: 1, _id: -1 });
// The office's list filtered by status, studio or creation day alone (GET /admin/outcomes).
outcomeSchema.index({ status: 1, _id: -1 });
outcomeSchema.index({ studioId: 1, _id: -1 });
outcomeSchema.index({ createdAt: 1 });

export function outcomeModel(connection: Connection): Model<OutcomeDoc> {
  return connection.model<OutcomeDoc>('Outcome', outcomeSchema);
}

import { Schema, type Connection, type Model, type Types } from 'mongoose';
import {
  DEFAULT_SLA_HOURS,
  DEFAULT_SLA_WORKDAYS,
  MAX_SLA_WORKDAYS,
  SLA_UNITS,
  STUDIO_KINDS,
  type SlaUnit,
  type StudioKind,
} from '@mashangshang/shared';

export interface ServiceItemDoc {
  _id: Types.ObjectId;
  title: string;
  summary: string;
  active: boolean;
}

export interface StudioDoc {
  _id: Types.ObjectId;
  /** Short lowercase code; the QR code's scene is `s=<code>`. Stable for the studio's life. */
  code: string;
  name: string;
  kind: StudioKind;
  town: string | null;
  sector: string | null;
  jointGroup: string | null;
  intro: string;
  address: string;
  star: number;
  /** Response deadline for a new ticket, in hours (when `slaUnit` is hours). */
  slaHours: number;
  /** Whether the deadline counts natural hours or China's working days. */
  slaUnit: SlaUnit;
  /** Response deadline in working days (when `slaUnit` is workdays). */
  slaWorkdays: number;
  sortOrder: number;
  active: boolean;
  serviceItems: ServiceItemDoc[];
  createdAt: Date;
  updatedAt: Date;
}

const serviceItemSchema = new Schema<ServiceItemDoc>({
  title: { type: String, required: true, maxlength: 60 },
  summary: { type: String, default: '', maxlength: 500 },
  active: { type: Boolean, default: true },
});

const studioSchema = new Schema<StudioDoc>(
  {
    code: { type: String, required: true, match: /^[0-9a-z]{4,16}$/ },
    name: { type: String, required: true, maxlength: 60 },
    kind: { type: String, enum: STUDIO_KINDS, required: true },
    town: { type: String, default: null },
    sector: { type: String, default: null },
    jointGroup: { type: String, default: null },
    intro: { type: String, default: '', maxlength: 2000 },
    address: { type: String, default: '', maxlength: 200 },
    star: { type: Number, default: 0, min: 0, max: 5 },
    slaHours: { type: Number, default: DEFAULT_SLA_HOURS, min: 1, max: 720 },
    slaUnit: { type: String, enum: SLA_UNITS, default: 'hours' },
    slaWorkdays: { type: Number, default: DEFAULT_SLA_WORKDAYS, min: 1, max: MAX_SLA_WORKDAYS },
    sortOrder: { type: Number, default: 0 },
    active: { type: Boolean, default: true },
    serviceItems: { type: [serviceItemSchema], default: [] },
  },
  { timestamps: true },
);

studioSchema.index({ code: 1 }, { unique: true });
studioSchema.index({ active: 1, sortOrder: 1, _id: 1 });
studioSchema.index({ town: 1 });
studioSchema.index({ sector: 1 });

/**
 * Studios in either state, as an index range: `active` is a boolean on every studio (schema default),
 * so this matches every studio, through {active, sortOrder, _id} (MongoDB merges the two ranges in
 * list order: no blocking sort). For the lists that mean "all studios": the office's, statistics,
 * exports.
 */
export function anyStudioState(): { active: { $in: boolean[] } } {
  return { active: { $in: [true, false] } };
}

export type StudioModel = Model<StudioDoc>;

export function studioModel(connection: Connection): StudioModel {
  return connection.model<StudioDoc>('Studio', studioSchema);
}

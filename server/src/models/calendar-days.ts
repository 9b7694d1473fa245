import { Schema, type Connection, type Model } from 'mongoose';

/**
 * An office's decision about one day of China's calendar, over the State Council's arrangement the
 * server ships with: next year's holidays before the built-in data has them (the notice comes out
 * each December), or a local arrangement. `_id` is the China date, YYYY-MM-DD.
 */
export interface CalendarDayDoc {
  _id: string;
  workday: boolean;
  name: string;
  updatedBy: string;
  updatedAt: Date;
}

const calendarDaySchema = new Schema<CalendarDayDoc>(
  {
    _id: { type: String, required: true },
    workday: { type: Boolean, required: true },
    name: { type: String, required: true, maxlength: 40 },
    updatedBy: { type: String, required: true },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false },
);

export function calendarDayModel(connection: Connection): Model<CalendarDayDoc> {
  return connection.model<CalendarDayDoc>('CalendarDay', calendarDaySchema);
}

import { Schema, type Connection, type Model, type Types } from 'mongoose';
import {
  NOTICE_KINDS,
  TEMPLATE_KEYS,
  WECHAT_DELIVERY_STATES,
  type NoticeKind,
  type TemplateKey,
} from '@mashangshang/shared';
import type { NoticeRecipient } from './tickets';

type WechatDeliveryState = (typeof WECHAT_DELIVERY_STATES)[number];

/** The in-app copy of a notice (its id is the outbox entry's id), with the WeChat delivery state. */
export interface NotificationDoc {
  _id: Types.ObjectId;
  recipient: NoticeRecipient;
  kind: NoticeKind;
  ticketId: Types.ObjectId;
  ticketNo: string;
  title: string;
  body: string;
  readAt: Date | null;
  wechat: {
    state: WechatDeliveryState;
    /** A consent credit was spent on this notice: retries must not spend another. */
    creditTaken: boolean;
    attempts: number;
    lastError: string;
    sentAt: Date | null;
  };
  createdAt: Date;
}

const notificationSchema = new Schema<NotificationDoc>(
  {
    recipient: {
      kind: { type: String, enum: ['user', 'member', 'admins'], required: true },
      id: { type: Schema.Types.ObjectId, default: null },
    },
    kind: { type: String, enum: NOTICE_KINDS, required: true },
    ticketId: { type: Schema.Types.ObjectId, required: true },
    ticketNo: { type: String, required: true },
    title: { type: String, required: true },
    body: { type: String, default: '' },
    readAt: { type: Date, default: null },
    wechat: {
      state: { type: String, enum: WECHAT_DELIVERY_STATES, default: 'pending' },
      creditTaken: { type: Boolean, default: false },
      attempts: { type: Number, default: 0 },
      lastError: { type: String, default: '' },
      sentAt: { type: Date, default: null },
    },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
);
notificationSchema.index({ 'recipient.kind': 1, 'recipient.id': 1, _id: -1 });
notificationSchema.index({ 'wechat.state': 1, _id: -1 });

/** One-time consents from wx.requestSubscribeMessage: each allows one send of its template. */
export interface ConsentCreditDoc {
  _id: Types.ObjectId;
  userId: Types.ObjectId;
  templateKey: TemplateKey;
  credits: number;
  /** A long-term template's consent, as WeChat's subscribe-message events last said (null: never told). */
  longTerm?: 'accept' | 'reject' | null;
}

const consentCreditSchema = new Schema<ConsentCreditDoc>(
  {
    userId: { type: Schema.Types.ObjectId, required: true },
    templateKey: { type: String, enum: TEMPLATE_KEYS, required: true },
    credits: { type: Number, default: 0, min: 0 },
    longTerm: { type: String, enum: ['accept', 'reject', null], default: null },
  },
  { versionKey: false },
);
consentCreditSchema.index({ userId: 1, templateKey: 1 }, { unique: true });

export function notificationModel(connection: Connection): Model<NotificationDoc> {
  return connection.model<NotificationDoc>('Notification', notificationSchema);
}

export function consentCreditModel(connection: Connection): Model<ConsentCreditDoc> {
  return connection.model<ConsentCreditDoc>('ConsentCredit', consentCreditSchema);
}

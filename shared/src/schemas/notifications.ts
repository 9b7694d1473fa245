import { Type, type Static } from '@sinclair/typebox';
import { LONG_TERM_STATES, NOTICE_KINDS, TEMPLATE_KEYS } from '../notifications';
import { Id, IsoDateTime, Page, PageQuery, literalUnion } from './common';

export const TemplateKeySchema = literalUnion(TEMPLATE_KEYS);

export const SubscriptionsBody = Type.Object(
  {
    accepted: Type.Array(TemplateKeySchema, {
      maxItems: TEMPLATE_KEYS.length,
      description: 'wx.requestSubscribeMessage 中用户同意的模板',
    }),
  },
  { additionalProperties: false },
);
export type SubscriptionsBody = Static<typeof SubscriptionsBody>;

export const SubscriptionState = Type.Object({
  /** A long-term template: one consent, many sends. Else each consent allows one send. */
  longTerm: Type.Boolean(),
  state: literalUnion(LONG_TERM_STATES, { description: '长期订阅的状态；一次性订阅为 unknown' }),
  /** Sends still allowed (one-time templates). */
  credits: Type.Integer({ minimum: 0 }),
  /** The next notice of this kind will reach WeChat. */
  willNotify: Type.Boolean(),
});
export type SubscriptionState = Static<typeof SubscriptionState>;

export const SubscriptionsResponse = Type.Object({
  /** Sends still allowed per template: each consent allows one. */
  credits: Type.Record(Type.String(), Type.Integer({ minimum: 0 })),
  /** Per template: long-term or one-time, and whether the next notice will reach WeChat. */
  templates: Type.Record(Type.String(), SubscriptionState),
});
export type SubscriptionsResponse = Static<typeof SubscriptionsResponse>;

export const NotificationView = Type.Object({
  id: Id,
  kind: literalUnion(NOTICE_KINDS),
  title: Type.String(),
  body: Type.String(),
  ticketId: Id,
  ticketNo: Type.String(),
  createdAt: IsoDateTime,
  readAt: Type.Union([IsoDateTime, Type.Null()]),
});
export type NotificationView = Static<typeof NotificationView>;

export const NotificationList = Type.Composite([
  Page(NotificationView),
  Type.Object({ unreadCount: Type.Integer({ minimum: 0 }) }),
]);
export type NotificationList = Static<typeof NotificationList>;

export const NotificationListQuery = Type.Composite(
  [Type.Object({ unread: Type.Optional(Type.Boolean()) }), PageQuery],
  { additionalProperties: false },
);
export type NotificationListQuery = Static<typeof NotificationListQuery>;

export const MarkReadBody = Type.Object(
  { ids: Type.Optional(Type.Array(Id, { maxItems: 100 })), all: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);
export type MarkReadBody = Static<typeof MarkReadBody>;

export const MarkReadResponse = Type.Object({ unreadCount: Type.Integer({ minimum: 0 }) });

export const WECHAT_DELIVERY_STATES = ['pending', 'sent', 'no_consent', 'not_applicable', 'failed'] as const;

export const FailedNoticeView = Type.Object({
  id: Id,
  kind: literalUnion(NOTICE_KINDS),
  ticketId: Id,
  ticketNo: Type.String(),
  recipient: Type.String({ description: '接收人（委员姓名或“群众”）' }),
  attempts: Type.Integer(),
  lastError: Type.String(),
  createdAt: IsoDateTime,
});
export const FailedNoticeList = Page(FailedNoticeView);

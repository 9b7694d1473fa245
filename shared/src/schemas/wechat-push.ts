import { Type, type Static } from '@sinclair/typebox';

/**
 * WeChat's message push (消息推送, plaintext or compatible mode, JSON format): the query carries
 * `signature = sha1(sort([token, timestamp, nonce]).join(''))`; the URL check adds `echostr`.
 */
export const WechatPushQuery = Type.Object(
  {
    signature: Type.String({ pattern: '^[0-9a-f]{40}$' }),
    timestamp: Type.String({ pattern: '^[0-9]{1,12}$' }),
    nonce: Type.String({ minLength: 1, maxLength: 64, pattern: '^[0-9A-Za-z_-]+$' }),
    echostr: Type.Optional(Type.String({ minLength: 1, maxLength: 256, pattern: '^[0-9A-Za-z_-]+$' })),
    // Added by WeChat in compatible/safe mode; accepted so such a configuration is not refused outright.
    openid: Type.Optional(Type.String({ maxLength: 64 })),
    encrypt_type: Type.Optional(Type.String({ maxLength: 16 })),
    msg_signature: Type.Optional(Type.String({ maxLength: 64 })),
  },
  { additionalProperties: false },
);
export type WechatPushQuery = Static<typeof WechatPushQuery>;

/**
 * One template in a subscribe-message event: accepted or rejected (popup, settings page), or the
 * result of a send. WeChat writes numbers as strings in these events.
 */
export const SubscribeEventItem = Type.Object(
  {
    TemplateId: Type.String({ minLength: 1, maxLength: 128 }),
    SubscribeStatusString: Type.Optional(Type.String({ maxLength: 16 })),
    PopupScene: Type.Optional(Type.Union([Type.String({ maxLength: 8 }), Type.Integer()])),
    MsgID: Type.Optional(Type.Union([Type.String({ maxLength: 32 }), Type.Integer()])),
    ErrorCode: Type.Optional(Type.Union([Type.String({ maxLength: 16 }), Type.Integer()])),
    ErrorStatus: Type.Optional(Type.String({ maxLength: 128 })),
  },
  { additionalProperties: true },
);
export type SubscribeEventItem = Static<typeof SubscribeEventItem>;

/** The events we act on; any other event is acknowledged and ignored. */
export const WechatPushBody = Type.Object(
  {
    ToUserName: Type.Optional(Type.String({ maxLength: 64 })),
    FromUserName: Type.Optional(Type.String({ maxLength: 64 })),
    CreateTime: Type.Optional(Type.Union([Type.Integer({ minimum: 0 }), Type.String({ pattern: '^[0-9]{1,12}$' })])),
    MsgType: Type.String({ minLength: 1, maxLength: 32 }),
    Event: Type.Optional(Type.String({ maxLength: 64 })),
    appid: Type.Optional(Type.String({ maxLength: 64 })),
    trace_id: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    version: Type.Optional(Type.Integer()),
    errcode: Type.Optional(Type.Integer()),
    errmsg: Type.Optional(Type.String({ maxLength: 512 })),
    result: Type.Optional(
      Type.Object({ suggest: Type.String({ maxLength: 16 }), label: Type.Optional(Type.Integer()) }),
    ),
    /** subscribe_msg_popup_event, subscribe_msg_change_event, subscribe_msg_sent_event: one item or a list. */
    List: Type.Optional(Type.Union([Type.Array(SubscribeEventItem, { maxItems: 20 }), SubscribeEventItem])),
  },
  { additionalProperties: true },
);
export type WechatPushBody = Static<typeof WechatPushBody>;

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

/** The events we act on; any other event is acknowledged and ignored. */
export const WechatPushBody = Type.Object(
  {
    ToUserName: Type.Optional(Type.String({ maxLength: 64 })),
    FromUserName: Type.Optional(Type.String({ maxLength: 64 })),
    CreateTime: Type.Optional(Type.Integer({ minimum: 0 })),
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
  },
  { additionalProperties: true },
);
export type WechatPushBody = Static<typeof WechatPushBody>;

import { Type, type Static } from '@sinclair/typebox';
import { Id } from './common';

export const UploadResponse = Type.Object({
  id: Id,
  url: Type.String({ description: '带签名的图片地址（相对路径，有效期有限），可直接用于 <image src>' }),
});
export type UploadResponse = Static<typeof UploadResponse>;

export const UploadParams = Type.Object({ id: Id }, { additionalProperties: false });
export type UploadParams = Static<typeof UploadParams>;

/** The signature part of a signed image URL; both present or the request needs a token. */
export const UploadSignedQuery = Type.Object(
  {
    exp: Type.Optional(Type.String({ pattern: '^[0-9]{1,12}$', description: '签名过期时间（Unix 秒）' })),
    sig: Type.Optional(Type.String({ pattern: '^[0-9a-f]{64}$', description: '签名（十六进制 HMAC-SHA256）' })),
  },
  { additionalProperties: false },
);
export type UploadSignedQuery = Static<typeof UploadSignedQuery>;

/** An admin's own verdict on an image WeChat did not pass (or has not judged yet). */
export const ImageCheckDecisionBody = Type.Object(
  {
    verdict: Type.Union([Type.Literal('pass'), Type.Literal('risky')], {
      description: 'pass：图片可以展示给委员；risky：不予展示',
    }),
  },
  { additionalProperties: false },
);
export type ImageCheckDecisionBody = Static<typeof ImageCheckDecisionBody>;

export const ImageCheckResponse = Type.Object({
  id: Id,
  check: Type.Union([Type.Literal('pending'), Type.Literal('pass'), Type.Literal('review'), Type.Literal('risky')]),
});
export type ImageCheckResponse = Static<typeof ImageCheckResponse>;

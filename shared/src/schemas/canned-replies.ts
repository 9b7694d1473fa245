import { Type, type Static } from '@sinclair/typebox';
import { Id, IsoDateTime } from './common';
import { CANNED_REPLY_TEXT_MAX, CANNED_REPLY_TITLE_MAX } from '../canned-replies';

export const CannedReply = Type.Object({
  id: Id,
  /** Null: office-wide, offered to every studio. */
  studioId: Type.Union([Id, Type.Null()]),
  title: Type.String(),
  text: Type.String(),
  useCount: Type.Integer({ minimum: 0 }),
  updatedAt: IsoDateTime,
});
export type CannedReply = Static<typeof CannedReply>;

export const CannedReplyList = Type.Object({
  items: Type.Array(CannedReply),
  canEdit: Type.Boolean({
    description: '当前用户能否维护所查的这份常用回复（管理员都能；工作室负责委员能维护本工作室的）',
  }),
});
export type CannedReplyList = Static<typeof CannedReplyList>;

export const CannedReplyListQuery = Type.Object(
  { studioId: Type.Optional({ ...Id, description: '工作室；不填时只列全局常用回复' }) },
  { additionalProperties: false },
);
export type CannedReplyListQuery = Static<typeof CannedReplyListQuery>;

const Title = Type.String({ minLength: 1, maxLength: CANNED_REPLY_TITLE_MAX, description: '标题，如“已转交相关部门”' });
const Text = Type.String({
  minLength: 1,
  maxLength: CANNED_REPLY_TEXT_MAX,
  description: '回复内容，可含占位符 {称呼}、{工作室名}，插入时自动替换',
});

export const CannedReplyCreateBody = Type.Object(
  {
    studioId: Type.Union([Id, Type.Null()], { description: '所属工作室；null 为全局（仅管理员）' }),
    title: Title,
    text: Text,
  },
  { additionalProperties: false },
);
export type CannedReplyCreateBody = Static<typeof CannedReplyCreateBody>;

export const CannedReplyPatchBody = Type.Object(
  { title: Type.Optional(Title), text: Type.Optional(Text) },
  { additionalProperties: false, minProperties: 1 },
);
export type CannedReplyPatchBody = Static<typeof CannedReplyPatchBody>;

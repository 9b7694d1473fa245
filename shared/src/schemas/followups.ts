import { Type, type Static } from '@sinclair/typebox';

/** The resident's answer to 回头看: was the matter really settled? */
export const FollowUpBody = Type.Object(
  {
    settled: Type.Boolean({ description: 'true：问题已解决；false：未解决，留言将退回工作室重新办理' }),
    comment: Type.Optional(Type.String({ maxLength: 300, description: '补充说明（选填）' })),
  },
  { additionalProperties: false },
);
export type FollowUpBody = Static<typeof FollowUpBody>;

import { Type, type Static } from '@sinclair/typebox';
import {
  CONTENT_CHECK_STATES,
  MAX_TICKET_IMAGES,
  TICKET_CATEGORIES,
  TICKET_EVENT_TYPES,
  TICKET_OUTCOMES,
  TICKET_STATUSES,
} from '../tickets-enums';
import { ROLES } from '../enums';
import { MOBILE_PATTERN, TICKET_CONTENT_MAX, TICKET_CONTENT_MIN } from '../limits';
import { Id, IsoDateTime, Page, PageQuery, literalUnion } from './common';

export const TicketCategorySchema = literalUnion(TICKET_CATEGORIES);
export const TicketStatusSchema = literalUnion(TICKET_STATUSES);
export const TicketOutcomeSchema = literalUnion(TICKET_OUTCOMES);

export const SubmitTicketBody = Type.Object(
  {
    studioId: Id,
    category: TicketCategorySchema,
    content: Type.String({ minLength: TICKET_CONTENT_MIN, maxLength: TICKET_CONTENT_MAX, description: '5–2000 字' }),
    images: Type.Optional(
      Type.Array(Id, {
        maxItems: MAX_TICKET_IMAGES,
        uniqueItems: true,
        description: '上传接口返回的图片 id，最多 9 张',
      }),
    ),
    contactPhone: Type.Optional(Type.String({ pattern: MOBILE_PATTERN, description: '手机号（选填）' })),
    contactName: Type.Optional(Type.String({ minLength: 1, maxLength: 20, description: '称呼（选填）' })),
    anonymous: Type.Optional(Type.Boolean({ description: '对委员匿名' })),
    allowContact: Type.Optional(Type.Boolean({ description: '允许委员查看完整手机号并回电' })),
  },
  { additionalProperties: false },
);
export type SubmitTicketBody = Static<typeof SubmitTicketBody>;

const IdempotencyKey = Type.String({
  minLength: 8,
  maxLength: 128,
  pattern: '^[A-Za-z0-9_.:-]+$',
  description: '客户端生成的幂等键，重试时保持不变',
});

export const IdempotencyHeaders = Type.Object({ 'idempotency-key': IdempotencyKey });

/** A reply may carry a key too: resending it after a lost answer then adds it once. */
export const OptionalIdempotencyHeaders = Type.Object({ 'idempotency-key': Type.Optional(IdempotencyKey) });

export const AssigneeRef = Type.Union([Type.Object({ id: Id, name: Type.String() }), Type.Null()]);

export const SubmitTicketResponse = Type.Object({
  id: Id,
  no: Type.String({ description: '工单编号，如 HN20261126-0042' }),
  status: TicketStatusSchema,
  assignee: AssigneeRef,
  dueAt: IsoDateTime,
  createdAt: IsoDateTime,
});
export type SubmitTicketResponse = Static<typeof SubmitTicketResponse>;

export const TicketSummary = Type.Object({
  id: Id,
  no: Type.String(),
  studio: Type.Object({ id: Id, name: Type.String() }),
  category: TicketCategorySchema,
  excerpt: Type.String(),
  status: TicketStatusSchema,
  assignee: AssigneeRef,
  dueAt: IsoDateTime,
  overdue: Type.Boolean(),
  flagged: Type.Boolean(),
  createdAt: IsoDateTime,
  answeredAt: Type.Union([IsoDateTime, Type.Null()]),
  resolvedAt: Type.Union([IsoDateTime, Type.Null()]),
});
export type TicketSummary = Static<typeof TicketSummary>;
export const TicketList = Page(TicketSummary);
export type TicketList = Static<typeof TicketList>;

export const TicketListQuery = Type.Composite(
  [
    Type.Object({
      status: Type.Optional(TicketStatusSchema),
      studioId: Type.Optional(Id),
      overdue: Type.Optional(Type.Boolean()),
      assignee: Type.Optional(Type.Literal('me')),
      stranded: Type.Optional(Type.Boolean({ description: '仅看承办委员无法接收（未绑定微信或已停用）的待办留言' })),
    }),
    PageQuery,
  ],
  { additionalProperties: false },
);
export type TicketListQuery = Static<typeof TicketListQuery>;

export const TimelineEventView = Type.Object({
  id: Id,
  type: literalUnion(TICKET_EVENT_TYPES),
  at: IsoDateTime,
  actor: Type.Object({ role: literalUnion([...ROLES, 'system'] as const), name: Type.String() }),
  content: Type.Optional(Type.String()),
  internal: Type.Optional(Type.Boolean()),
  toMember: Type.Optional(Type.Object({ id: Id, name: Type.String() })),
  outcome: Type.Optional(TicketOutcomeSchema),
  score: Type.Optional(Type.Integer()),
});
export type TimelineEventView = Static<typeof TimelineEventView>;

/** 回头看: the follow-up question asked some time after the ticket was resolved, and the resident's answer. */
export const FollowUpState = Type.Object({
  askedAt: IsoDateTime,
  answeredAt: Type.Union([IsoDateTime, Type.Null()]),
  settled: Type.Union([Type.Boolean(), Type.Null()], {
    description: '群众的回答：true 已解决，false 未解决（留言已重新办理）',
  }),
});
export type FollowUpState = Static<typeof FollowUpState>;

/** 待补充: what the studio asked the resident, and until when it waits (the clock paused meanwhile). */
export const WaitingState = Type.Object({
  since: IsoDateTime,
  until: Type.Union([IsoDateTime, Type.Null()], { description: '逾期未补充将按“未补充”办结的时间' }),
  question: Type.String({ description: '委员请群众补充的内容' }),
});
export type WaitingState = Static<typeof WaitingState>;

/** How long the studio took, paused time left out (待补充 does not count against a studio). */
export const TicketTiming = Type.Object({
  firstResponseMinutes: Type.Union([Type.Integer(), Type.Null()], { description: '首次答复用时（分钟），不含暂停' }),
  resolveMinutes: Type.Union([Type.Integer(), Type.Null()], { description: '办结用时（分钟），不含暂停' }),
  pausedMinutes: Type.Integer({ description: '等待群众补充信息的累计时间（分钟）' }),
});
export type TicketTiming = Static<typeof TicketTiming>;

export const TicketDetail = Type.Composite([
  TicketSummary,
  Type.Object({
    content: Type.String(),
    images: Type.Array(
      Type.Object({
        id: Id,
        url: Type.String(),
        /** Only on images not yet passed, and only for their uploader and admins (others never see such images). */
        check: Type.Optional(literalUnion(['pending', 'review', 'risky'] as const)),
      }),
    ),
    anonymous: Type.Boolean(),
    allowContact: Type.Boolean(),
    /** The resident's name as members may see it ("匿名群众" when anonymous). */
    residentName: Type.String(),
    /** Full for the resident; masked for others unless the resident allowed contact; null when none. */
    contactPhone: Type.Union([Type.String(), Type.Null()]),
    outcome: Type.Union([TicketOutcomeSchema, Type.Null()]),
    rating: Type.Union([Type.Object({ score: Type.Integer(), comment: Type.String(), at: IsoDateTime }), Type.Null()]),
    contentCheck: literalUnion(CONTENT_CHECK_STATES),
    canReopenUntil: Type.Union([IsoDateTime, Type.Null()]),
    version: Type.Integer(),
    timeline: Type.Array(TimelineEventView),
    followUp: Type.Optional(
      Type.Union([FollowUpState, Type.Null()], { description: '回头看：最近一次回访与群众的回答；未回访时为 null' }),
    ),
    waiting: Type.Optional(
      Type.Union([WaitingState, Type.Null()], { description: '待补充：工作室请群众补充的信息；不在等待时为 null' }),
    ),
    timing: Type.Optional(TicketTiming),
    closedUnsupplied: Type.Optional(Type.Boolean({ description: '因群众逾期未补充信息而办结' })),
  }),
]);
export type TicketDetail = Static<typeof TicketDetail>;

export const ReplyBody = Type.Object(
  {
    content: Type.String({ minLength: 1, maxLength: TICKET_CONTENT_MAX }),
    internal: Type.Optional(Type.Boolean({ description: '内部备注，群众不可见' })),
  },
  { additionalProperties: false },
);
export type ReplyBody = Static<typeof ReplyBody>;

export const AssignBody = Type.Object({ memberId: Id }, { additionalProperties: false });
export type AssignBody = Static<typeof AssignBody>;

export const ResolveBody = Type.Object(
  { outcome: Type.Optional(TicketOutcomeSchema), note: Type.Optional(Type.String({ maxLength: 500 })) },
  { additionalProperties: false },
);
export type ResolveBody = Static<typeof ResolveBody>;

export const RatingBody = Type.Object(
  { score: Type.Integer({ minimum: 1, maximum: 5 }), comment: Type.Optional(Type.String({ maxLength: 300 })) },
  { additionalProperties: false },
);
export type RatingBody = Static<typeof RatingBody>;

/** A member asks the resident for more information (the ticket waits, its clock paused). */
export const InfoRequestBody = Type.Object(
  { question: Type.String({ minLength: 2, maxLength: 500, description: '请群众补充什么，群众可见' }) },
  { additionalProperties: false },
);
export type InfoRequestBody = Static<typeof InfoRequestBody>;

/** The resident's answer to an information request (the clock runs again). */
export const InfoSupplyBody = Type.Object(
  { content: Type.String({ minLength: 1, maxLength: TICKET_CONTENT_MAX }) },
  { additionalProperties: false },
);
export type InfoSupplyBody = Static<typeof InfoSupplyBody>;

export const ReopenBody = Type.Object(
  { reason: Type.String({ minLength: 2, maxLength: 500 }) },
  { additionalProperties: false },
);
export type ReopenBody = Static<typeof ReopenBody>;

export const ModerationBody = Type.Object(
  {
    decision: Type.Union([Type.Literal('approve'), Type.Literal('reject')], {
      description: 'approve：放行给委员；reject：不予受理',
    }),
    note: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);
export type ModerationBody = Static<typeof ModerationBody>;

/** A recent ticket that looks like the one open: the same studio or town, and why it matches. */
export const SimilarTicket = Type.Object({
  id: Id,
  no: Type.String(),
  status: TicketStatusSchema,
  studioName: Type.String(),
  excerpt: Type.String({ description: '留言开头' }),
  createdAt: IsoDateTime,
  score: Type.Number({ minimum: 0, maximum: 1, description: '相似度（0–1）' }),
  sharedWords: Type.Array(Type.String(), { description: '两条留言共有的关键词，按权重排序：相似的理由' }),
});
export type SimilarTicket = Static<typeof SimilarTicket>;

export const SimilarTicketList = Type.Object({ items: Type.Array(SimilarTicket) });
export type SimilarTicketList = Static<typeof SimilarTicketList>;

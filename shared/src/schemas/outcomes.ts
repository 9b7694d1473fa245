import { Type, type Static } from '@sinclair/typebox';
import { TICKET_OUTCOMES, TICKET_OUTCOME_LABELS, type TicketOutcome } from '../tickets-enums';
import { Id, IsoDateTime, Page, PageQuery, literalUnion } from './common';
import { CalendarDay, EXPORT_FORMATS } from './stats';

/** 三转: what a resolved ticket became, as its own record followed up by the office. */
export const OUTCOME_KINDS = TICKET_OUTCOMES.filter((o): o is Exclude<TicketOutcome, 'none'> => o !== 'none');
export type OutcomeKind = (typeof OUTCOME_KINDS)[number];
export const OUTCOME_KIND_LABELS: Record<OutcomeKind, string> = {
  consultation: TICKET_OUTCOME_LABELS.consultation,
  proposal: TICKET_OUTCOME_LABELS.proposal,
  public_opinion: TICKET_OUTCOME_LABELS.public_opinion,
  service_project: TICKET_OUTCOME_LABELS.service_project,
};

export const OUTCOME_STATUSES = ['recorded', 'adopted', 'filed', 'completed', 'declined'] as const;
export type OutcomeStatus = (typeof OUTCOME_STATUSES)[number];
export const OUTCOME_STATUS_LABELS: Record<OutcomeStatus, string> = {
  recorded: '已登记',
  adopted: '已采纳',
  filed: '已立案',
  completed: '已办结',
  declined: '未采纳',
};

export const OutcomeKindSchema = literalUnion(OUTCOME_KINDS);
export const OutcomeStatusSchema = literalUnion(OUTCOME_STATUSES);

export const OutcomeRecord = Type.Object({
  id: Id,
  ticketId: Id,
  ticketNo: Type.String(),
  studio: Type.Object({ id: Id, name: Type.String() }),
  kind: OutcomeKindSchema,
  title: Type.String({ description: '取自留言内容' }),
  where: Type.String({ description: '去向：转交的单位、提案号等' }),
  status: OutcomeStatusSchema,
  note: Type.String(),
  history: Type.Array(
    Type.Object({
      at: IsoDateTime,
      actorName: Type.String(),
      status: OutcomeStatusSchema,
      where: Type.String(),
      note: Type.String(),
    }),
  ),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});
export type OutcomeRecord = Static<typeof OutcomeRecord>;

export const OutcomeList = Page(OutcomeRecord);
export type OutcomeList = Static<typeof OutcomeList>;

const OutcomeFilters = Type.Object({
  kind: Type.Optional(OutcomeKindSchema),
  status: Type.Optional(OutcomeStatusSchema),
  studioId: Type.Optional(Id),
  from: Type.Optional({ ...CalendarDay, description: '登记日期起（含）' }),
  to: Type.Optional({ ...CalendarDay, description: '登记日期止（含）' }),
});

export const OutcomeListQuery = Type.Composite([OutcomeFilters, PageQuery], { additionalProperties: false });
export type OutcomeListQuery = Static<typeof OutcomeListQuery>;

export const OutcomeExportQuery = Type.Composite(
  [OutcomeFilters, Type.Object({ format: Type.Optional(literalUnion(EXPORT_FORMATS)) })],
  { additionalProperties: false },
);
export type OutcomeExportQuery = Static<typeof OutcomeExportQuery>;

export const OutcomePatchBody = Type.Object(
  {
    status: Type.Optional(OutcomeStatusSchema),
    where: Type.Optional(Type.String({ maxLength: 100, description: '去向：转交的单位、提案号等' })),
    note: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type OutcomePatchBody = Static<typeof OutcomePatchBody>;

import { Type, type Static } from '@sinclair/typebox';
import { Id, IsoDateTime, Page, PageQuery, literalUnion } from './common';
import { EXPORT_FORMATS } from './stats';

/** 履职项目: a committee member's declared duty project for a year. */
const Year = Type.Integer({ minimum: 2000, maximum: 2100, description: '年度' });

export const DutyProject = Type.Object({
  id: Id,
  member: Type.Object({ id: Id, name: Type.String() }),
  year: Year,
  title: Type.String(),
  summary: Type.String(),
  active: Type.Boolean({ description: '停用（撤回）的项目不再对外展示' }),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});
export type DutyProject = Static<typeof DutyProject>;

export const DutyProjectList = Page(DutyProject);
export type DutyProjectList = Static<typeof DutyProjectList>;

const ProjectFilters = Type.Object({
  memberId: Type.Optional(Id),
  studioId: Type.Optional(Id),
  year: Type.Optional(Year),
  active: Type.Optional(Type.Boolean()),
});

export const DutyProjectListQuery = Type.Composite([ProjectFilters, PageQuery], { additionalProperties: false });
export type DutyProjectListQuery = Static<typeof DutyProjectListQuery>;

export const DutyProjectExportQuery = Type.Composite(
  [ProjectFilters, Type.Object({ format: Type.Optional(literalUnion(EXPORT_FORMATS)) })],
  { additionalProperties: false },
);
export type DutyProjectExportQuery = Static<typeof DutyProjectExportQuery>;

export const DutyProjectCreateBody = Type.Object(
  {
    memberId: Id,
    year: Year,
    title: Type.String({ minLength: 1, maxLength: 60, description: '项目名称' }),
    summary: Type.Optional(Type.String({ maxLength: 500, description: '项目简介' })),
  },
  { additionalProperties: false },
);
export type DutyProjectCreateBody = Static<typeof DutyProjectCreateBody>;

export const DutyProjectPatchBody = Type.Object(
  {
    year: Type.Optional(Year),
    title: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
    summary: Type.Optional(Type.String({ maxLength: 500 })),
    active: Type.Optional(Type.Boolean({ description: 'false：撤回（不再对外展示）；true：恢复' })),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type DutyProjectPatchBody = Static<typeof DutyProjectPatchBody>;

/** A member's public page: who they are, their studios and their current duty projects. */
export const MemberProfile = Type.Object({
  id: Id,
  name: Type.String(),
  title: Type.String(),
  studios: Type.Array(Type.Object({ id: Id, name: Type.String() })),
  projects: Type.Array(Type.Object({ id: Id, year: Year, title: Type.String(), summary: Type.String() })),
});
export type MemberProfile = Static<typeof MemberProfile>;

export const ServiceItemExportQuery = Type.Object(
  {
    format: Type.Optional(literalUnion(EXPORT_FORMATS)),
    includeRetired: Type.Optional(Type.Boolean({ description: '包括已停用的服务事项' })),
  },
  { additionalProperties: false },
);
export type ServiceItemExportQuery = Static<typeof ServiceItemExportQuery>;

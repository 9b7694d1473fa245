import { Type, type Static } from '@sinclair/typebox';
import { SLA_UNITS, STUDIO_KINDS } from '../enums';
import { Id, PageQuery, Page, literalUnion } from './common';

export const StudioKindSchema = literalUnion(STUDIO_KINDS);

export const StudioListQuery = Type.Composite(
  [
    Type.Object({
      town: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: '镇/街道' })),
      sector: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: '界别' })),
      q: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: '按名称搜索' })),
    }),
    PageQuery,
  ],
  { additionalProperties: false },
);
export type StudioListQuery = Static<typeof StudioListQuery>;

export const StudioSummary = Type.Object({
  id: Id,
  name: Type.String(),
  kind: StudioKindSchema,
  town: Type.Union([Type.String(), Type.Null()]),
  sector: Type.Union([Type.String(), Type.Null()]),
  memberCount: Type.Integer({ minimum: 0 }),
  star: Type.Integer({ minimum: 0, maximum: 5 }),
});
export type StudioSummary = Static<typeof StudioSummary>;

export const StudioList = Page(StudioSummary);
export type StudioList = Static<typeof StudioList>;

export const StudioMember = Type.Object({ id: Id, name: Type.String(), title: Type.String() });
export const ServiceItem = Type.Object({ id: Id, title: Type.String(), summary: Type.String() });

export const StudioDetail = Type.Composite([
  StudioSummary,
  Type.Object({
    intro: Type.String(),
    address: Type.String(),
    jointGroup: Type.Union([Type.String(), Type.Null()]),
    slaHours: Type.Integer({ minimum: 1 }),
    slaUnit: literalUnion(SLA_UNITS, {
      description: 'hours：按自然小时计（slaHours）；workdays：按工作日计（slaWorkdays，节假日不计、调休上班日计入）',
    }),
    slaWorkdays: Type.Integer({ minimum: 1, description: '答复时限（工作日），slaUnit 为 workdays 时生效' }),
    scene: Type.String({ description: '小程序码中的 scene 字符串' }),
    members: Type.Array(StudioMember),
    serviceItems: Type.Array(ServiceItem),
  }),
]);
export type StudioDetail = Static<typeof StudioDetail>;

/** The `scene` of a studio's mini-program code: `s=<code>`, at most 32 visible characters. */
export const SCENE_PREFIX = 's=';
export const StudioSceneParams = Type.Object(
  { scene: Type.String({ minLength: 1, maxLength: 32, pattern: "^[0-9A-Za-z!#$&'()*+,/:;=?@\\-._~]+$" }) },
  { additionalProperties: false },
);
export type StudioSceneParams = Static<typeof StudioSceneParams>;

export function sceneForStudioCode(code: string): string {
  return `${SCENE_PREFIX}${code}`;
}

/** Accepts the full scene (`s=abc123`) or the bare code; returns the code or null. */
export function studioCodeFromScene(scene: string): string | null {
  const raw = scene.startsWith(SCENE_PREFIX) ? scene.slice(SCENE_PREFIX.length) : scene;
  return /^[0-9a-z]{4,16}$/.test(raw) ? raw : null;
}

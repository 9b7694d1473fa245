import { Type, type Static } from '@sinclair/typebox';
import { INVITE_STATUSES } from '../admin-enums';
import { Id, IsoDateTime, PageQuery, literalUnion } from './common';
import { StudioDetail, StudioKindSchema, StudioSummary } from './studios';
import { MAX_SLA_HOURS, MAX_SLA_WORKDAYS, SLA_UNITS } from '../enums';

/** A studio's scene code: what follows `s=` in its mini-program code. */
export const STUDIO_CODE_PATTERN = '^[0-9a-z]{4,16}$';
/** Mainland China mobile number: 11 digits starting 13–19. */
export const MOBILE_PHONE_PATTERN = '^1[3-9][0-9]{9}$';
/** Invite codes avoid characters that are easy to misread (0/O, 1/I). */
export const INVITE_CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
export const INVITE_CODE_LENGTH = 8;

const StudioCode = Type.String({
  pattern: STUDIO_CODE_PATTERN,
  description: '小程序码 scene 中的工作室编码（4–16 位小写字母或数字）',
});
const ShortText = (description: string) => Type.String({ minLength: 1, maxLength: 40, description });

export const ServiceItemInput = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 60, description: '服务事项名称' }),
    summary: Type.Optional(Type.String({ maxLength: 500, description: '服务事项简介' })),
  },
  { additionalProperties: false },
);

/** On update, an item with the `id` of an existing item keeps that id; items left out are retired. */
export const ServiceItemPatchInput = Type.Object(
  {
    id: Type.Optional(Id),
    title: Type.String({ minLength: 1, maxLength: 60, description: '服务事项名称' }),
    summary: Type.Optional(Type.String({ maxLength: 500, description: '服务事项简介' })),
  },
  { additionalProperties: false },
);

const SlaUnitSchema = literalUnion(SLA_UNITS, { description: '答复时限的计法：hours 自然小时，workdays 工作日' });
const SlaWorkdays = Type.Integer({ minimum: 1, maximum: MAX_SLA_WORKDAYS, description: '答复时限（工作日）' });

export const AdminStudioCreateBody = Type.Object(
  {
    code: Type.Optional(StudioCode),
    name: Type.String({ minLength: 1, maxLength: 60, description: '工作室名称' }),
    kind: StudioKindSchema,
    town: Type.Optional(ShortText('所属镇/街道（镇街工作室必填）')),
    sector: Type.Optional(ShortText('所属界别（界别工作室必填）')),
    jointGroup: Type.Optional(ShortText('联组')),
    intro: Type.Optional(Type.String({ maxLength: 2000, description: '工作室简介' })),
    address: Type.Optional(Type.String({ maxLength: 200, description: '地址' })),
    slaHours: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_SLA_HOURS, description: '响应时限（小时）' })),
    slaUnit: Type.Optional(SlaUnitSchema),
    slaWorkdays: Type.Optional(SlaWorkdays),
    serviceItems: Type.Optional(Type.Array(ServiceItemInput, { maxItems: 30 })),
  },
  { additionalProperties: false },
);
export type AdminStudioCreateBody = Static<typeof AdminStudioCreateBody>;

const NullableShortText = (description: string) => Type.Union([ShortText(description), Type.Null()]);

export const AdminStudioPatchBody = Type.Object(
  {
    code: Type.Optional(StudioCode),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 60, description: '工作室名称' })),
    kind: Type.Optional(StudioKindSchema),
    town: Type.Optional(NullableShortText('所属镇/街道，null 表示清空')),
    sector: Type.Optional(NullableShortText('所属界别，null 表示清空')),
    jointGroup: Type.Optional(NullableShortText('联组，null 表示清空')),
    intro: Type.Optional(Type.String({ maxLength: 2000 })),
    address: Type.Optional(Type.String({ maxLength: 200 })),
    slaHours: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_SLA_HOURS })),
    slaUnit: Type.Optional(SlaUnitSchema),
    slaWorkdays: Type.Optional(SlaWorkdays),
    serviceItems: Type.Optional(Type.Array(ServiceItemPatchInput, { maxItems: 30 })),
    active: Type.Optional(Type.Boolean({ description: '停用后不再对外展示' })),
    star: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 5,
        description:
          '人工调整星级（1–5），与 starReason 一起提交，记入星级变更记录；与当前星级相同时不作调整。取消调整请用 POST /admin/studios/{id}/star',
      }),
    ),
    starReason: Type.Optional(
      Type.String({ minLength: 1, maxLength: 200, description: '调整星级的理由（修改 star 时必填）' }),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type AdminStudioPatchBody = Static<typeof AdminStudioPatchBody>;

export const AdminMember = Type.Object({
  id: Id,
  name: Type.String(),
  title: Type.String(),
  phoneMasked: Type.Union([Type.String({ description: '脱敏后的手机号，如 138****5678' }), Type.Null()]),
  studioIds: Type.Array(Id),
  leadOf: Type.Array(Id, { description: '担任召集人的工作室' }),
  active: Type.Boolean(),
  bound: Type.Boolean({ description: '是否已绑定微信' }),
  createdAt: IsoDateTime,
});
export type AdminMember = Static<typeof AdminMember>;

export const AdminMemberList = Type.Object({
  items: Type.Array(AdminMember),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});
export type AdminMemberList = Static<typeof AdminMemberList>;

export const AdminMemberListQuery = Type.Composite(
  [
    Type.Object({
      studioId: Type.Optional(Id),
      q: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: '按姓名搜索' })),
    }),
    PageQuery,
  ],
  { additionalProperties: false },
);
export type AdminMemberListQuery = Static<typeof AdminMemberListQuery>;

const MemberStudioIds = Type.Array(Id, { minItems: 1, maxItems: 20, uniqueItems: true, description: '所属工作室' });
const MemberLeadOf = Type.Array(Id, {
  maxItems: 20,
  uniqueItems: true,
  description: '担任召集人的工作室，须是所属工作室之一',
});
const MobilePhone = Type.String({
  pattern: MOBILE_PHONE_PATTERN,
  maxLength: 11,
  description: '手机号（加密保存，仅显示脱敏号码）',
});

export const AdminMemberCreateBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 40, description: '姓名' }),
    title: Type.String({ maxLength: 60, description: '职务/身份，如“市政协委员”' }),
    phone: Type.Optional(MobilePhone),
    studioIds: MemberStudioIds,
    leadOf: Type.Optional(MemberLeadOf),
  },
  { additionalProperties: false },
);
export type AdminMemberCreateBody = Static<typeof AdminMemberCreateBody>;

export const AdminMemberPatchBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    title: Type.Optional(Type.String({ maxLength: 60 })),
    phone: Type.Optional(Type.Union([MobilePhone, Type.Null()], { description: 'null 表示清除手机号' })),
    studioIds: Type.Optional(MemberStudioIds),
    leadOf: Type.Optional(MemberLeadOf),
    active: Type.Optional(Type.Boolean({ description: '停用后该委员立即失去委员端权限' })),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type AdminMemberPatchBody = Static<typeof AdminMemberPatchBody>;

export const InviteResponse = Type.Object({
  id: Id,
  inviteCode: Type.String({ description: '8 位邀请码，只显示这一次' }),
  expiresAt: IsoDateTime,
});
export type InviteResponse = Static<typeof InviteResponse>;

export const BindBody = Type.Object(
  { inviteCode: Type.String({ minLength: 1, maxLength: 32, description: '政协机关发放的邀请码（不区分大小写）' }) },
  { additionalProperties: false },
);
export type BindBody = Static<typeof BindBody>;

/** The office's studio list: retired studios too (they can be restored), with their state and scene code. */
export const ADMIN_STUDIO_STATES = ['active', 'retired', 'all'] as const;
export const AdminStudioListQuery = Type.Composite(
  [
    Type.Object({
      town: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: '镇/街道' })),
      sector: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: '界别' })),
      q: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: '按名称搜索' })),
      state: Type.Optional(
        Type.Union(
          ADMIN_STUDIO_STATES.map((s) => Type.Literal(s)),
          { description: '在用、已停用或全部（默认全部）' },
        ),
      ),
    }),
    PageQuery,
  ],
  { additionalProperties: false },
);
export type AdminStudioListQuery = Static<typeof AdminStudioListQuery>;

/**
 * What only the office sees of a studio: its state, its code, and how many of its members can receive
 * its tickets (active and bound to WeChat); with none, its new tickets wait as 待分配.
 */
const AdminStudioFields = Type.Object({
  active: Type.Boolean(),
  code: Type.String(),
  receivingMemberCount: Type.Integer({
    minimum: 0,
    description: '能接收留言的委员数（在职且已绑定微信）；为 0 时新留言无人接收，进入待分配',
  }),
});

/** The office's list says each studio's response deadline ("24小时", "2个工作日"), as its detail does. */
const StudioDeadlineFields = Type.Pick(StudioDetail, ['slaHours', 'slaUnit', 'slaWorkdays']);

export const AdminStudioSummary = Type.Composite([StudioSummary, AdminStudioFields, StudioDeadlineFields]);
export type AdminStudioSummary = Static<typeof AdminStudioSummary>;

export const AdminStudioList = Type.Object({
  items: Type.Array(AdminStudioSummary),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});
export type AdminStudioList = Static<typeof AdminStudioList>;

export const AdminStudioDetail = Type.Composite([StudioDetail, AdminStudioFields]);
export type AdminStudioDetail = Static<typeof AdminStudioDetail>;

export const AdminInvite = Type.Object({
  id: Id,
  member: Type.Object({ id: Id, name: Type.String() }),
  status: Type.Union(INVITE_STATUSES.map((s) => Type.Literal(s))),
  createdAt: IsoDateTime,
  expiresAt: IsoDateTime,
  usedAt: Type.Union([IsoDateTime, Type.Null()]),
});
export type AdminInvite = Static<typeof AdminInvite>;

export const AdminInviteList = Type.Object({ items: Type.Array(AdminInvite) });
export type AdminInviteList = Static<typeof AdminInviteList>;

export const AdminInviteListQuery = Type.Object(
  {
    studioId: Id,
    status: Type.Optional(
      Type.Union(
        INVITE_STATUSES.map((s) => Type.Literal(s)),
        { description: '只看某种状态' },
      ),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50, description: '最新的若干条' })),
  },
  { additionalProperties: false },
);
export type AdminInviteListQuery = Static<typeof AdminInviteListQuery>;

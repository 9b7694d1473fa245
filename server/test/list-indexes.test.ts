import { createHash } from 'node:crypto';
import { Types } from 'mongoose';
import {
  OUTCOME_STATUSES,
  TICKET_CATEGORIES,
  TICKET_OUTCOMES,
  type TicketListQuery,
  type TicketOutcome,
  type TicketStatus,
} from '@mashangshang/shared';
import { startTestStack, type TestStack } from './helpers/app';
import { prng } from '../../scripts/lib/prng';
import type { PlanNode } from '../../scripts/bench/lib/list-queries';
import type { Actor } from '../src/modules/auth/actor';
import { encodeCursor } from '../src/lib/cursor';
import { ticketListQuery } from '../src/modules/tickets/service';
import { similarCandidatesQuery } from '../src/modules/tickets/similar';
import { chinaDay, dayNumbersQuery } from '../src/workflow/numbering';
import { assignmentCandidatesQuery } from '../src/workflow/assignment';
import {
  failedNoticesQuery,
  markReadFilter,
  notificationListQuery,
  unreadNoticesFilter,
} from '../src/modules/notifications/service';
import { deadlineStageQuery, pendingContentQuery, staleNoticesQuery } from '../src/workers/sweeper';
import { studioLeadsQuery } from '../src/workflow';
import { pendingMediaQuery } from '../src/modules/media-check/service';
import { dueFollowUpsQuery } from '../src/workflow/follow-up-due';
import { expiredWaitsQuery } from '../src/modules/info-requests/service';
import { activeMembersOfStudiosQuery, studioMembersQuery, studioPageQuery } from '../src/modules/studios/service';
import { memberListQuery } from '../src/modules/members/admin-service';
import { inviteListQuery, inviteMembersQuery } from '../src/modules/invites/service';
import { outcomeListQuery } from '../src/modules/outcomes/service';
import { memberProjectsQuery, projectFilter, projectListQuery } from '../src/modules/projects/service';
import { starHistoryQuery } from '../src/modules/stars/service';
import { statsStudiosQuery } from '../src/modules/stats/service';

/**
 * Every list the product serves, and every scan of the sweepers, is read from an index: each query is
 * built by the builder its route or job uses, run against a few thousand realistic tickets (and the
 * notices, outcomes, projects, invites, uploads, image checks and follow-ups around them), its answer
 * compared with what it must return (computed here from the seeded data), and its `explain` checked:
 *  - FerretDB (SQLite): no plan line is a bare `SCAN <collection>` (the collection read whole); an
 *    ordered `SCAN <collection> USING INDEX` (a walk in _id order, stopped by the limit) is accepted
 *    only for a sorted, limited list;
 *  - MongoDB: no COLLSCAN stage.
 * Tiny collections (studios, members) must use an index too. The plans are printed as a table.
 * Not here, by design: the nightly reconciles and repairs (statistics, 三转 records, follow-ups), which
 * read whole collections on purpose, and the exports, which read every row they export.
 */

const TICKETS = 3000;
const DAY = 86_400_000;
const HOUR = 3_600_000;
const SLA_HOURS = 24;
/** The sweeper's settings (the defaults). */
const REQUEUE_AFTER_MS = 60_000;
const REMIND_BEFORE_MS = 7200_000;
const ESCALATE_AFTER_MS = 14_400_000;
const MEDIA_RETRY_AFTER_MS = 600_000;
const FOLLOW_UP_AFTER_MS = 30 * DAY;

const random = prng(20261126);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const chance = (p: number) => random() < p;

let idCounter = 0;
/** A unique ObjectId whose time is `ms`, as the driver makes them at that instant. */
const idAt = (ms: number) =>
  new Types.ObjectId(
    Math.floor(ms / 1000)
      .toString(16)
      .padStart(8, '0') + (idCounter++).toString(16).padStart(16, '0'),
  );
const hex = (id: Types.ObjectId) => id.toHexString();
/** Ids newest first (descending _id), as the lists page. */
const newestFirst = <T extends { _id: Types.ObjectId }>(docs: T[]) =>
  [...docs].sort((a, b) => (hex(a._id) < hex(b._id) ? 1 : -1));
const oldestFirst = <T extends { _id: Types.ObjectId }>(docs: T[]) =>
  [...docs].sort((a, b) => (hex(a._id) < hex(b._id) ? -1 : 1));
const ids = (docs: { _id: Types.ObjectId }[]) => docs.map((d) => hex(d._id));
const has = (list: Types.ObjectId[] | undefined, id: Types.ObjectId | null | undefined) =>
  Boolean(id && list?.some((x) => x.equals(id)));
/** Most members have bound their WeChat (one in five has not): only bound ones are assigned tickets. */
const isBound = (m: { _id: Types.ObjectId }) => parseInt(hex(m._id).slice(-1), 16) % 5 !== 0;

// ---------------------------------------------------------------- the data

interface SeedStudio {
  _id: Types.ObjectId;
  code: string;
  name: string;
  kind: 'town' | 'sector';
  town: string | null;
  sector: string | null;
  sortOrder: number;
  active: boolean;
}
interface SeedMember {
  _id: Types.ObjectId;
  name: string;
  title: string;
  studioIds: Types.ObjectId[];
  leadOf: Types.ObjectId[];
  active: boolean;
}
interface SeedTicket {
  _id: Types.ObjectId;
  no: string;
  studioId: Types.ObjectId;
  residentId: Types.ObjectId;
  status: TicketStatus;
  assigneeId: Types.ObjectId | null;
  contentCheck: 'pass' | 'review' | 'pending' | 'rejected';
  dueAt: Date;
  resolvedAt: Date | null;
  outcome: TicketOutcome | null;
  noticesPendingSince: Date | null;
  remindedAt: Date | null;
  overdueNotifiedAt: Date | null;
  escalatedAt: Date | null;
  /** 待补充: until when a waiting ticket waits on its resident. */
  waitingUntil?: Date | null;
  createdAt: Date;
}
interface SeedNotice {
  _id: Types.ObjectId;
  recipient: { kind: 'user' | 'member' | 'admins'; id: Types.ObjectId | null };
  readAt: Date | null;
  state: 'pending' | 'sent' | 'no_consent' | 'failed';
}
interface SeedOutcome {
  _id: Types.ObjectId;
  ticketId: Types.ObjectId;
  studioId: Types.ObjectId;
  kind: Exclude<TicketOutcome, 'none'>;
  status: (typeof OUTCOME_STATUSES)[number];
  createdAt: Date;
}
interface SeedProject {
  _id: Types.ObjectId;
  memberId: Types.ObjectId;
  year: number;
  active: boolean;
}
interface SeedInvite {
  _id: Types.ObjectId;
  memberId: Types.ObjectId;
  createdAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
  revokedAt: Date | null;
}
interface SeedCheck {
  _id: Types.ObjectId;
  state: 'pending' | 'pass' | 'review' | 'risky';
  askedAt: Date | null;
  createdAt: Date;
}

const STUDIO_DEFS: Omit<SeedStudio, '_id' | 'sortOrder'>[] = [
  { code: 'lixs', name: '硖石街道委员集体工作室', kind: 'town', town: '硖石街道', sector: null, active: true },
  { code: 'lixc', name: '许村镇委员集体工作室', kind: 'town', town: '许村镇', sector: null, active: true },
  { code: 'lics', name: '长安镇委员集体工作室', kind: 'town', town: '长安镇', sector: null, active: true },
  { code: 'lihz', name: '海洲街道委员集体工作室', kind: 'town', town: '海洲街道', sector: null, active: true },
  { code: 'lijj', name: '经济界别委员工作室', kind: 'sector', town: null, sector: '经济界', active: true },
  { code: 'liyl', name: '医疗卫生界别委员工作室', kind: 'sector', town: null, sector: '医药卫生界', active: true },
  { code: 'lijy', name: '教育界别委员工作室', kind: 'sector', town: null, sector: '教育界', active: false },
  { code: 'lixw', name: '袁花镇委员集体工作室', kind: 'town', town: '袁花镇', sector: null, active: false },
];

function generate(now: number) {
  const studios: SeedStudio[] = STUDIO_DEFS.map((def, i) => ({
    ...def,
    _id: idAt(now - 400 * DAY + i * 1000),
    sortOrder: i,
  }));
  const members: SeedMember[] = [];
  for (let k = 0; k < 48; k++) {
    const home = studios[k % studios.length]!;
    // Every sixth member also serves a second studio; the first of each studio leads it.
    const studioIds = k % 6 === 0 ? [home._id, studios[(k + 1) % studios.length]!._id] : [home._id];
    members.push({
      _id: idAt(now - 300 * DAY + k * 1000),
      name: `委员${String(k).padStart(2, '0')}`,
      title: '市政协委员',
      studioIds,
      leadOf: k < studios.length ? [home._id] : [],
      active: k % 12 !== 11,
    });
  }
  const activeOf = (studioId: Types.ObjectId) => members.filter((m) => m.active && has(m.studioIds, studioId));
  const residents = Array.from({ length: 150 }, (_, i) => idAt(now - 200 * DAY + i * 1000));

  // The member the inbox cases sign in as: studio 0, and handed tickets of other studios.
  const me = members[0]!;
  const tickets: SeedTicket[] = [];
  const perDay = new Map<string, number>();
  for (let i = 0; i < TICKETS; i++) {
    let created = now - Math.floor(random() * 90 * DAY);
    // Keep deadlines clear of "now" (the list decides overdue with its own clock).
    if (Math.abs(created + SLA_HOURS * HOUR - now) < 10 * 60_000) created -= 30 * 60_000;
    const age = now - created;
    const studio = pick(studios.slice(0, chance(0.9) ? 6 : 8));
    const status: TicketStatus =
      age < DAY
        ? pick(['pending', 'assigned', 'assigned', 'assigned', 'answered', 'answered', 'resolved'] as const)
        : pick([
            'pending',
            'assigned',
            'answered',
            'answered',
            'resolved',
            'resolved',
            'resolved',
            'resolved',
            'resolved',
            'resolved',
          ] as const);
    const candidates = activeOf(studio._id);
    let assigneeId: Types.ObjectId | null = null;
    if (status !== 'pending') {
      if (chance(0.03)) assigneeId = me._id;
      else if (chance(0.05)) assigneeId = pick(members.filter((m) => m.active))._id;
      else assigneeId = candidates.length ? pick(candidates)._id : null;
    }
    const dueAt = new Date(created + SLA_HOURS * HOUR);
    const open = status === 'pending' || status === 'assigned';
    const notified = open && dueAt.getTime() < now && chance(0.7) ? new Date(dueAt.getTime() + 60_000) : null;
    const resolvedAt = status === 'resolved' ? new Date(created + Math.floor(random() * 3 * DAY) + HOUR) : null;
    const day = chinaDay(new Date(created));
    const seq = (perDay.get(day) ?? 0) + 1;
    perDay.set(day, seq);
    tickets.push({
      _id: idAt(created),
      no: `HN${day}-${String(seq).padStart(4, '0')}`,
      studioId: studio._id,
      residentId: pick(residents),
      status,
      assigneeId,
      contentCheck: chance(0.02) ? 'pending' : chance(0.01) ? 'review' : chance(0.005) ? 'rejected' : 'pass',
      dueAt,
      resolvedAt: resolvedAt && resolvedAt.getTime() > now ? new Date(now - 60_000) : resolvedAt,
      outcome: status === 'resolved' ? pick(TICKET_OUTCOMES) : null,
      noticesPendingSince: chance(0.03) ? new Date(created + 1000) : null,
      remindedAt: notified,
      overdueNotifiedAt: notified,
      escalatedAt: notified && chance(0.8) ? notified : null,
      createdAt: new Date(created),
    });
  }

  // 待补充: every 12th open ticket waits on its resident, a week from its submit (some have run out).
  tickets
    .filter((t) => t.status === 'assigned')
    .forEach((t, i) => {
      if (i % 12 !== 0) return;
      t.status = 'waiting';
      t.waitingUntil = new Date(t.createdAt.getTime() + 7 * DAY);
    });

  const memberUserId = idAt(now - 250 * DAY);
  const notices: SeedNotice[] = [];
  for (let i = 0; i < 2400; i++) {
    const roll = random();
    const recipient: SeedNotice['recipient'] =
      roll < 0.15
        ? { kind: 'member', id: me._id }
        : roll < 0.35
          ? { kind: 'member', id: pick(members)._id }
          : roll < 0.45
            ? { kind: 'user', id: memberUserId }
            : roll < 0.8
              ? { kind: 'user', id: pick(residents) }
              : { kind: 'admins', id: null };
    const at = now - Math.floor(random() * 90 * DAY);
    notices.push({
      _id: idAt(at),
      recipient,
      readAt: chance(0.6) ? new Date(at + HOUR) : null,
      state: chance(0.04) ? 'failed' : chance(0.1) ? 'no_consent' : 'sent',
    });
  }

  const outcomes: SeedOutcome[] = tickets
    .filter((t) => t.status === 'resolved' && t.outcome && t.outcome !== 'none')
    .slice(0, 600)
    .map((t) => ({
      _id: idAt(t.resolvedAt!.getTime()),
      ticketId: t._id,
      studioId: t.studioId,
      kind: t.outcome as Exclude<TicketOutcome, 'none'>,
      status: pick(OUTCOME_STATUSES),
      createdAt: t.resolvedAt!,
    }));

  const projects: SeedProject[] = Array.from({ length: 160 }, (_, i) => ({
    _id: idAt(now - (160 - i) * DAY),
    memberId: pick(members)._id,
    year: pick([2024, 2025, 2026]),
    active: chance(0.85),
  }));

  const invites: SeedInvite[] = Array.from({ length: 150 }, (_, i) => {
    const created = now - Math.floor(random() * 60 * DAY) - i;
    const usedAt = chance(0.4) ? new Date(created + HOUR) : null;
    return {
      _id: idAt(created),
      memberId: pick(members)._id,
      createdAt: new Date(created),
      expiresAt: new Date(created + 7 * DAY),
      usedAt,
      revokedAt: !usedAt && chance(0.15) ? new Date(created + 2 * HOUR) : null,
    };
  });

  const checks: SeedCheck[] = Array.from({ length: 240 }, () => {
    const created = chance(0.1) ? now - Math.floor(random() * 20_000) : now - Math.floor(random() * 20 * DAY) - 60_000;
    const state = chance(0.35) ? 'pending' : pick(['pass', 'pass', 'pass', 'review', 'risky'] as const);
    const askedAt = chance(0.3)
      ? null
      : chance(0.5)
        ? new Date(Math.min(now - 1000, created + 1000))
        : new Date(Math.max(created + 1000, now - 60_000));
    return { _id: idAt(created), state, askedAt, createdAt: new Date(created) };
  });

  const followUps = tickets
    .filter((t) => t.status === 'resolved')
    .slice(0, 500)
    .map((t) => ({ _id: t._id, resolvedAt: new Date(now - Math.floor(random() * 60 * DAY)) }));

  const stars = Array.from({ length: 120 }, (_, i) => ({
    _id: idAt(now - (120 - i) * DAY),
    studioId: pick(studios)._id,
  }));

  return {
    studios,
    members,
    me,
    memberUserId,
    residents,
    tickets,
    notices,
    outcomes,
    projects,
    invites,
    checks,
    followUps,
    stars,
  };
}

type World = ReturnType<typeof generate>;

async function seed(stack: TestStack, world: World): Promise<void> {
  const { models } = stack.app;
  const adminId = new Types.ObjectId();
  await models.Studio.insertMany(
    world.studios.map((s) => ({
      ...s,
      intro: '',
      address: '',
      jointGroup: null,
      slaHours: SLA_HOURS,
      serviceItems: [{ title: '法律咨询', summary: '' }],
    })),
  );
  await models.Member.insertMany(
    world.members.map((m) => ({
      ...m,
      phoneEnc: null,
      userId: isBound(m) ? new Types.ObjectId() : null,
      externalKey: null,
      lastAssignedAt: null,
    })),
  );
  const byId = new Map(world.members.map((m) => [hex(m._id), m]));
  const uploadIds: Types.ObjectId[] = [];
  await models.Ticket.insertMany(
    world.tickets.map((t, i) => {
      const at = t.createdAt;
      const assignee = t.assigneeId ? byId.get(hex(t.assigneeId)) : null;
      const imageIds = i % 25 === 0 ? [idAt(at.getTime())] : [];
      uploadIds.push(...imageIds);
      const answered = t.status === 'answered' || t.status === 'resolved';
      const system = { role: 'system' as const, id: null, name: '系统' };
      return {
        ...t,
        idempotencyKey: `list-indexes-${i}`,
        category: pick(TICKET_CATEGORIES),
        content: `第 ${i} 条：小区门口的路灯坏了一个多月，晚上出行很不方便，请帮忙反映。`,
        imageIds,
        contactPhoneEnc: null,
        allowContact: false,
        anonymous: chance(0.2),
        assigneeName: assignee?.name ?? null,
        assignedAt: assignee ? at : null,
        contactName: chance(0.5) ? '王先生' : null,
        answeredAt: answered ? new Date(at.getTime() + HOUR) : null,
        rating:
          t.status === 'resolved' && chance(0.4)
            ? { score: 1 + Math.floor(random() * 5), comment: '', at: t.resolvedAt }
            : null,
        flagged: t.contentCheck === 'review',
        reopenCount: 0,
        version: answered ? 3 : 1,
        outbox: [
          {
            _id: new Types.ObjectId(),
            kind: 'ticket_assigned',
            recipient: { kind: 'member', id: t.assigneeId ?? world.me._id },
            createdAt: at,
            doneAt: t.noticesPendingSince ? null : at,
          },
        ],
        timeline: [
          {
            _id: new Types.ObjectId(),
            type: 'submitted',
            at,
            actor: { role: 'resident', id: t.residentId, name: '群众' },
          },
          assignee
            ? {
                _id: new Types.ObjectId(),
                type: 'assigned',
                at,
                actor: system,
                toMemberId: assignee._id,
                toMemberName: assignee.name,
              }
            : { _id: new Types.ObjectId(), type: 'pending', at, actor: system, content: '等待管理员分配' },
          ...(answered
            ? [
                {
                  _id: new Types.ObjectId(),
                  type: 'reply',
                  at: new Date(at.getTime() + HOUR),
                  actor: { role: 'member', id: t.assigneeId, name: assignee?.name ?? '委员' },
                  content: '已转交相关部门处理。',
                },
              ]
            : []),
          ...(t.resolvedAt
            ? [
                {
                  _id: new Types.ObjectId(),
                  type: 'resolved',
                  at: t.resolvedAt,
                  actor: system,
                  outcome: t.outcome ?? 'none',
                },
              ]
            : []),
        ],
        updatedAt: at,
      };
    }),
  );
  const ticketNo = new Map(world.tickets.map((t) => [hex(t._id), t.no]));
  await models.Notification.insertMany(
    world.notices.map((n) => {
      const ticket = world.tickets[Math.floor(random() * world.tickets.length)]!;
      return {
        _id: n._id,
        recipient: n.recipient,
        kind: 'ticket_replied',
        ticketId: ticket._id,
        ticketNo: ticketNo.get(hex(ticket._id)),
        title: '您的留言有了答复',
        body: '委员已答复您的留言，请查看。',
        readAt: n.readAt,
        wechat: {
          state: n.state,
          creditTaken: n.state === 'sent',
          attempts: n.state === 'failed' ? 5 : 1,
          lastError: n.state === 'failed' ? 'wechat 5xx' : '',
          sentAt: null,
        },
        createdAt: n._id.getTimestamp(),
      };
    }),
  );
  await models.Outcome.insertMany(
    world.outcomes.map((o) => ({
      ...o,
      ticketNo: ticketNo.get(hex(o.ticketId)),
      title: '关于路灯维修的建议',
      where: '',
      note: '',
      history: [{ at: o.createdAt, actorName: '委员', status: 'recorded', where: '', note: '' }],
      updatedAt: o.createdAt,
    })),
  );
  await models.Project.insertMany(world.projects.map((p, i) => ({ ...p, title: `履职项目 ${i}`, summary: '' })));
  await models.Invite.insertMany(
    world.invites.map((v, i) => ({
      ...v,
      codeHash: createHash('sha256').update(`invite-${i}`).digest('hex'),
      createdBy: adminId,
      usedByUserId: v.usedAt ? new Types.ObjectId() : null,
      updatedAt: v.createdAt,
    })),
  );
  await models.Upload.insertMany(
    [...uploadIds, ...world.checks.map((c) => c._id)].map((id) => ({
      _id: id,
      ownerId: pick(world.residents),
      ownerRole: 'resident',
      storageKey: `uploads/${hex(id)}.jpg`,
      contentType: 'image/jpeg',
      size: 2048,
      sha256: createHash('sha256').update(hex(id)).digest('hex'),
      ticketId: null,
      createdAt: id.getTimestamp(),
    })),
  );
  await models.MediaCheck.insertMany(
    world.checks.map((c) => ({
      ...c,
      ownerId: pick(world.residents),
      traceId: c.askedAt ? `trace-${hex(c._id)}` : null,
      attempts: c.askedAt ? 1 : 0,
      checkedAt: c.state === 'pending' ? null : c.createdAt,
    })),
  );
  await models.FollowUpDue.insertMany(world.followUps);
  await models.StarHistory.insertMany(
    world.stars.map((s) => ({
      ...s,
      star: 3,
      previous: 2,
      source: 'computed',
      reason: '',
      score: 0.62,
      metrics: null,
      window: null,
      actorName: '系统',
      at: s._id.getTimestamp(),
    })),
  );
}

// ---------------------------------------------------------------- plans

/** The query objects the builders return (mongoose Queries), as far as this test uses them. */
interface BuiltQuery {
  lean(): PromiseLike<unknown>;
  explain(): PromiseLike<unknown>;
  getOptions(): { sort?: unknown; limit?: unknown };
  model: { collection: { collectionName: string } };
}

interface Verdict {
  backend: 'ferretdb' | 'mongodb' | 'unknown';
  lines: string[];
  problems: string[];
}

function mongoStages(node: PlanNode | undefined, out: string[] = []): string[] {
  if (!node) return out;
  if (node.queryPlan) return mongoStages(node.queryPlan, out);
  out.push(`${node.stage ?? '?'}${node.indexName ? ` ${node.indexName}` : ''}`);
  mongoStages(node.inputStage, out);
  for (const child of node.inputStages ?? []) mongoStages(child, out);
  return out;
}

/** Whether the plan reads `collection` whole (see the file's comment for the rules). */
function judgePlan(answer: unknown, collection: string, sortedAndLimited: boolean, pageWithoutSort = false): Verdict {
  const doc = (Array.isArray(answer) ? answer[0] : answer) as
    { queryPlanner?: { Plan?: string[]; winningPlan?: PlanNode } } | undefined;
  const planner = doc?.queryPlanner;
  if (planner?.Plan) {
    const lines = planner.Plan.map((line) => line.replace(/^id=\d+ parent=\d+ notused=\d+ detail=/, ''));
    const ours = (table: string) => table === collection || table.startsWith(`${collection}_`);
    const problems: string[] = [];
    for (const line of lines) {
      const bare = /^SCAN (\S+)$/.exec(line);
      if (bare && ours(bare[1]!)) problems.push(`reads the collection whole: ${line}`);
      const walk = /^SCAN (\S+) USING (?:COVERING )?INDEX /.exec(line);
      if (walk && ours(walk[1]!) && !sortedAndLimited)
        problems.push(`walks a whole index without a sort and limit to stop it: ${line}`);
      // "FOR LAST TERM OF ORDER BY" (rows of one _id, for a UNION's merge) is fine; a whole sort is not.
      if (pageWithoutSort && line === 'USE TEMP B-TREE FOR ORDER BY')
        problems.push(`sorts every matching document before the first page: ${line}`);
    }
    return { backend: 'ferretdb', lines, problems };
  }
  if (planner?.winningPlan) {
    const lines = mongoStages(planner.winningPlan);
    return {
      backend: 'mongodb',
      lines,
      problems: lines.filter((l) => l.startsWith('COLLSCAN')).map((l) => `collection scan: ${l}`),
    };
  }
  return {
    backend: 'unknown',
    lines: [JSON.stringify(doc).slice(0, 300)],
    problems: ['no query plan in the explain answer'],
  };
}

interface Case {
  /** The product query, e.g. "member inbox 待回复 (GET /tickets?status=assigned)". */
  name: string;
  /** Where the product builds it. */
  source: string;
  /** A fresh query, exactly as the product builds it (not awaited: awaiting a Query runs it). */
  build: () => BuiltQuery;
  /** What it must return (ids, in order when `ordered`); for a limited unsorted scan, what it may return. */
  expected: () => Types.ObjectId[];
  /** Compare in order (a sorted list) or as sets. */
  ordered: boolean;
  /** For unsorted limited scans: the answer is any `limit` of the expected (all when fewer). */
  anyOf?: boolean;
  /** A count, update or guard filter explained as a find (FerretDB explains finds): what it runs instead. */
  runs?: string;
  /** A page read in index order, never sorting all that matches (FerretDB: no whole `TEMP B-TREE FOR ORDER BY`). */
  pageWithoutSort?: boolean;
}

// ---------------------------------------------------------------- the suite

describe('every product list and sweep is served from an index (explain)', () => {
  let stack: TestStack;
  const now = Date.now();
  const world = generate(now);
  const table: { name: string; collection: string; verdict: Verdict; runs?: string }[] = [];

  const admin: Actor = { role: 'admin', id: new Types.ObjectId(), memberId: null, studioIds: [], name: '管理员' };
  const member: Actor = {
    role: 'member',
    id: world.memberUserId,
    memberId: world.me._id,
    studioIds: world.me.studioIds,
    name: world.me.name,
  };
  const twoStudios = world.members.find((m) => m.active && m.studioIds.length === 2 && !m._id.equals(world.me._id))!;
  const memberOfTwo: Actor = {
    role: 'member',
    id: new Types.ObjectId(),
    memberId: twoStudios._id,
    studioIds: twoStudios.studioIds,
    name: twoStudios.name,
  };
  const residentId = world.tickets[7]!.residentId;
  const resident: Actor = { role: 'resident', id: residentId, memberId: null, studioIds: [], name: '群众' };
  const studio0 = world.studios[0]!;
  const studio1 = world.studios[1]!;

  /** projectFilter's answers (it reads the studio's members first, as inviteMembersQuery does). */
  const projectFilters = new Map<string, Record<string, unknown>>();

  beforeAll(async () => {
    stack = await startTestStack();
    await seed(stack, world);
    const { models } = stack.app;
    projectFilters.set('all', await projectFilter(models, {}));
    projectFilters.set('member', await projectFilter(models, { memberId: hex(world.projects[0]!.memberId) }));
    projectFilters.set('studio', await projectFilter(models, { studioId: hex(studio1._id) }));
    projectFilters.set('year', await projectFilter(models, { year: 2025 }));
    await awaitIdOrder(stack);
  }, 600_000);

  afterAll(async () => {
    if (table.length) {
      const width = Math.max(...table.map((r) => r.name.length));
      const out = table.map(
        (r) =>
          `${r.name.padEnd(width)}  ${r.collection.padEnd(13)} ${r.verdict.problems.length ? 'SCAN ' : 'index'}  ${r.verdict.lines.join(' | ')}${r.runs ? `   (${r.runs})` : ''}`,
      );
      console.log(`query plans (${table[0]!.verdict.backend}):\n${out.join('\n')}`);
    }
    await stack?.close();
  });

  // ---- expectations, from the seeded data

  const visibleTickets = (actor: Actor) =>
    world.tickets.filter((t) => {
      if (actor.role === 'admin') return true;
      if (actor.role === 'resident') return t.residentId.equals(actor.id);
      return (
        t.contentCheck === 'pass' &&
        (has(actor.studioIds, t.studioId) || Boolean(actor.memberId && t.assigneeId?.equals(actor.memberId)))
      );
    });
  const isOpen = (t: SeedTicket) => t.status === 'pending' || t.status === 'assigned';
  const ticketsFor = (actor: Actor, query: Omit<TicketListQuery, 'cursor' | 'limit'>) => {
    const at = Date.now();
    return newestFirst(
      visibleTickets(actor).filter(
        (t) =>
          (!query.status || t.status === query.status) &&
          (!query.studioId || hex(t.studioId) === query.studioId) &&
          (query.overdue === undefined || (isOpen(t) && t.dueAt.getTime() < at) === query.overdue) &&
          (query.assignee !== 'me' || Boolean(actor.memberId && t.assigneeId?.equals(actor.memberId))) &&
          (query.stranded !== true ||
            ((t.status === 'assigned' || t.status === 'answered') &&
              world.members.some((m) => t.assigneeId?.equals(m._id) && (!m.active || !isBound(m))))),
      ),
    );
  };
  /** One page of a ticket list (and the one more the route reads), from `cursor` if given. */
  const ticketPage = (
    actor: Actor,
    query: Omit<TicketListQuery, 'cursor' | 'limit'>,
    limit: number,
    after?: Types.ObjectId,
  ) =>
    ticketsFor(actor, query)
      .filter((t) => !after || hex(t._id) < hex(after))
      .slice(0, limit + 1)
      .map((t) => t._id);
  /** The cursor in the middle of a list (a deep page), and where it points. */
  const middleOf = (list: { _id: Types.ObjectId }[]) => {
    const at = list[Math.floor(list.length / 2)]!._id;
    return { cursor: encodeCursor(0, at), at };
  };

  const noticesOf = (actor: Actor) =>
    world.notices.filter((n) =>
      actor.role === 'admin'
        ? n.recipient.kind === 'admins'
        : (n.recipient.kind === 'user' && n.recipient.id!.equals(actor.id)) ||
          (n.recipient.kind === 'member' && Boolean(actor.memberId && n.recipient.id!.equals(actor.memberId))),
    );

  const byName = (a: SeedMember, b: SeedMember) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : hex(a._id) < hex(b._id) ? -1 : 1;
  const inStudio = (m: SeedMember, studioId: Types.ObjectId) => has(m.studioIds, studioId);
  const bySortOrder = (a: SeedStudio, b: SeedStudio) => a.sortOrder - b.sortOrder || (hex(a._id) < hex(b._id) ? -1 : 1);

  // ---- the cases

  // Every ticket list is read in _id order from its index, a page at a time (the deadline boards too:
  // their status is walked in _id order and the deadline tested on the index entries).
  const ticketCase = (
    name: string,
    actor: Actor,
    query: Omit<TicketListQuery, 'cursor' | 'limit'>,
    deep = false,
  ): Case => ({
    name,
    source: 'tickets/service.ts ticketListQuery (GET /tickets)',
    ordered: true,
    pageWithoutSort: true,
    build: () =>
      ticketListQuery(
        stack.app.models,
        actor,
        { ...query, limit: 20, ...(deep ? { cursor: middleOf(ticketsFor(actor, query)).cursor } : {}) },
        // What listTickets reads first for the 无人接收 list: the members who cannot receive.
        query.stranded ? world.members.filter((m) => !m.active || !isBound(m)).map((m) => m._id) : [],
      ),
    expected: () => ticketPage(actor, query, 20, deep ? middleOf(ticketsFor(actor, query)).at : undefined),
  });

  const cases: Case[] = [
    // The member's inbox: its three tabs, a deep page, what was handed to them, one studio.
    ticketCase('member inbox 待回复 (status=assigned)', member, { status: 'assigned' }),
    ticketCase('member inbox 已回复 (status=answered)', member, { status: 'answered' }),
    ticketCase('member inbox 已办结 (status=resolved)', member, { status: 'resolved' }),
    ticketCase('member inbox 已办结, deep keyset page', member, { status: 'resolved' }, true),
    ticketCase('member inbox, all states', member, {}),
    ticketCase('member inbox, two studios 待回复', memberOfTwo, { status: 'assigned' }),
    ticketCase('member: handed to me (assignee=me)', member, { assignee: 'me' }),
    ticketCase("member: one studio's tickets (studioId)", member, { studioId: hex(studio0._id), status: 'answered' }),
    // The office's boards and lists.
    ticketCase('overdue board (overdue=true)', admin, { overdue: true }),
    ticketCase('overdue board, deep keyset page', admin, { overdue: true }, true),
    ticketCase('pending board 待分配 (status=pending)', admin, { status: 'pending' }),
    ticketCase('board 无人接收 (stranded=true)', admin, { stranded: true }),
    ticketCase('admin: not overdue (overdue=false)', admin, { overdue: false }),
    ticketCase("admin: a studio's tickets (studioId)", admin, { studioId: hex(studio1._id) }),
    ticketCase("admin: a studio's open tickets (studioId, status)", admin, {
      studioId: hex(studio1._id),
      status: 'assigned',
    }),
    // A resident's 我的.
    ticketCase('resident 我的 (own tickets)', resident, {}),

    // Notices and unread counts.
    {
      name: 'member notices (GET /me/notifications)',
      source: 'notifications/service.ts notificationListQuery',
      ordered: true,
      build: () => notificationListQuery(stack.app.models, member, { limit: 20 }),
      expected: () =>
        newestFirst(noticesOf(member))
          .slice(0, 21)
          .map((n) => n._id),
    },
    {
      name: 'member notices, unread only, deep page',
      source: 'notifications/service.ts notificationListQuery',
      ordered: true,
      build: () =>
        notificationListQuery(stack.app.models, member, {
          limit: 20,
          unread: true,
          cursor: middleOf(newestFirst(noticesOf(member).filter((n) => !n.readAt))).cursor,
        }),
      expected: () => {
        const unread = newestFirst(noticesOf(member).filter((n) => !n.readAt));
        const at = middleOf(unread).at;
        return unread
          .filter((n) => hex(n._id) < hex(at))
          .slice(0, 21)
          .map((n) => n._id);
      },
    },
    {
      name: 'resident notices (GET /me/notifications)',
      source: 'notifications/service.ts notificationListQuery',
      ordered: true,
      build: () =>
        notificationListQuery(
          stack.app.models,
          {
            ...resident,
            id: world.notices.find((n) => n.recipient.kind === 'user' && !n.recipient.id!.equals(world.memberUserId))!
              .recipient.id!,
          },
          { limit: 20 },
        ),
      expected: () => {
        const user = world.notices.find(
          (n) => n.recipient.kind === 'user' && !n.recipient.id!.equals(world.memberUserId),
        )!.recipient.id!;
        return newestFirst(world.notices.filter((n) => n.recipient.kind === 'user' && n.recipient.id!.equals(user)))
          .slice(0, 21)
          .map((n) => n._id);
      },
    },
    {
      name: 'admin notices (GET /me/notifications)',
      source: 'notifications/service.ts notificationListQuery',
      ordered: true,
      build: () => notificationListQuery(stack.app.models, admin, { limit: 20 }),
      expected: () =>
        newestFirst(noticesOf(admin))
          .slice(0, 21)
          .map((n) => n._id),
    },
    {
      name: 'member unread count (badge)',
      source: 'notifications/service.ts unreadNoticesFilter',
      runs: 'countDocuments, and updateMany for "mark all read"',
      ordered: false,
      build: () => stack.app.models.Notification.find(unreadNoticesFilter(member), { _id: 1 }),
      expected: () =>
        noticesOf(member)
          .filter((n) => !n.readAt)
          .map((n) => n._id),
    },
    {
      name: 'admin unread count (badge)',
      source: 'notifications/service.ts unreadNoticesFilter',
      runs: 'countDocuments',
      ordered: false,
      build: () => stack.app.models.Notification.find(unreadNoticesFilter(admin), { _id: 1 }),
      expected: () =>
        noticesOf(admin)
          .filter((n) => !n.readAt)
          .map((n) => n._id),
    },
    {
      name: 'member marks some notices read',
      source: 'notifications/service.ts markReadFilter',
      runs: 'updateMany',
      ordered: false,
      build: () => {
        const mine = noticesOf(member)
          .filter((n) => !n.readAt)
          .slice(0, 5);
        const others = world.notices.filter((n) => n.recipient.kind === 'admins' && !n.readAt).slice(0, 2);
        return stack.app.models.Notification.find(
          markReadFilter(member, { ids: [...mine, ...others].map((n) => hex(n._id)) }),
          { _id: 1 },
        );
      },
      expected: () =>
        noticesOf(member)
          .filter((n) => !n.readAt)
          .slice(0, 5)
          .map((n) => n._id),
    },

    // Admin lists.
    {
      name: 'admin failed notices (GET /admin/notifications/failed)',
      source: 'notifications/service.ts failedNoticesQuery',
      ordered: true,
      build: () => failedNoticesQuery(stack.app.models, { limit: 20 }),
      expected: () =>
        newestFirst(world.notices.filter((n) => n.state === 'failed'))
          .slice(0, 21)
          .map((n) => n._id),
    },
    {
      name: 'public studio list (GET /studios)',
      source: 'studios/service.ts studioPageQuery',
      ordered: true,
      build: () => studioPageQuery(stack.app.models, { limit: 3 }, true),
      expected: () =>
        world.studios
          .filter((s) => s.active)
          .sort(bySortOrder)
          .slice(0, 4)
          .map((s) => s._id),
    },
    {
      name: 'public studio list, second page',
      source: 'studios/service.ts studioPageQuery',
      ordered: true,
      build: () => {
        const third = world.studios.filter((s) => s.active).sort(bySortOrder)[2]!;
        return studioPageQuery(stack.app.models, { limit: 3, cursor: encodeCursor(third.sortOrder, third._id) }, true);
      },
      expected: () =>
        world.studios
          .filter((s) => s.active)
          .sort(bySortOrder)
          .slice(3, 7)
          .map((s) => s._id),
    },
    {
      name: 'public studio list by town',
      source: 'studios/service.ts studioPageQuery',
      ordered: true,
      build: () => studioPageQuery(stack.app.models, { town: '许村镇' }, true),
      expected: () => world.studios.filter((s) => s.active && s.town === '许村镇').map((s) => s._id),
    },
    {
      name: 'admin studio list, all states (GET /admin/studios)',
      source: 'studios/service.ts studioPageQuery',
      ordered: true,
      build: () => studioPageQuery(stack.app.models, {}, null),
      expected: () => [...world.studios].sort(bySortOrder).map((s) => s._id),
    },
    {
      name: 'admin studio list, retired, by name',
      source: 'studios/service.ts studioPageQuery',
      ordered: true,
      build: () => studioPageQuery(stack.app.models, { q: '镇' }, false),
      expected: () =>
        world.studios
          .filter((s) => !s.active && s.name.includes('镇'))
          .sort(bySortOrder)
          .map((s) => s._id),
    },
    {
      name: 'studio list member counts',
      source: 'studios/service.ts activeMembersOfStudiosQuery',
      ordered: false,
      build: () =>
        activeMembersOfStudiosQuery(
          stack.app.models,
          world.studios.slice(0, 3).map((s) => s._id),
        ),
      expected: () =>
        world.members
          .filter((m) => m.active && world.studios.slice(0, 3).some((s) => inStudio(m, s._id)))
          .map((m) => m._id),
    },
    {
      name: "studio page's members (GET /studios/:id), posters",
      source: 'studios/service.ts studioMembersQuery',
      ordered: true,
      build: () => studioMembersQuery(stack.app.models, studio0._id),
      expected: () => oldestFirst(world.members.filter((m) => m.active && inStudio(m, studio0._id))).map((m) => m._id),
    },
    {
      name: 'admin member list (GET /admin/members)',
      source: 'members/admin-service.ts memberListQuery',
      ordered: true,
      build: () => memberListQuery(stack.app.models, { limit: 20 }),
      expected: () =>
        [...world.members]
          .sort(byName)
          .slice(0, 21)
          .map((m) => m._id),
    },
    {
      name: 'admin member list, next page',
      source: 'members/admin-service.ts memberListQuery',
      ordered: true,
      build: () => {
        const last = [...world.members].sort(byName)[19]!;
        return memberListQuery(stack.app.models, { limit: 20, cursor: encodeCursor(last.name, last._id) });
      },
      expected: () =>
        [...world.members]
          .sort(byName)
          .slice(20, 41)
          .map((m) => m._id),
    },
    {
      name: 'admin member list by studio (reassign picker)',
      source: 'members/admin-service.ts memberListQuery',
      ordered: true,
      build: () => memberListQuery(stack.app.models, { studioId: hex(studio1._id), limit: 100 }),
      expected: () =>
        world.members
          .filter((m) => inStudio(m, studio1._id))
          .sort(byName)
          .map((m) => m._id),
    },
    {
      name: 'admin member list by name',
      source: 'members/admin-service.ts memberListQuery',
      ordered: true,
      build: () => memberListQuery(stack.app.models, { q: '委员1' }),
      expected: () =>
        world.members
          .filter((m) => m.name.includes('委员1'))
          .sort(byName)
          .slice(0, 21)
          .map((m) => m._id),
    },
    {
      name: "admin invites: the studio's members",
      source: 'invites/service.ts inviteMembersQuery',
      ordered: false,
      build: () => inviteMembersQuery(stack.app.models, hex(studio1._id)),
      expected: () => world.members.filter((m) => inStudio(m, studio1._id)).map((m) => m._id),
    },
    {
      name: 'admin invites (GET /admin/invites?studioId=)',
      source: 'invites/service.ts inviteListQuery',
      ordered: true,
      build: () =>
        inviteListQuery(
          stack.app.models,
          world.members.filter((m) => inStudio(m, studio1._id)).map((m) => m._id),
          { studioId: hex(studio1._id), limit: 50 },
        ),
      expected: () =>
        world.invites
          .filter((v) => world.members.some((m) => inStudio(m, studio1._id) && m._id.equals(v.memberId)))
          .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (hex(a._id) < hex(b._id) ? 1 : -1))
          .slice(0, 50)
          .map((v) => v._id),
    },
    {
      name: 'admin invites, pending only',
      source: 'invites/service.ts inviteListQuery',
      ordered: true,
      build: () =>
        inviteListQuery(
          stack.app.models,
          world.members.map((m) => m._id),
          { studioId: hex(studio1._id), status: 'pending', limit: 50 },
          new Date(now),
        ),
      expected: () =>
        world.invites
          .filter((v) => !v.usedAt && !v.revokedAt && v.expiresAt.getTime() > now)
          .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (hex(a._id) < hex(b._id) ? 1 : -1))
          .slice(0, 50)
          .map((v) => v._id),
    },
    {
      name: '三转 records (GET /admin/outcomes)',
      source: 'outcomes/service.ts outcomeListQuery',
      ordered: true,
      build: () => outcomeListQuery(stack.app.models, { limit: 20 }),
      expected: () =>
        newestFirst(world.outcomes)
          .slice(0, 21)
          .map((o) => o._id),
    },
    {
      name: '三转 records, next page',
      source: 'outcomes/service.ts outcomeListQuery',
      ordered: true,
      build: () =>
        outcomeListQuery(stack.app.models, {
          limit: 20,
          cursor: encodeCursor(0, newestFirst(world.outcomes)[19]!._id),
        }),
      expected: () =>
        newestFirst(world.outcomes)
          .slice(20, 41)
          .map((o) => o._id),
    },
    {
      name: '三转 records by kind and status',
      source: 'outcomes/service.ts outcomeListQuery',
      ordered: true,
      build: () => outcomeListQuery(stack.app.models, { kind: 'proposal', status: 'adopted' }),
      expected: () =>
        newestFirst(world.outcomes.filter((o) => o.kind === 'proposal' && o.status === 'adopted'))
          .slice(0, 21)
          .map((o) => o._id),
    },
    {
      name: '三转 records by status',
      source: 'outcomes/service.ts outcomeListQuery',
      ordered: true,
      build: () => outcomeListQuery(stack.app.models, { status: 'declined' }),
      expected: () =>
        newestFirst(world.outcomes.filter((o) => o.status === 'declined'))
          .slice(0, 21)
          .map((o) => o._id),
    },
    {
      name: '三转 records by studio',
      source: 'outcomes/service.ts outcomeListQuery',
      ordered: true,
      build: () => outcomeListQuery(stack.app.models, { studioId: hex(studio1._id) }),
      expected: () =>
        newestFirst(world.outcomes.filter((o) => o.studioId.equals(studio1._id)))
          .slice(0, 21)
          .map((o) => o._id),
    },
    {
      name: '三转 records from a day on',
      source: 'outcomes/service.ts outcomeListQuery',
      ordered: true,
      build: () => outcomeListQuery(stack.app.models, { from: chinaIsoDay(now - 20 * DAY) }),
      expected: () =>
        newestFirst(
          world.outcomes.filter(
            (o) => o.createdAt.getTime() >= Date.parse(`${chinaIsoDay(now - 20 * DAY)}T00:00:00+08:00`),
          ),
        )
          .slice(0, 21)
          .map((o) => o._id),
    },
    {
      name: '履职项目 (GET /admin/projects)',
      source: 'projects/service.ts projectListQuery',
      ordered: true,
      build: () => projectListQuery(stack.app.models, projectFilters.get('all')!, { limit: 20 }),
      expected: () =>
        newestFirst(world.projects)
          .slice(0, 21)
          .map((p) => p._id),
    },
    {
      name: '履职项目 by member',
      source: 'projects/service.ts projectListQuery',
      ordered: true,
      build: () => projectListQuery(stack.app.models, projectFilters.get('member')!, {}),
      expected: () =>
        newestFirst(world.projects.filter((p) => p.memberId.equals(world.projects[0]!.memberId)))
          .slice(0, 21)
          .map((p) => p._id),
    },
    {
      name: '履职项目 by studio',
      source: 'projects/service.ts projectListQuery',
      ordered: true,
      build: () => projectListQuery(stack.app.models, projectFilters.get('studio')!, {}),
      expected: () =>
        newestFirst(
          world.projects.filter((p) => world.members.some((m) => inStudio(m, studio1._id) && m._id.equals(p.memberId))),
        )
          .slice(0, 21)
          .map((p) => p._id),
    },
    {
      name: '履职项目 by year',
      source: 'projects/service.ts projectListQuery',
      ordered: true,
      build: () => projectListQuery(stack.app.models, projectFilters.get('year')!, {}),
      expected: () =>
        newestFirst(world.projects.filter((p) => p.year === 2025))
          .slice(0, 21)
          .map((p) => p._id),
    },
    {
      name: "a member's public page: projects (GET /members/:id)",
      source: 'projects/service.ts memberProjectsQuery',
      ordered: true,
      build: () => memberProjectsQuery(stack.app.models, world.projects[0]!.memberId),
      expected: () =>
        world.projects
          .filter((p) => p.memberId.equals(world.projects[0]!.memberId) && p.active)
          .sort((a, b) => b.year - a.year || (hex(a._id) < hex(b._id) ? -1 : 1))
          .map((p) => p._id),
    },
    {
      name: "a studio's star history (GET /admin/studios/:id/stars)",
      source: 'stars/service.ts starHistoryQuery',
      ordered: true,
      build: () => starHistoryQuery(stack.app.models, studio1._id),
      expected: () =>
        newestFirst(world.stars.filter((s) => s.studioId.equals(studio1._id)))
          .slice(0, 50)
          .map((s) => s._id),
    },
    {
      name: 'statistics: every studio (GET /admin/stats)',
      source: 'stats/service.ts statsStudiosQuery',
      ordered: true,
      build: () => statsStudiosQuery(stack.app.models),
      expected: () => [...world.studios].sort(bySortOrder).map((s) => s._id),
    },

    // Submit and the worker's reads of members.
    {
      name: 'submit: who may be assigned',
      source: 'workflow/assignment.ts assignmentCandidatesQuery',
      ordered: true,
      build: () => assignmentCandidatesQuery(stack.app.models, studio0._id),
      expected: () =>
        oldestFirst(world.members.filter((m) => m.active && isBound(m) && inStudio(m, studio0._id))).map((m) => m._id),
    },
    {
      name: "escalation: the studio's leads",
      source: 'workflow/transitions.ts studioLeadsQuery',
      ordered: false,
      build: () => studioLeadsQuery(stack.app.models, studio0._id),
      expected: () => world.members.filter((m) => m.active && has(m.leadOf, studio0._id)).map((m) => m._id),
    },
    {
      name: "submit: the day's newest numbers",
      source: 'workflow/numbering.ts dayNumbersQuery',
      ordered: true,
      build: () => dayNumbersQuery(stack.app.models, 'HN', chinaDay(new Date(now - 10 * DAY))),
      expected: () =>
        newestFirst(world.tickets.filter((t) => t.no.startsWith(`HN${chinaDay(new Date(now - 10 * DAY))}-`)))
          .slice(0, 20)
          .map((t) => t._id),
    },
    {
      name: "submit: a day's first number (none stored yet)",
      source: 'workflow/numbering.ts dayNumbersQuery',
      ordered: true,
      build: () => dayNumbersQuery(stack.app.models, 'HN', chinaDay(new Date(now + DAY))),
      expected: () => [],
    },

    // The sweepers.
    {
      name: 'sweeper: undelivered notices',
      source: 'workers/sweeper.ts staleNoticesQuery',
      ordered: false,
      anyOf: true,
      build: () => staleNoticesQuery(stack.app.models, new Date(now - REQUEUE_AFTER_MS)),
      expected: () =>
        world.tickets
          .filter((t) => t.noticesPendingSince && t.noticesPendingSince.getTime() < now - REQUEUE_AFTER_MS)
          .map((t) => t._id),
    },
    ...(
      [
        ['reminder', 'remindedAt', now + REMIND_BEFORE_MS],
        ['overdue', 'overdueNotifiedAt', now],
        ['escalation', 'escalatedAt', now - ESCALATE_AFTER_MS],
      ] as const
    ).map(([stage, field, dueBefore]): Case => ({
      name: `sweeper: due deadlines (${stage})`,
      source: 'workers/sweeper.ts deadlineStageQuery',
      ordered: false,
      anyOf: true,
      build: () => deadlineStageQuery(stack.app.models, field, new Date(dueBefore)),
      expected: () =>
        world.tickets.filter((t) => isOpen(t) && !t[field] && t.dueAt.getTime() < dueBefore).map((t) => t._id),
    })),
    {
      name: 'sweeper: pending content checks',
      source: 'workers/sweeper.ts pendingContentQuery',
      ordered: false,
      anyOf: true,
      build: () => pendingContentQuery(stack.app.models),
      expected: () => world.tickets.filter((t) => t.contentCheck === 'pending').map((t) => t._id),
    },
    {
      name: 'sweeper: image checks to ask again',
      source: 'media-check/service.ts pendingMediaQuery',
      ordered: false,
      anyOf: true,
      build: () => pendingMediaQuery(stack.app.models, now, new Date(now - MEDIA_RETRY_AFTER_MS)),
      expected: () =>
        world.checks
          .filter(
            (c) =>
              c.state === 'pending' &&
              c.createdAt.getTime() < now - 30_000 &&
              (!c.askedAt || c.askedAt.getTime() < now - MEDIA_RETRY_AFTER_MS),
          )
          .map((c) => c._id),
    },
    {
      name: 'similar tickets: a member’s studios, last 180 days',
      source: 'tickets/similar.ts similarCandidatesQuery',
      ordered: true,
      build: () => similarCandidatesQuery(stack.app.models, member, member.studioIds, new Date(now - 180 * DAY)),
      expected: () =>
        newestFirst(
          visibleTickets(member).filter(
            (t) =>
              has(member.studioIds, t.studioId) &&
              t._id.getTimestamp().getTime() >= Math.floor((now - 180 * DAY) / 1000) * 1000,
          ),
        )
          .slice(0, 500)
          .map((t) => t._id),
      pageWithoutSort: true,
    },
    {
      name: 'sweeper: waits for the resident run out (待补充)',
      source: 'info-requests/service.ts expiredWaitsQuery',
      ordered: false,
      anyOf: true,
      build: () => expiredWaitsQuery(stack.app.models, new Date(now)),
      expected: () =>
        world.tickets.filter((t) => t.status === 'waiting' && t.waitingUntil!.getTime() <= now).map((t) => t._id),
    },
    {
      name: 'sweeper: follow-ups due (回头看)',
      source: 'workflow/follow-up-due.ts dueFollowUpsQuery',
      ordered: false,
      anyOf: true,
      build: () => dueFollowUpsQuery(stack.app.models, new Date(now - FOLLOW_UP_AFTER_MS)),
      expected: () =>
        world.followUps.filter((f) => f.resolvedAt.getTime() <= now - FOLLOW_UP_AFTER_MS).map((f) => f._id),
    },
  ];

  it('seeds what the cases need', () => {
    // Each list is long enough that a wrong index or order would show.
    expect(ticketsFor(member, { status: 'resolved' }).length).toBeGreaterThan(60);
    expect(ticketsFor(admin, { overdue: true }).length).toBeGreaterThan(60);
    expect(ticketsFor(member, { assignee: 'me' }).some((t) => !has(member.studioIds, t.studioId))).toBe(true);
    expect(noticesOf(member).filter((n) => !n.readAt).length).toBeGreaterThan(60);
    expect(
      world.checks.filter(
        (c) =>
          c.state === 'pending' &&
          c.createdAt.getTime() < now - 30_000 &&
          (!c.askedAt || c.askedAt.getTime() < now - MEDIA_RETRY_AFTER_MS),
      ).length,
    ).toBeGreaterThan(5);
    expect(world.followUps.filter((f) => f.resolvedAt.getTime() <= now - FOLLOW_UP_AFTER_MS).length).toBeGreaterThan(5);
  });

  it.each(cases.map((c) => [`${c.name} — ${c.source}`, c] as const))('%s', async (_title, c) => {
    const built = c.build();
    const collection = built.model.collection.collectionName;
    const options = built.getOptions();
    const limit = typeof options.limit === 'number' ? options.limit : undefined;
    const docs = (await built.lean()) as { _id: Types.ObjectId }[];
    const verdict = judgePlan(
      await c.build().explain(),
      collection,
      Boolean(options.sort) && limit !== undefined,
      c.pageWithoutSort,
    );
    table.push({ name: c.name, collection, verdict, ...(c.runs ? { runs: c.runs } : {}) });

    const expected = c.expected().map(hex);
    const got = ids(docs);
    if (c.anyOf) {
      expect(got.length).toBe(Math.min(expected.length, limit ?? expected.length));
      const allowed = new Set(expected);
      expect(got.filter((id) => !allowed.has(id))).toEqual([]);
    } else if (c.ordered) {
      expect(got).toEqual(expected);
    } else {
      expect([...got].sort()).toEqual([...expected].sort());
    }
    expect({ plan: verdict.lines, problems: verdict.problems }).toEqual({ plan: verdict.lines, problems: [] });
  });
});

/**
 * The patched FerretDB orders by _id in SQL only once it knows every _id of the collection is an
 * ObjectId, which it learns by one check in the background started by the first sorted query (until
 * then such a query sorts in memory). Production processes learn it at their first list; here each
 * collection is asked until it knows, so the plans are those of a running process. Nothing to wait
 * for on MongoDB or on a FerretDB that pushes no filter down.
 */
async function awaitIdOrder(stack: TestStack): Promise<void> {
  const { models } = stack.app;
  const probe = (await models.Ticket.find({ status: 'pending' })
    .sort({ _id: -1 })
    .limit(1)
    .explain()) as unknown as Record<string, unknown>;
  if (!('sortPushdown' in probe) || probe.filterPushdown !== true) return;
  const sorted = [
    models.Ticket,
    models.Notification,
    models.Studio,
    models.Member,
    models.Invite,
    models.Outcome,
    models.Project,
    models.StarHistory,
    models.MediaCheck,
    models.FollowUpDue,
  ].map((model) => () => model.collection.find({}).sort({ _id: -1 }).limit(1).explain());
  for (const explainSorted of sorted) {
    for (let attempt = 0; attempt < 50; attempt++) {
      const answer = (await explainSorted()) as Record<string, unknown>;
      if (answer.sortPushdown === true) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** The China calendar day of an instant, as YYYY-MM-DD (the outcome filters' format). */
function chinaIsoDay(ms: number): string {
  return new Date(ms + 8 * HOUR).toISOString().slice(0, 10);
}

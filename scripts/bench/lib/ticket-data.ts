/**
 * Realistic ticket (and notice) documents for the list benches (bench:inbox, bench:lookup), inserted
 * straight through the wire protocol (driver insertMany, no mongoose), and the bookkeeping the benches
 * need to aim their queries: which tickets a member's inbox, the overdue board and a resident's list
 * hold, so a deep page's cursor can sit in the middle of its list.
 *
 * The data: `studios` studios over the past 365 days; studio 0 is the bench member's (three real
 * members), every other studio has three member ids of its own; about 2 % of tickets are studio 0's,
 * a few others are handed to the bench member; one resident (`benchResidentId`) submitted one ticket
 * in 2 500. Status by age (recent mostly open, older mostly answered or resolved, a few left open and
 * overdue), deadlines `slaHours` after submit, content check `pass` but for 0.5 % `review`. Each
 * ticket carries its timeline (submitted, assigned, notified, replies, resolved, rating) and drained
 * outbox, about 2 KB of BSON like a stored ticket; the average is measured and reported.
 */
import { mongo, Types } from 'mongoose';
import type { TicketStatus } from '@mashangshang/shared';
import { prng } from '../../lib/prng';

const DAY = 86_400_000;
const ObjectId = Types.ObjectId;
type Id = Types.ObjectId;

export interface TicketWorld {
  studioIds: Id[];
  /** Three assignees per studio; studio 0's are real members, the bench member first. */
  assignees: Id[][];
  benchMemberId: Id;
  benchResidentId: Id;
  slaHours: number;
  /** Ids of the lists the benches page through (unsorted): the member's inbox (all tabs), the overdue board, the resident's list. */
  lists: { inbox: Id[]; overdue: Id[]; resident: Id[] };
  seeded: number;
  /** BSON bytes of every ticket seeded (for the average size). */
  bytes: number;
  /** The clock of the data set: tickets are submitted up to here; overdue means dueAt before it. */
  now: number;
  random: () => number;
}

export interface WorldOptions {
  studios?: number;
  studioIds?: Id[];
  /** Studio 0's real members (the bench member first); made up when absent. */
  members?: Id[];
  benchResidentId?: Id;
  slaHours?: number;
  seed?: number;
  now?: number;
}

export function newTicketWorld(opts: WorldOptions = {}): TicketWorld {
  const studioIds = opts.studioIds ?? Array.from({ length: opts.studios ?? 50 }, () => new ObjectId());
  const members = opts.members ?? [new ObjectId(), new ObjectId(), new ObjectId()];
  return {
    studioIds,
    assignees: studioIds.map((_, i) => (i === 0 ? members : [new ObjectId(), new ObjectId(), new ObjectId()])),
    benchMemberId: members[0]!,
    benchResidentId: opts.benchResidentId ?? new ObjectId(),
    slaHours: opts.slaHours ?? 72,
    lists: { inbox: [], overdue: [], resident: [] },
    seeded: 0,
    bytes: 0,
    now: opts.now ?? Date.now(),
    random: prng(opts.seed ?? 42),
  };
}

/** An ObjectId whose time is `at`, unique by the sequence number: _id order is submit order, as in production. */
function idAt(at: number, seq: number): Id {
  return new ObjectId(
    Math.floor(at / 1000)
      .toString(16)
      .padStart(8, '0') + seq.toString(16).padStart(16, '0'),
  );
}

/** Status by age: recent tickets mostly open, older ones mostly answered or resolved, a few left open. */
function pickStatus(ageMs: number, r: number): TicketStatus {
  const [pending, assigned, answered] =
    ageMs < 3 * DAY ? [0.03, 0.6, 0.85] : ageMs < 30 * DAY ? [0.01, 0.09, 0.29] : [0.002, 0.01, 0.06];
  return r < pending ? 'pending' : r < assigned ? 'assigned' : r < answered ? 'answered' : 'resolved';
}

const SENTENCES = [
  '小区门口的路灯坏了一个多月了，晚上出行很不安全，希望有关部门尽快修好。',
  '村里通往镇上的道路坑洼不平，下雨天积水严重，老人孩子出行很不方便。',
  '建议在菜市场附近增设公共停车位，早高峰经常堵车，影响周边居民上班。',
  '我家老人想办理居家养老服务，不知道需要准备哪些材料，到哪里申请。',
  '楼下餐馆油烟直排，夏天窗户都不敢开，多次反映没有结果，请委员帮忙协调。',
  '希望学校周边增加交通协管员，放学时段车辆太多，孩子过马路很危险。',
];
const REPLIES = [
  '您好，您反映的情况已收到，我们已联系相关部门核实处理，请耐心等待。',
  '经与主管部门沟通，相关问题已列入本月整改计划，预计两周内完成，届时会再告知您。',
];

function content(random: () => number): string {
  const n = 2 + Math.floor(random() * 5);
  let text = '';
  for (let k = 0; k < n; k++) text += SENTENCES[Math.floor(random() * SENTENCES.length)]!;
  return text;
}

/** The next `count` tickets of the world (advances `seeded` and the lists). */
export function nextTickets(world: TicketWorld, count: number): Record<string, unknown>[] {
  const { random, now, slaHours } = world;
  const docs: Record<string, unknown>[] = [];
  for (let i = world.seeded; i < world.seeded + count; i++) {
    const createdAt = now - Math.floor(random() * 365 * DAY);
    const studio = random() < 0.02 ? 0 : 1 + Math.floor(random() * (world.studioIds.length - 1));
    const status = pickStatus(now - createdAt, random());
    const contentCheck = random() < 0.995 ? 'pass' : 'review';
    // Now and then an admin hands a ticket to the bench member from another studio.
    const handed = studio !== 0 && random() < 0.0005;
    const assigneeId =
      status === 'pending' ? null : handed ? world.benchMemberId : world.assignees[studio]![Math.floor(random() * 3)]!;
    const residentId = i % 2500 === 17 ? world.benchResidentId : new ObjectId();
    const _id = idAt(createdAt, i);
    const dueAt = createdAt + slaHours * 3600_000;
    const answeredAt =
      status === 'answered' || status === 'resolved' ? createdAt + Math.floor(random() * slaHours * 3600_000) : null;
    const resolvedAt = status === 'resolved' ? answeredAt! + Math.floor(random() * 3 * DAY) : null;
    const rated = status === 'resolved' && random() < 0.5;
    const system = { role: 'system', id: null, name: '系统' };
    const member = { role: 'member', id: assigneeId, name: '委员' };
    const timeline: Record<string, unknown>[] = [
      {
        _id: new ObjectId(),
        type: 'submitted',
        at: new Date(createdAt),
        actor: { role: 'resident', id: residentId, name: '群众' },
      },
    ];
    if (assigneeId) {
      timeline.push({
        _id: new ObjectId(),
        type: 'assigned',
        at: new Date(createdAt),
        actor: system,
        toMemberId: assigneeId,
        toMemberName: '委员',
      });
      timeline.push({
        _id: new ObjectId(),
        type: 'notified',
        at: new Date(createdAt + 80),
        actor: system,
        content: '已通过微信订阅消息与站内消息通知委员',
      });
    }
    if (answeredAt)
      timeline.push({
        _id: new ObjectId(),
        type: 'reply',
        at: new Date(answeredAt),
        actor: member,
        content: REPLIES[0],
      });
    if (resolvedAt) {
      timeline.push({
        _id: new ObjectId(),
        type: 'reply',
        at: new Date(resolvedAt),
        actor: member,
        content: REPLIES[1],
      });
      timeline.push({
        _id: new ObjectId(),
        type: 'resolved',
        at: new Date(resolvedAt),
        actor: member,
        outcome: 'none',
        content: '问题已解决，办结。',
      });
    }
    if (rated)
      timeline.push({
        _id: new ObjectId(),
        type: 'rated',
        at: new Date(resolvedAt! + DAY),
        actor: { role: 'resident', id: residentId, name: '群众' },
        score: 5,
        content: '感谢委员，处理很及时。',
      });
    const doc = {
      _id,
      no: `HN${new Date(createdAt).toISOString().slice(0, 10).replace(/-/g, '')}-${String(i).padStart(7, '0')}`,
      studioId: world.studioIds[studio],
      residentId,
      idempotencyKey: `bench-${i}`,
      category: (['consult', 'suggest', 'help'] as const)[i % 3],
      content: content(random),
      imageIds: [],
      contactPhoneEnc: random() < 0.3 ? 'v1:Zm9vYmFyYmF6cXV4:bW9ja2VkLWNpcGhlcnRleHQtb2YtYS1waG9uZS1udW1iZXI' : null,
      contactName: null,
      allowContact: false,
      anonymous: false,
      status,
      assigneeId,
      assigneeName: assigneeId ? '委员' : null,
      assignedAt: assigneeId ? new Date(createdAt) : null,
      dueAt: new Date(dueAt),
      answeredAt: answeredAt ? new Date(answeredAt) : null,
      resolvedAt: resolvedAt ? new Date(resolvedAt) : null,
      outcome: resolvedAt ? 'none' : null,
      rating: rated ? { score: 5, comment: '感谢委员，处理很及时。', at: new Date(resolvedAt! + DAY) } : null,
      contentCheck,
      flagged: contentCheck !== 'pass',
      reopenCount: 0,
      outbox: assigneeId
        ? [
            {
              _id: new ObjectId(),
              kind: 'ticket_assigned',
              recipient: { kind: 'member', id: assigneeId },
              createdAt: new Date(createdAt),
              doneAt: new Date(createdAt + 80),
            },
          ]
        : [],
      noticesPendingSince: null,
      remindedAt: null,
      overdueNotifiedAt: null,
      escalatedAt: null,
      followUp: null,
      version: timeline.length,
      timeline,
      createdAt: new Date(createdAt),
      updatedAt: new Date(resolvedAt ?? answeredAt ?? createdAt),
    };
    docs.push(doc);
    if (contentCheck === 'pass' && (studio === 0 || assigneeId?.equals(world.benchMemberId)))
      world.lists.inbox.push(_id);
    if ((status === 'pending' || status === 'assigned') && dueAt < now) world.lists.overdue.push(_id);
    if (residentId === world.benchResidentId) world.lists.resident.push(_id);
  }
  world.seeded += count;
  return docs;
}

export interface SeedProgress {
  inserted: number;
  seconds: number;
  perSecond: number;
  /** Stopped at the deadline before the target. */
  cutShort: boolean;
}

/**
 * Inserts tickets until the world holds `target` (or the deadline, a performance.now() time, passes):
 * insertMany of `batch` documents, `streams` at a time (FerretDB converts documents on more than one
 * core; SQLite still writes one transaction at a time). Documents are generated while the previous
 * batches are in flight.
 */
export async function seedTickets(
  collection: mongo.Collection,
  world: TicketWorld,
  target: number,
  opts: { deadline?: number; streams?: number; batch?: number; onProgress?: (seeded: number) => void } = {},
): Promise<SeedProgress> {
  const batch = opts.batch ?? 1000;
  const started = performance.now();
  const before = world.seeded;
  let lastReport = started;
  const stream = async () => {
    while (world.seeded < target && (opts.deadline === undefined || performance.now() < opts.deadline)) {
      const docs = nextTickets(world, Math.min(batch, target - world.seeded));
      for (const d of docs) world.bytes += mongo.BSON.calculateObjectSize(d);
      await collection.insertMany(docs, { ordered: false });
      if (opts.onProgress && performance.now() - lastReport > 15_000) {
        lastReport = performance.now();
        opts.onProgress(world.seeded);
      }
    }
  };
  await Promise.all(Array.from({ length: opts.streams ?? 2 }, stream));
  const seconds = (performance.now() - started) / 1000;
  const inserted = world.seeded - before;
  return { inserted, seconds, perSecond: inserted / Math.max(seconds, 0.001), cutShort: world.seeded < target };
}

/**
 * Notices (in-app copies) to go with the tickets: `count` of them over the past 90 days for the
 * members of every studio, one in 50 to the bench member (a third of those unread), the rest to
 * other members, users and the admins. Also says how many are the bench member's, and unread.
 */
export function nextNotices(
  world: TicketWorld,
  count: number,
): { docs: Record<string, unknown>[]; mine: number; unread: number } {
  let mine = 0;
  let unread = 0;
  const docs: Record<string, unknown>[] = [];
  for (let i = 0; i < count; i++) {
    const at = world.now - Math.floor(world.random() * 90 * DAY);
    const r = world.random();
    const forMe = r < 0.02;
    const recipient = forMe
      ? { kind: 'member', id: world.benchMemberId }
      : r < 0.8
        ? { kind: 'member', id: world.assignees[1 + (i % (world.assignees.length - 1))]![i % 3] }
        : r < 0.97
          ? { kind: 'user', id: new ObjectId() }
          : { kind: 'admins', id: null };
    const read = world.random() < (forMe ? 0.67 : 0.8);
    if (forMe) mine++;
    if (forMe && !read) unread++;
    docs.push({
      _id: idAt(at, 1_000_000_000 + i),
      recipient,
      kind: 'ticket_assigned',
      ticketId: new ObjectId(),
      ticketNo: `HN20260101-${String(i).padStart(7, '0')}`,
      title: '您有一条新的群众留言',
      body: `${SENTENCES[i % SENTENCES.length]!.slice(0, 30)}…`,
      readAt: read ? new Date(at + 3600_000) : null,
      wechat: {
        state: recipient.kind === 'admins' ? 'not_applicable' : 'sent',
        creditTaken: true,
        attempts: 1,
        lastError: '',
        sentAt: new Date(at + 80),
      },
      createdAt: new Date(at),
    });
  }
  return { docs, mine, unread };
}

/** insertMany of prepared documents, `batch` at a time, `streams` batches in flight; returns seconds. */
export async function insertAll(
  collection: mongo.Collection,
  docs: Record<string, unknown>[],
  opts: { batch?: number; streams?: number } = {},
): Promise<number> {
  const batch = opts.batch ?? 1000;
  const started = performance.now();
  let next = 0;
  const stream = async () => {
    while (next < docs.length) {
      const slice = docs.slice(next, next + batch);
      next += batch;
      // Copies: the driver adds nothing to documents that have an _id, but a second build gets the same input.
      await collection.insertMany(
        slice.map((d) => ({ ...d })),
        { ordered: false },
      );
    }
  };
  await Promise.all(Array.from({ length: opts.streams ?? 2 }, stream));
  return (performance.now() - started) / 1000;
}

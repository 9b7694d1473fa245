import ExcelJS from 'exceljs';
import { Types } from 'mongoose';
import {
  TICKET_CATEGORIES,
  TICKET_OUTCOMES,
  TICKET_STATUSES,
  type StatsGroup,
  type TicketOutcome,
  type TicketStatus,
} from '@mashangshang/shared';
import { eventually, startTestStack, type TestStack } from './helpers/app';
import { startWorkers } from '../src/workers/runtime';
import { idempotencyKey, signInAdmin, signInMember, signInResident, type Caller } from './helpers/actors';
import { seedDemoData } from '../src/seed/seed';
import { LOAD_KEY, STATS_READY_KEY, reconcileStats } from '../src/modules/stats/rollup';
import { histogramMedian } from '../src/modules/stats/service';
import { prng } from '../../scripts/lib/prng';

interface Seeded {
  studioCode: string;
  createdAt: Date;
  category: (typeof TICKET_CATEGORIES)[number];
  status: TicketStatus;
  dueAt: Date;
  answeredAt: Date | null;
  score: number | null;
  outcome: TicketOutcome | null;
}

const HOUR = 3600_000;
const MINUTE = 60_000;
/** March 2026 (a whole month) and the first 10 days of April, China time; plus tickets just outside. */
const FROM = '2026-03-01';
const TO = '2026-04-10';
const chinaMidnight = (day: string) => Date.parse(`${day}T00:00:00+08:00`);
const STUDIOS = ['hnyw', 'hnxs', 'hnjy', 'hnjj', 'hnhz', 'hnca'];

function generate(): Seeded[] {
  const random = prng(20260301);
  const pick = <T>(values: readonly T[]) => values[Math.floor(random() * values.length)]!;
  const tickets: Seeded[] = [];
  const start = chinaMidnight('2026-02-25');
  const end = chinaMidnight('2026-04-15');
  for (let i = 0; i < 320; i++) {
    const createdAt = new Date(start + Math.floor(random() * (end - start)));
    // Half the studios answer within 12 hours, the others within 24: every answer below is under a day.
    const studioCode = pick(STUDIOS);
    const dueAt = new Date(createdAt.getTime() + (STUDIOS.indexOf(studioCode) % 2 === 0 ? 12 : 24) * HOUR);
    const status = pick(TICKET_STATUSES);
    const answered = status === 'answered' || status === 'resolved';
    const answeredAt = answered
      ? new Date(createdAt.getTime() + Math.floor(random() * 1439) * MINUTE + Math.floor(random() * 59_000))
      : null;
    const score = answered && random() < 0.7 ? 1 + Math.floor(random() * 5) : null;
    const outcome = status === 'resolved' ? pick(TICKET_OUTCOMES) : null;
    tickets.push({
      studioCode,
      createdAt,
      category: pick(TICKET_CATEGORIES),
      status,
      dueAt,
      answeredAt,
      score,
      outcome,
    });
  }
  // The edges of the range: the first and last instants inside, the neighbours outside.
  const edge = (at: number, studioCode: string): Seeded => ({
    studioCode,
    createdAt: new Date(at),
    category: 'help',
    status: 'resolved',
    dueAt: new Date(at + 12 * HOUR),
    answeredAt: new Date(at + 12 * HOUR),
    score: 5,
    outcome: 'proposal',
  });
  tickets.push(
    edge(chinaMidnight(FROM), 'hnyw'),
    edge(chinaMidnight(FROM) - 1, 'hnyw'),
    edge(chinaMidnight('2026-04-11') - 1, 'hnxs'),
    edge(chinaMidnight('2026-04-11'), 'hnxs'),
  );
  return tickets;
}

/** The expected figures of a set of tickets, computed here without the server's code. */
function expected(tickets: Seeded[]) {
  const count = (predicate: (t: Seeded) => boolean) => tickets.filter(predicate).length;
  const answered = tickets.filter((t) => t.answeredAt);
  const rated = tickets.filter((t) => t.score !== null);
  const minutes = answered
    .map((t) => Math.floor((t.answeredAt!.getTime() - t.createdAt.getTime()) / MINUTE))
    .sort((a, b) => a - b);
  const median =
    minutes.length === 0
      ? null
      : (minutes[Math.floor((minutes.length - 1) / 2)]! + minutes[Math.ceil((minutes.length - 1) / 2)]!) / 2;
  // Every seeded deadline has passed, so every ticket is due but those waiting on their resident
  // (待补充: the clock paused, nothing counts against the studio).
  const inTime = count((t) => t.answeredAt !== null && t.answeredAt <= t.dueAt);
  const due = count((t) => !(t.status === 'waiting' && t.answeredAt === null));
  return {
    tickets: tickets.length,
    byCategory: {
      consult: count((t) => t.category === 'consult'),
      suggest: count((t) => t.category === 'suggest'),
      help: count((t) => t.category === 'help'),
    },
    byStatus: {
      pending: count((t) => t.status === 'pending'),
      assigned: count((t) => t.status === 'assigned'),
      answered: count((t) => t.status === 'answered'),
      waiting: count((t) => t.status === 'waiting'),
      resolved: count((t) => t.status === 'resolved'),
    },
    due,
    answeredInTime: inTime,
    responseRate: due ? inTime / due : null,
    resolutionRate: tickets.length ? count((t) => t.status === 'resolved') / tickets.length : null,
    rated: rated.length,
    averageRating: rated.length ? rated.reduce((sum, t) => sum + t.score!, 0) / rated.length : null,
    satisfiedShare: rated.length ? rated.filter((t) => t.score! >= 4).length / rated.length : null,
    medianFirstResponseMinutes: median,
    outcomes: {
      consultation: count((t) => t.outcome === 'consultation'),
      proposal: count((t) => t.outcome === 'proposal'),
      public_opinion: count((t) => t.outcome === 'public_opinion'),
      service_project: count((t) => t.outcome === 'service_project'),
    },
  };
}

function expectGroup(actual: StatsGroup, tickets: Seeded[]) {
  const want = expected(tickets);
  const close = (value: number | null, target: number | null, digits: number) => {
    if (target === null) expect(value).toBeNull();
    else expect(value).toBeCloseTo(target, digits);
  };
  expect({
    key: actual.key,
    tickets: actual.tickets,
    byCategory: actual.byCategory,
    byStatus: actual.byStatus,
    due: actual.due,
    answeredInTime: actual.answeredInTime,
    rated: actual.rated,
    outcomes: actual.outcomes,
    median: actual.medianFirstResponseMinutes,
  }).toEqual({
    key: actual.key,
    tickets: want.tickets,
    byCategory: want.byCategory,
    byStatus: want.byStatus,
    due: want.due,
    answeredInTime: want.answeredInTime,
    rated: want.rated,
    outcomes: want.outcomes,
    median: want.medianFirstResponseMinutes,
  });
  close(actual.responseRate, want.responseRate, 3);
  close(actual.resolutionRate, want.resolutionRate, 3);
  close(actual.averageRating, want.averageRating, 2);
  close(actual.satisfiedShare, want.satisfiedShare, 3);
}

describe('statistics', () => {
  let stack: TestStack;
  let admin: Caller;
  const seeded = generate();
  const studioOf = new Map<
    string,
    { id: string; town: string | null; sector: string | null; jointGroup: string | null }
  >();
  const inRange = seeded.filter(
    (t) => t.createdAt.getTime() >= chinaMidnight(FROM) && t.createdAt.getTime() < chinaMidnight('2026-04-11'),
  );

  // Three members share the seeded tickets (each not pending), for the assignment load.
  const assignees = [new Types.ObjectId(), new Types.ObjectId(), new Types.ObjectId()];
  const getStats = (query: string) =>
    stack.app.inject({ method: 'GET', url: `/api/v1/admin/stats?${query}`, headers: admin.headers });

  beforeAll(async () => {
    stack = await startTestStack();
    const { models } = stack.app;
    await seedDemoData(models);
    admin = await signInAdmin(stack.app);
    for (const s of await models.Studio.find({}).lean())
      studioOf.set(s.code, {
        id: String(s._id),
        town: s.town ?? null,
        sector: s.sector ?? null,
        jointGroup: s.jointGroup ?? null,
      });
    const residentId = new Types.ObjectId();
    await models.Ticket.insertMany(
      seeded.map((t, i) => ({
        no: `ST${String(i).padStart(5, '0')}`,
        studioId: new Types.ObjectId(studioOf.get(t.studioCode)!.id),
        residentId,
        idempotencyKey: `stats-${i}`,
        category: t.category,
        content: '统计测试用的留言内容。',
        status: t.status,
        assigneeId: t.status === 'pending' ? null : assignees[i % assignees.length],
        dueAt: t.dueAt,
        answeredAt: t.answeredAt,
        resolvedAt: t.status === 'resolved' ? t.answeredAt : null,
        outcome: t.outcome,
        rating: t.score === null ? null : { score: t.score, comment: '', at: t.answeredAt },
        contentCheck: 'pass',
        createdAt: t.createdAt,
        updatedAt: t.createdAt,
      })),
    );
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('answers 503 until the rollup is built, and asks the worker to build it', async () => {
    // The app found no ticket at start and marked the empty rollup ready; these were inserted behind its back.
    await stack.app.redis.del(STATS_READY_KEY);
    const res = await getStats(`from=${FROM}&to=${TO}`);
    expect(res.statusCode).toBe(503);
    expect(res.json().code).toBe('STATS_NOT_READY');
    const jobs = await stack.app.queues.operations.getJobs(['waiting', 'delayed', 'active']);
    expect(jobs.map((j) => j.name)).toContain('stats-reconcile');
    const workers = await startWorkers(stack.config, { logStream: stack.logs });
    try {
      await eventually(async () => (await getStats(`from=${FROM}&to=${TO}`)).statusCode === 200);
    } finally {
      await workers.close();
    }
    // A second reconcile changes nothing (the rollup is idempotent).
    expect((await reconcileStats(stack.app.models, stack.app.redis)).changed).toBe(0);
    // It also rebuilt each member's open-ticket load, which automatic assignment balances on.
    const open = seeded
      .map((t, i) => ({ t, i }))
      .filter(({ t }) => t.status === 'assigned' || t.status === 'answered' || t.status === 'waiting');
    const load = await stack.app.redis.hgetall(LOAD_KEY);
    expect(open.length).toBeGreaterThan(0);
    expect(load).toEqual(
      Object.fromEntries(
        assignees
          .map((id, k) => [String(id), String(open.filter(({ i }) => i % assignees.length === k).length)])
          .filter(([, n]) => n !== '0'),
      ),
    );
  });

  it('gives per-studio figures that match the ones computed from the tickets', async () => {
    const res = await getStats(`from=${FROM}&to=${TO}&groupBy=studio`);
    expect(res.statusCode).toBe(200);
    const body = res.json() as { from: string; to: string; total: StatsGroup; groups: StatsGroup[] };
    expect([body.from, body.to]).toEqual([FROM, TO]);
    expectGroup(body.total, inRange);
    for (const code of STUDIOS) {
      const group = body.groups.find((g) => g.key === studioOf.get(code)!.id)!;
      expectGroup(
        group,
        inRange.filter((t) => t.studioCode === code),
      );
    }
    // Studios without tickets are listed with zeros and null rates.
    const quiet = body.groups.find((g) => g.key === studioOf.get('hnhw')!.id)!;
    expect(quiet).toMatchObject({
      tickets: 0,
      responseRate: null,
      averageRating: null,
      medianFirstResponseMinutes: null,
    });
  });

  it('groups by town, sector and joint group', async () => {
    for (const groupBy of ['town', 'sector', 'jointGroup'] as const) {
      const body = (await getStats(`from=${FROM}&to=${TO}&groupBy=${groupBy}`)).json() as { groups: StatsGroup[] };
      const keyOf = (code: string) => studioOf.get(code)![groupBy] ?? '';
      for (const key of new Set(STUDIOS.map(keyOf))) {
        const group = body.groups.find((g) => g.key === key);
        expect(group).toBeDefined();
        expectGroup(
          group!,
          inRange.filter((t) => keyOf(t.studioCode) === key),
        );
      }
      expect(body.groups.at(-1)!.key === '' || body.groups.every((g) => g.key !== '')).toBe(true);
    }
  });

  it('covers any day range exactly, from single days to whole months', async () => {
    for (const [from, to] of [
      ['2026-03-01', '2026-03-01'],
      ['2026-03-15', '2026-04-02'],
      ['2026-02-01', '2026-03-31'],
      ['2026-04-11', '2026-04-30'],
    ] as const) {
      const body = (await getStats(`from=${from}&to=${to}`)).json() as { total: StatsGroup };
      const lo = chinaMidnight(from);
      const hi = chinaMidnight(to) + 24 * HOUR;
      expectGroup(
        body.total,
        seeded.filter((t) => t.createdAt.getTime() >= lo && t.createdAt.getTime() < hi),
      );
    }
  });

  it('follows tickets changed through the API at once, counting a ticket due only once its deadline passed', async () => {
    const studio = await stack.app.inject({
      method: 'POST',
      url: '/api/v1/admin/studios',
      headers: admin.headers,
      payload: { name: '统计实时工作室', kind: 'sector', sector: '科技界', jointGroup: '第四联组' },
    });
    const studioId = studio.json().id as string;
    const m = await stack.app.inject({
      method: 'POST',
      url: '/api/v1/admin/members',
      headers: admin.headers,
      payload: { name: '统计委员', title: '委员', studioIds: [studioId] },
    });
    const member = await signInMember(stack.app, admin, m.json().id, 'stats-member');
    const resident = await signInResident(stack.app, 'stats-resident');
    const today = new Date(Date.now() + 8 * HOUR).toISOString().slice(0, 10);
    const mine = async () =>
      ((await getStats(`from=${today}&to=${today}`)).json() as { groups: StatsGroup[] }).groups.find(
        (g) => g.key === studioId,
      )!;

    const submitted = await stack.app.inject({
      method: 'POST',
      url: '/api/v1/tickets',
      headers: { ...resident.headers, 'idempotency-key': idempotencyKey() },
      payload: { studioId, category: 'suggest', content: '建议在公园增设健身器材。' },
    });
    const ticketId = submitted.json().id as string;
    expect(await mine()).toMatchObject({
      tickets: 1,
      byStatus: { assigned: 1 },
      due: 0,
      responseRate: null,
      byCategory: { suggest: 1 },
    });

    await stack.app.inject({
      method: 'POST',
      url: `/api/v1/tickets/${ticketId}/replies`,
      headers: member.headers,
      payload: { content: '好的，已转园林部门。' },
    });
    expect(await mine()).toMatchObject({
      byStatus: { assigned: 0, answered: 1 },
      due: 1,
      answeredInTime: 1,
      responseRate: 1,
      medianFirstResponseMinutes: 0,
    });
    await stack.app.inject({
      method: 'POST',
      url: `/api/v1/tickets/${ticketId}/rating`,
      headers: resident.headers,
      payload: { score: 4 },
    });
    await stack.app.inject({
      method: 'POST',
      url: `/api/v1/tickets/${ticketId}/resolve`,
      headers: member.headers,
      payload: { outcome: 'service_project' },
    });
    expect(await mine()).toMatchObject({
      byStatus: { answered: 0, resolved: 1 },
      resolutionRate: 1,
      rated: 1,
      averageRating: 4,
      satisfiedShare: 1,
      outcomes: { service_project: 1 },
    });

    await stack.app.inject({
      method: 'POST',
      url: `/api/v1/tickets/${ticketId}/reopen`,
      headers: resident.headers,
      payload: { reason: '器材还没有装。' },
    });
    expect(await mine()).toMatchObject({
      tickets: 1,
      byStatus: { assigned: 1, resolved: 0 },
      due: 0,
      answeredInTime: 0,
      outcomes: { service_project: 0 },
    });
    // A reconcile agrees with what the live updates built.
    expect((await reconcileStats(stack.app.models, stack.app.redis)).changed).toBe(0);
  });

  it('exports the same figures as CSV (with a BOM, for Excel) and as XLSX', async () => {
    const body = (await getStats(`from=${FROM}&to=${TO}&groupBy=town`)).json() as {
      groups: StatsGroup[];
      total: StatsGroup;
    };
    const csv = await stack.app.inject({
      method: 'GET',
      url: `/api/v1/admin/stats/export?format=csv&from=${FROM}&to=${TO}&groupBy=town`,
      headers: admin.headers,
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toContain('attachment; filename="stats-town-');
    expect(csv.rawPayload.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(true);
    const lines = csv.rawPayload.subarray(3).toString('utf8').trimEnd().split('\r\n');
    expect(lines[0]!.split(',').slice(0, 3)).toEqual(['镇街', '留言总数', '咨询问题']);
    expect(lines).toHaveLength(body.groups.length + 2);
    const totalLine = lines.at(-1)!.split(',');
    expect(totalLine[0]).toBe('合计');
    expect(Number(totalLine[1])).toBe(body.total.tickets);

    const xlsx = await stack.app.inject({
      method: 'GET',
      url: `/api/v1/admin/stats/export?format=xlsx&from=${FROM}&to=${TO}&groupBy=town`,
      headers: admin.headers,
    });
    expect(xlsx.statusCode).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.rowCount).toBe(body.groups.length + 2);
    expect(sheet.getRow(1).getCell(1).value).toBe('镇街');
    const names = body.groups.map((g) => g.label);
    for (let r = 2; r <= body.groups.length + 1; r++) {
      const row = sheet.getRow(r);
      const group = body.groups[names.indexOf(String(row.getCell(1).value))]!;
      expect([row.getCell(2).value, row.getCell(9).value]).toEqual([group.tickets, group.byStatus.resolved]);
    }
    expect(sheet.getRow(body.groups.length + 2).getCell(2).value).toBe(body.total.tickets);
  });

  it('lets a member see the figures of their own studios, and of no other', async () => {
    const [yw, xs, jy] = ['hnyw', 'hnxs', 'hnjy'].map((code) => studioOf.get(code)!.id) as [string, string, string];
    const created = await stack.app.inject({
      method: 'POST',
      url: '/api/v1/admin/members',
      headers: admin.headers,
      payload: { name: '本室统计委员', title: '委员', studioIds: [yw, xs] },
    });
    const memberId = created.json().id as string;
    const member = await signInMember(stack.app, admin, memberId, 'own-stats-member');
    const resident = await signInResident(stack.app, 'own-stats-resident');
    const studioStats = (caller: Caller | null, studioId: string, query = `from=${FROM}&to=${TO}`) =>
      stack.app.inject({
        method: 'GET',
        url: `/api/v1/studios/${studioId}/stats?${query}`,
        headers: caller?.headers ?? {},
      });

    for (const [code, id] of [
      ['hnyw', yw],
      ['hnxs', xs],
    ] as const) {
      const res = await studioStats(member, id);
      expect(res.statusCode).toBe(200);
      const body = res.json() as { from: string; to: string; studio: StatsGroup };
      expect([body.from, body.to, body.studio.key]).toEqual([FROM, TO, id]);
      expectGroup(
        body.studio,
        inRange.filter((t) => t.studioCode === code),
      );
      // The same figures the office sees on its dashboard for that studio.
      const office = ((await getStats(`from=${FROM}&to=${TO}`)).json() as { groups: StatsGroup[] }).groups.find(
        (g) => g.key === id,
      )!;
      expect(body.studio).toEqual(office);
    }
    const other = await studioStats(member, jy);
    expect(other.statusCode).toBe(403);
    expect(other.json()).toMatchObject({ code: 'FORBIDDEN', message: '只能查看您所在工作室的统计' });
    expect((await studioStats(resident, yw)).statusCode).toBe(403);
    expect((await studioStats(null, yw)).statusCode).toBe(401);
    // The office sees any studio; a studio that does not exist is a 404 for it.
    expect((await studioStats(admin, jy)).statusCode).toBe(200);
    expect((await studioStats(admin, new Types.ObjectId().toHexString())).json().code).toBe('STUDIO_NOT_FOUND');
    expect((await studioStats(member, yw, 'from=2026-03-10&to=2026-03-01')).statusCode).toBe(400);

    // Taken off a studio, the member loses its figures at once, whatever their token says.
    const moved = await stack.app.inject({
      method: 'PATCH',
      url: `/api/v1/admin/members/${memberId}`,
      headers: admin.headers,
      payload: { studioIds: [xs] },
    });
    expect(moved.statusCode).toBe(200);
    expect((await studioStats(member, yw)).statusCode).toBe(403);
    expect((await studioStats(member, xs)).statusCode).toBe(200);
  });

  it('refuses ranges that are backwards, too long or not calendar days', async () => {
    for (const query of [
      'from=2026-03-10&to=2026-03-01',
      'from=2020-01-01&to=2026-01-01',
      'from=2026-02-30&to=2026-03-01',
    ]) {
      const res = await getStats(query);
      expect(res.statusCode).toBe(400);
      expect(res.json().code).toBe('VALIDATION_FAILED');
    }
  });

  it('takes the median of the response-time histogram, averaging the middle two', () => {
    const h = (entries: [number, number][]) => new Map(entries.map(([minutes, count]) => [`r:${minutes}`, count]));
    expect(histogramMedian(h([]))).toBeNull();
    expect(histogramMedian(h([[7, 1]]))).toBe(7);
    expect(
      histogramMedian(
        h([
          [3, 1],
          [10, 1],
        ]),
      ),
    ).toBe(6.5);
    expect(
      histogramMedian(
        h([
          [1, 2],
          [5, 1],
          [90, 3],
        ]),
      ),
    ).toBe(47.5);
  });
});

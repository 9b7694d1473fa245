import { Types } from 'mongoose';
import type { StudioStars } from '@mashangshang/shared';
import { eventually, startTestStack, type TestStack } from './helpers/app';
import { signInAdmin, type Caller } from './helpers/actors';
import { seedDemoData } from '../src/seed/seed';
import { reconcileStats } from '../src/modules/stats/rollup';
import { computeStars } from '../src/modules/stars/service';
import { startWorkers } from '../src/workers/runtime';

const DAY = 86_400_000;
const HOUR = 3_600_000;

interface Plan {
  tickets: number;
  /** How many are answered (within the deadline), resolved, and rated (with these scores in turn). */
  answeredInTime: number;
  answeredLate?: number;
  resolved: number;
  scores: number[];
}

/** The formula as the README states it, written out here independently of the server. */
function expectedStar(plan: Plan, volumeTarget: number): { score: number; star: number } {
  const response = plan.answeredInTime / plan.tickets; // every deadline in the data set has passed
  const resolution = plan.resolved / plan.tickets;
  const satisfaction = plan.scores.length
    ? (plan.scores.reduce((a, b) => a + b, 0) / plan.scores.length - 1) / 4
    : null;
  const volume = Math.min(1, plan.tickets / volumeTarget);
  const parts: [number, number | null][] = [
    [0.3, response],
    [0.3, resolution],
    [0.3, satisfaction],
    [0.1, volume],
  ];
  const used = parts.filter(([, v]) => v !== null) as [number, number][];
  const score = used.reduce((sum, [w, v]) => sum + w * v, 0) / used.reduce((sum, [w]) => sum + w, 0);
  const star = 1 + [0.4, 0.6, 0.75, 0.9].filter((t) => score >= t).length;
  return { score, star };
}

describe('star ratings', () => {
  let stack: TestStack;
  let admin: Caller;
  const ids: Record<string, string> = {};
  let counter = 0;
  let seededStar = 0;

  const plans: Record<string, Plan> = {
    // Everything right: 5 stars.
    hnyw: { tickets: 10, answeredInTime: 10, resolved: 10, scores: [5, 5, 5, 5, 5, 5, 5, 5, 5, 5] },
    // Half answered in time, the rest late or never; mediocre ratings.
    hnxs: { tickets: 10, answeredInTime: 5, answeredLate: 2, resolved: 5, scores: [3, 3, 3, 3, 3] },
    // Too few tickets to judge: the star is kept.
    hnjy: { tickets: 3, answeredInTime: 0, resolved: 0, scores: [] },
    // Nobody rated: judged on response, resolution and volume alone.
    hnjj: { tickets: 8, answeredInTime: 8, resolved: 4, scores: [] },
  };

  async function insertPlan(code: string, plan: Plan, daysAgo: number) {
    const studioId = new Types.ObjectId(ids[code]);
    const docs = Array.from({ length: plan.tickets }, (_, i) => {
      // Today's tickets stay within today in China time (UTC+8), whatever the hour the test runs at:
      // an hour apart from 00:30 China time, they would fall into yesterday and be judged.
      const chinaToday = Math.floor((Date.now() + 8 * HOUR) / DAY) * DAY - 8 * HOUR;
      const at = Date.now() - daysAgo * DAY - i * HOUR;
      const createdAt = new Date(daysAgo === 0 ? Math.max(at, chinaToday) : at);
      const dueAt = new Date(createdAt.getTime() + 24 * HOUR);
      const inTime = i < plan.answeredInTime;
      const late = !inTime && i < plan.answeredInTime + (plan.answeredLate ?? 0);
      const answeredAt = inTime
        ? new Date(createdAt.getTime() + 2 * HOUR)
        : late
          ? new Date(createdAt.getTime() + 30 * HOUR)
          : null;
      const resolved = answeredAt !== null && i < plan.resolved;
      const score = plan.scores[i];
      counter += 1;
      return {
        no: `STAR${counter}`,
        studioId,
        residentId: new Types.ObjectId(),
        idempotencyKey: `star-${counter}`,
        category: 'consult',
        content: '星级测试留言内容。',
        status: answeredAt ? (resolved ? 'resolved' : 'answered') : 'assigned',
        dueAt,
        answeredAt,
        resolvedAt: resolved ? answeredAt : null,
        outcome: resolved ? 'none' : null,
        rating: score === undefined ? null : { score, comment: '', at: answeredAt },
        contentCheck: 'pass',
        createdAt,
      };
    });
    await stack.app.models.Ticket.insertMany(docs);
  }

  const starOf = async (code: string) =>
    (await stack.app.inject({ method: 'GET', url: `/api/v1/studios/${ids[code]}` })).json().star as number;
  const stars = async (code: string) =>
    (
      await stack.app.inject({ method: 'GET', url: `/api/v1/admin/studios/${ids[code]}/stars`, headers: admin.headers })
    ).json() as StudioStars;
  const override = (code: string, payload: object) =>
    stack.app.inject({
      method: 'POST',
      url: `/api/v1/admin/studios/${ids[code]}/star`,
      headers: admin.headers,
      payload,
    });

  beforeAll(async () => {
    stack = await startTestStack({
      STAR_VOLUME_TARGET: '10',
      STAR_MIN_TICKETS: '5',
      STAR_WINDOW_DAYS: '30',
      STAR_CRON: '15 3 * * *',
    });
    await seedDemoData(stack.app.models);
    admin = await signInAdmin(stack.app);
    for (const s of await stack.app.models.Studio.find({}, { code: 1, star: 1 }).lean()) {
      ids[s.code] = String(s._id);
      if (s.code === 'hnyw') seededStar = s.star;
    }
    for (const [code, plan] of Object.entries(plans)) await insertPlan(code, plan, 3);
    // Outside the window (and today, not yet judged): must not count.
    await insertPlan('hnyw', { tickets: 6, answeredInTime: 0, resolved: 0, scores: [1, 1] }, 45);
    await insertPlan('hnyw', { tickets: 4, answeredInTime: 0, resolved: 0, scores: [] }, 0);
    await reconcileStats(stack.app.models, stack.app.redis);
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('computes each studio’s star from response, resolution, satisfaction and volume over the window', async () => {
    const before = await starOf('hnjy');
    const result = await computeStars(
      { models: stack.app.models, redis: stack.app.redis, log: stack.app.log },
      stack.config.operations.stars,
    );
    expect(result.rated).toBe(3);
    for (const code of ['hnyw', 'hnxs', 'hnjj']) {
      const want = expectedStar(plans[code]!, 10);
      const state = await stars(code);
      expect({ code, star: await starOf(code), computed: state.computed?.star }).toEqual({
        code,
        star: want.star,
        computed: want.star,
      });
      expect(state.computed!.score).toBeCloseTo(want.score, 3);
      expect(state.computed!.metrics.tickets).toBe(plans[code]!.tickets);
    }
    expect(expectedStar(plans.hnyw!, 10).star).toBe(5);
    expect(expectedStar(plans.hnxs!, 10).star).toBe(2);
    expect(expectedStar(plans.hnjj!, 10).star).toBe(4);
    // Too few tickets: kept as it was, nothing computed.
    expect(await starOf('hnjy')).toBe(before);
    expect((await stars('hnjy')).computed).toBeNull();

    // A second run the same night changes nothing and adds no history.
    const historyBefore = await stack.app.models.StarHistory.countDocuments({});
    expect(
      (
        await computeStars(
          { models: stack.app.models, redis: stack.app.redis, log: stack.app.log },
          stack.config.operations.stars,
        )
      ).changed,
    ).toBe(0);
    expect(await stack.app.models.StarHistory.countDocuments({})).toBe(historyBefore);
  });

  it('lets an admin override a star with a reason, keeps it through the nightly run, and clear it again', async () => {
    const overridden = await override('hnyw', { star: 3, reason: '群众投诉经核实，暂降星级' });
    expect(overridden.statusCode).toBe(200);
    expect(overridden.json()).toMatchObject({
      star: 3,
      override: { star: 3, reason: '群众投诉经核实，暂降星级', actorName: '系统管理员' },
      computed: { star: 5 },
    });
    expect(await starOf('hnyw')).toBe(3);

    await computeStars(
      { models: stack.app.models, redis: stack.app.redis, log: stack.app.log },
      stack.config.operations.stars,
    );
    expect(await starOf('hnyw')).toBe(3);

    const cleared = await override('hnyw', { star: null, reason: '整改到位，恢复评定' });
    expect(cleared.statusCode).toBe(200);
    expect(await starOf('hnyw')).toBe(5);
    expect((await override('hnyw', { star: null, reason: '再取消一次' })).statusCode).toBe(409);

    const history = (await stars('hnyw')).history;
    expect(history.map((h) => [h.source, h.previous, h.star])).toEqual([
      ['override_cleared', 3, 5],
      ['override', 5, 3],
      ['computed', seededStar, 5],
    ]);
    expect(history[0]!.reason).toBe('整改到位，恢复评定');
    expect(history[2]).toMatchObject({
      source: 'computed',
      actorName: '系统',
      metrics: { tickets: 10, responseRate: 1, resolutionRate: 1, averageRating: 5, volume: 1 },
    });
    expect(history[2]!.window!.to < new Date(Date.now() + 8 * HOUR).toISOString().slice(0, 10)).toBe(true);
  });

  it('runs nightly in the worker on the configured schedule, and at once when an admin asks', async () => {
    const workers = await startWorkers(stack.config, { logStream: stack.logs });
    try {
      const schedulers = await stack.app.queues.operations.getJobSchedulers();
      expect(schedulers.map((s) => [s.key, s.pattern, s.tz])).toContainEqual([
        'star-ratings',
        '15 3 * * *',
        'Asia/Shanghai',
      ]);
      // hnjy gets enough tickets to be judged; the run reconciles statistics first, so inserted tickets count.
      await insertPlan('hnjy', { tickets: 5, answeredInTime: 5, resolved: 5, scores: [4, 4, 4, 4, 4] }, 2);
      const res = await stack.app.inject({
        method: 'POST',
        url: '/api/v1/admin/stars/recompute',
        headers: admin.headers,
      });
      expect(res.statusCode).toBe(202);
      const want = expectedStar({ tickets: 8, answeredInTime: 5, resolved: 5, scores: [4, 4, 4, 4, 4] }, 10);
      await eventually(async () => (await stars('hnjy')).computed?.star === want.star);
      expect(await starOf('hnjy')).toBe(want.star);
    } finally {
      await workers.close();
    }
  });

  it('changes a star through the studio edit only as a reasoned override, kept in the history', async () => {
    const patch = (payload: object) =>
      stack.app.inject({ method: 'PATCH', url: `/api/v1/admin/studios/${ids.hnjj}`, headers: admin.headers, payload });
    const before = await stars('hnjj');
    const historyBefore = before.history.length;

    // Without a reason: refused, nothing written, not even the other fields of the same edit.
    const bare = await patch({ star: 1, intro: '不应保存的简介' });
    expect(bare.statusCode).toBe(400);
    expect(bare.json()).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: '修改星级须填写调整理由（至少 2 个字），理由将记入星级变更记录',
    });
    expect((await patch({ star: 1, starReason: ' ' })).statusCode).toBe(400);
    expect((await patch({ star: 0, starReason: '清零' })).statusCode).toBe(400);
    expect(await starOf('hnjj')).toBe(before.star);
    expect((await stack.app.inject({ method: 'GET', url: `/api/v1/studios/${ids.hnjj}` })).json().intro).not.toBe(
      '不应保存的简介',
    );
    expect((await stars('hnjj')).history).toHaveLength(historyBefore);

    // With a reason: an override like POST /star, with its history entry, the other fields saved too.
    const target = before.star === 2 ? 3 : 2;
    const saved = await patch({ star: target, starReason: '年度考核未达标', intro: '编辑页同时修改了简介' });
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toMatchObject({ star: target, intro: '编辑页同时修改了简介' });
    expect(await starOf('hnjj')).toBe(target);
    const after = await stars('hnjj');
    expect(after.override).toMatchObject({ star: target, reason: '年度考核未达标', actorName: '系统管理员' });
    expect(after.history).toHaveLength(historyBefore + 1);
    expect(after.history[0]).toMatchObject({
      source: 'override',
      previous: before.star,
      star: target,
      reason: '年度考核未达标',
      actorName: '系统管理员',
    });

    // An edit form that sends the star back unchanged needs no reason and adds no history.
    const unchanged = await patch({ star: target, address: '海宁市某路 8 号' });
    expect(unchanged.statusCode).toBe(200);
    expect((await stars('hnjj')).history).toHaveLength(historyBefore + 1);

    // The nightly run keeps the override, as it does for one set with POST /star.
    await computeStars(
      { models: stack.app.models, redis: stack.app.redis, log: stack.app.log },
      stack.config.operations.stars,
    );
    expect(await starOf('hnjj')).toBe(target);
  });

  it('refuses overrides without a reason or out of range, and for studios that do not exist', async () => {
    expect((await override('hnxs', { star: 6, reason: '太高了' })).statusCode).toBe(400);
    expect((await override('hnxs', { star: 4, reason: '' })).statusCode).toBe(400);
    expect((await override('hnxs', { star: 4, reason: '  \u200b ' })).statusCode).toBe(400);
    const missing = await stack.app.inject({
      method: 'POST',
      url: `/api/v1/admin/studios/${new Types.ObjectId().toHexString()}/star`,
      headers: admin.headers,
      payload: { star: 4, reason: '测试' },
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe('STUDIO_NOT_FOUND');
  });
});

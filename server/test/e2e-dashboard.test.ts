/**
 * The admin statistics dashboard of the H5 build in a real browser (Debian's chromium driven by
 * playwright-core) against a whole stack started here, with tickets of known figures: the admin signs
 * in with the password, opens the dashboard from the admin menu, and reads the figures, the charts and an
 * export. Any console error or uncaught exception in the page fails the test. Screenshots go to
 * test-artifacts/e2e/, and one studio's poster to test-artifacts/poster-sample.png.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { Types } from 'mongoose';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startTestStack, TEST_ADMIN_PASSWORD, type TestStack } from './helpers/app';
import { signInAdmin, type Caller } from './helpers/actors';
import { ensureH5Build } from './helpers/h5-build';
import { reconcileStats } from '../src/modules/stats/rollup';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const ARTIFACTS_ROOT = path.resolve(__dirname, '../../test-artifacts');
const ARTIFACTS = path.join(ARTIFACTS_ROOT, 'e2e');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

jest.setTimeout(240_000);

interface SeedTicket {
  studio: 'A' | 'B';
  category: 'consult' | 'suggest' | 'help';
  status: 'pending' | 'assigned' | 'answered' | 'resolved';
  /** Minutes to the first answer; null when unanswered. */
  answeredAfter: number | null;
  /** The deadline, in minutes after submission. */
  dueAfter: number;
  score?: number;
  outcome?: 'consultation' | 'proposal' | 'public_opinion' | 'service_project' | 'none';
}

/**
 * Eight tickets this month. Figures, worked out by hand:
 * tickets 8 (A 6, B 2); 咨询 4, 建议 2, 求助 2; 待分配 1, 待回复 2, 已回复 2, 已办结 3;
 * due 6 (the pending one and B's assigned one are not yet due), answered in time 4 → 响应率 66.7%;
 * 办结率 3/8 = 37.5%; rated 4 (5, 4, 2, 5) → 满意率 3/4 = 75%, average 4;
 * first answers after 30, 90, 10, 180, 60 minutes → median 60 minutes = 1 小时;
 * 三转: 协商 1, 提案 1, 社情民意 1, 服务项目 0 → 3.
 */
const TICKETS: SeedTicket[] = [
  {
    studio: 'A',
    category: 'consult',
    status: 'resolved',
    answeredAfter: 30,
    dueAfter: 24 * 60,
    score: 5,
    outcome: 'proposal',
  },
  {
    studio: 'A',
    category: 'suggest',
    status: 'resolved',
    answeredAfter: 90,
    dueAfter: 24 * 60,
    score: 4,
    outcome: 'consultation',
  },
  { studio: 'A', category: 'help', status: 'answered', answeredAfter: 10, dueAfter: 24 * 60, score: 2 },
  { studio: 'A', category: 'consult', status: 'assigned', answeredAfter: null, dueAfter: -60 },
  { studio: 'A', category: 'suggest', status: 'answered', answeredAfter: 180, dueAfter: 60 },
  { studio: 'A', category: 'help', status: 'pending', answeredAfter: null, dueAfter: 48 * 60 },
  {
    studio: 'B',
    category: 'consult',
    status: 'resolved',
    answeredAfter: 60,
    dueAfter: 24 * 60,
    score: 5,
    outcome: 'public_opinion',
  },
  { studio: 'B', category: 'consult', status: 'assigned', answeredAfter: null, dueAfter: 48 * 60 },
];

let stack: TestStack;
let browser: Browser;
let base: string;
let admin: Caller;
const studios: Record<'A' | 'B', { id: string; name: string; town: string }> = {
  A: { id: '', name: '硖石街道委员集体工作室', town: '硖石街道' },
  B: { id: '', name: '海洲街道委员集体工作室', town: '海洲街道' },
};
const consoleErrors: string[] = [];
let memberId = '';

async function api<T>(method: 'GET' | 'POST', url: string, payload?: object): Promise<T> {
  const res = await stack.app.inject({ method, url: `/api/v1${url}`, headers: admin.headers, payload });
  if (res.statusCode >= 300) throw new Error(`${method} ${url} → ${res.statusCode} ${res.body}`);
  return res.json() as T;
}

async function shot(page: Page, name: string) {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
  expect(consoleErrors).toEqual([]);
}

/** Submission times inside this month (China time), a few hours ago where the month allows it. */
function submittedAt(index: number): Date {
  const now = Date.now();
  const chinaNow = new Date(now + 8 * HOUR).toISOString();
  const monthStart = Date.parse(`${chinaNow.slice(0, 7)}-01T00:00:00+08:00`);
  return new Date(Math.max(monthStart + MINUTE, now - 4 * HOUR) + index * 1000);
}

beforeAll(async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  ensureH5Build();
  // The poster asks the (fake) WeChat for the studio's code; on this shared 2-core machine that has taken
  // up to ~10 s, so the WeChat timeout is generous here (it bounds a wait, it asserts no speed).
  stack = await startTestStack({
    LOG_LEVEL: 'warn',
    RATE_LIMIT_GLOBAL_PER_MINUTE: '100000',
    RATE_LIMIT_LOGIN_PER_MINUTE: '10000',
    WECHAT_TIMEOUT_MS: '30000',
  });
  base = `http://127.0.0.1:${(stack.app.server.address() as AddressInfo).port}`;
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
  admin = await signInAdmin(stack.app);

  for (const [key, studio] of Object.entries(studios)) {
    const created = await api<{ id: string }>('POST', '/admin/studios', {
      code: `e2edb${key.toLowerCase()}`,
      name: studio.name,
      kind: 'town',
      town: studio.town,
      intro: '围绕民生实事开展协商议事。',
      serviceItems: [{ title: '民生议事会' }],
    });
    studio.id = created.id;
  }
  memberId = (
    await api<{ id: string }>('POST', '/admin/members', {
      name: '沈建华',
      title: '市政协委员',
      studioIds: [studios.A.id],
    })
  ).id;

  await stack.app.models.Ticket.insertMany(
    TICKETS.map((t, i) => {
      const createdAt = submittedAt(i);
      const answeredAt = t.answeredAfter === null ? null : new Date(createdAt.getTime() + t.answeredAfter * MINUTE);
      return {
        no: `DB${String(i).padStart(4, '0')}`,
        studioId: new Types.ObjectId(studios[t.studio].id),
        residentId: new Types.ObjectId(),
        idempotencyKey: `e2e-dashboard-${i}`,
        category: t.category,
        content: '统计看板测试用的留言内容。',
        status: t.status,
        dueAt: new Date(createdAt.getTime() + t.dueAfter * MINUTE),
        answeredAt,
        resolvedAt: t.status === 'resolved' ? answeredAt : null,
        outcome: t.status === 'resolved' ? (t.outcome ?? 'none') : null,
        rating: t.score === undefined ? null : { score: t.score, comment: '', at: answeredAt },
        contentCheck: 'pass',
        createdAt,
        updatedAt: createdAt,
      };
    }),
  );
  // Inserted behind the API's back: the nightly reconcile is what counts them.
  await reconcileStats(stack.app.models, stack.app.redis);
}, 600_000);

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await stack?.close();
});

describe('admin statistics dashboard in a real browser', () => {
  it('shows the seeded figures with charts, by studio and by town, and exports them', async () => {
    // Tall enough for the whole dashboard in one screenshot (the H5 page scrolls inside its own container).
    const context = await browser.newContext({
      viewport: { width: 768, height: 3000 },
      deviceScaleFactor: 1,
      locale: 'zh-CN',
      acceptDownloads: true,
    });
    context.setDefaultTimeout(30_000);
    const page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(`${page.url()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => consoleErrors.push(`${page.url()}: uncaught ${error.message}`));

    await page.goto(`${base}/app/admin/board/index`);
    await page.locator('.admin-password input').fill(TEST_ADMIN_PASSWORD);
    await page.locator('.admin-sign-in').click();
    await page.locator('.admin-nav--dashboard').click();
    await page.locator('.kpi--tickets .kpi__value').waitFor();

    const figure = (selector: string) =>
      page
        .locator(selector)
        .first()
        .textContent()
        .then((text) => text?.trim());
    // 本月 is the default range.
    await expect(page.locator('.range-preset--month.chip--on').count()).resolves.toBe(1);
    await expect(figure('.kpi--tickets .kpi__value')).resolves.toBe('8');
    await expect(figure('.kpi--response .kpi__value')).resolves.toBe('66.7%');
    await expect(figure('.kpi--response .kpi__hint')).resolves.toBe('按时答复 4 / 应答复 6');
    await expect(figure('.kpi--resolution .kpi__value')).resolves.toBe('37.5%');
    await expect(figure('.kpi--satisfaction .kpi__value')).resolves.toBe('75%');
    await expect(figure('.kpi--satisfaction .kpi__hint')).resolves.toBe('评价 4 条，平均 4 分');
    await expect(figure('.kpi--median .kpi__value')).resolves.toBe('1 小时');
    await expect(figure('.kpi--outcomes .kpi__value')).resolves.toBe('3');
    for (const [key, count] of [
      ['consultation', '1'],
      ['proposal', '1'],
      ['public_opinion', '1'],
      ['service_project', '0'],
    ]) {
      await expect(figure(`.outcome--${key} .figure__value`)).resolves.toBe(count);
    }
    // One row per studio, then the total.
    const rowText = (label: string) =>
      page.locator('.group-row', { hasText: label }).first().locator('.group-row__tickets').textContent();
    await expect(rowText(studios.A.name)).resolves.toBe('6');
    await expect(rowText(studios.B.name)).resolves.toBe('2');
    await expect(page.locator('.group-row--total .group-row__tickets').textContent()).resolves.toBe('8');

    // Each chart drew on its canvas: pixels that are not blank.
    const inked = (selector: string) =>
      page
        .locator(`${selector} canvas`)
        .first()
        .evaluate((element) => {
          // Runs in the page; the server's TypeScript has no DOM types, so the canvas is described here.
          const canvas = element as unknown as {
            width: number;
            height: number;
            getContext(
              kind: '2d',
            ): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null;
          };
          const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
          let painted = 0;
          for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) painted += 1;
          return { width: canvas.width, height: canvas.height, painted };
        });
    for (const chart of ['.chart-category', '.chart-status']) {
      await page.locator(`${chart} canvas`).first().waitFor();
      const ink = await waitForInk(() => inked(chart));
      expect(ink.width).toBeGreaterThan(100);
      expect(ink.painted).toBeGreaterThan(500);
    }
    // By studio as bars with the names beside them (text, not a canvas): one bar per studio.
    await expect(
      page.locator('.group-bar', { hasText: studios.A.name }).locator('.group-bar__count').textContent(),
    ).resolves.toBe('6');
    await expect(page.locator('.group-bar').count()).resolves.toBe(2);
    await shot(page, 'dashboard');

    // By town: the two towns, each with its studio's tickets.
    await page.locator('.group-by--town').click();
    await page.locator('.group-row', { hasText: studios.A.town }).waitFor();
    await expect(rowText(studios.A.town)).resolves.toBe('6');
    await expect(rowText(studios.B.town)).resolves.toBe('2');
    await expect(figure('.kpi--tickets .kpi__value')).resolves.toBe('8');
    await shot(page, 'dashboard-by-town');

    // The export downloads the same figures (CSV: a BOM, a header, one row per town, the total).
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('.export-csv').click()]);
    const csv = fs.readFileSync((await download.path())!, 'utf8').replace(/^\uFEFF/, '');
    const lines = csv.trimEnd().split(/\r?\n/);
    expect(lines[0]!.split(',').slice(0, 2)).toEqual(['镇街', '留言总数']);
    expect(lines.find((line) => line.startsWith(`${studios.A.town},`))!.split(',')[1]).toBe('6');
    expect(lines.at(-1)!.split(',').slice(0, 2)).toEqual(['合计', '8']);

    // 本年 covers this month: the same tickets; 自定义 starts from the range shown and offers two dates.
    const year = new Date(Date.now() + 8 * HOUR).toISOString().slice(0, 4);
    await page.locator('.range-preset--year').click();
    await page.locator('.range-text', { hasText: `${year}-01-01 至` }).waitFor();
    await expect(figure('.kpi--tickets .kpi__value')).resolves.toBe('8');
    await page.locator('.range-preset--custom').click();
    await page.locator('.custom-range .custom-from').waitFor();
    await expect(figure('.kpi--tickets .kpi__value')).resolves.toBe('8');
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it("member: binds with an invite and reads their own studio's figures, no other studio's", async () => {
    const invite = await api<{ inviteCode: string }>('POST', `/admin/members/${memberId}/invites`);
    const context = await browser.newContext({
      viewport: { width: 360, height: 1400 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale: 'zh-CN',
    });
    context.setDefaultTimeout(30_000);
    const page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(`${page.url()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => consoleErrors.push(`${page.url()}: uncaught ${error.message}`));
    await page.goto(`${base}/app/member/bind/index`);
    await page.locator('.invite-code input').fill(invite.inviteCode);
    await page.locator('.bind-submit').click();
    await page.locator('.open-studio-stats').click();
    const card = page.locator('.studio-stats');
    await card.first().waitFor();
    await expect(card.count()).resolves.toBe(1);
    await expect(card.locator('.studio-stats__name').textContent()).resolves.toBe(studios.A.name);
    const stat = (key: string) => card.locator(`.stat--${key} .stat__value`).textContent();
    await expect(stat('tickets')).resolves.toBe('6');
    await expect(stat('response')).resolves.toBe('60%');
    await expect(stat('resolution')).resolves.toBe('33.3%');
    await expect(stat('satisfaction')).resolves.toBe('66.7%');
    await expect(stat('median')).resolves.toBe('1 小时');
    await expect(stat('outcomes')).resolves.toBe('2');
    // Opened on its own (the inbox it came from no longer in the page): nothing wider than the phone's screen.
    await page.goto(`${base}/app/member/stats/index`);
    await page.locator('.studio-stats .stat--tickets .stat__value', { hasText: '6' }).waitFor();
    await expect(page.evaluate<number>('document.documentElement.scrollWidth')).resolves.toBeLessThanOrEqual(360);
    await shot(page, 'member-studio-stats');
    await context.close();
  });

  it('renders a studio poster as a PNG for WeChat groups', async () => {
    const res = await stack.app.inject({
      method: 'GET',
      url: `/api/v1/admin/studios/${studios.A.id}/poster?format=png`,
      headers: admin.headers,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.rawPayload.subarray(1, 4).toString()).toBe('PNG');
    // Width and height from the PNG header: the 1240×1754 A4 drawing.
    expect([res.rawPayload.readUInt32BE(16), res.rawPayload.readUInt32BE(20)]).toEqual([1240, 1754]);
    fs.writeFileSync(path.join(ARTIFACTS_ROOT, 'poster-sample.png'), res.rawPayload);
  });
});

/** Charts draw on the next frames: read the canvas until it has ink (bounded), then return what was read. */
async function waitForInk(read: () => Promise<{ width: number; height: number; painted: number }>) {
  let last = await read();
  for (let i = 0; i < 50 && last.painted === 0; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    last = await read();
  }
  return last;
}

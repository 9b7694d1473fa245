/**
 * The members' and admins' pages (the H5 build) in a real browser, with data on them, checked the way
 * their users meet them: axe-core finds no critical or serious problem on any page; every element
 * that reacts to a tap is a real control (a role, a name, reachable with Tab, a visible focus ring, at
 * least 44 × 44 CSS px); the member ticket page keeps the public reply, the internal note and the
 * 办结说明 apart; the admin menu is on every admin page and works; a new studio shows in the studio list
 * whatever was searched before; the by-studio chart's names read horizontally without overlapping; a
 * studio nobody can receive tickets for says so. Screenshots go to test-artifacts/e2e-staff/ (members
 * at 375 × 812, the console at 1280 wide); the axe figures per page to test-artifacts/e2e-staff/axe.json.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { eventually, rewriteTickets, startTestStack, TEST_ADMIN_PASSWORD, type TestStack } from './helpers/app';
import { signInAdmin, signInResident, idempotencyKey, type Caller } from './helpers/actors';
import { ensureH5Build } from './helpers/h5-build';
import { controlProblems } from './helpers/page-audit';
import { startWorkers, type RunningWorkers } from '../src/workers/runtime';

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
const ARTIFACTS = path.resolve(__dirname, '../../test-artifacts/e2e-staff');
const PHONE = { width: 375, height: 812 };
const DESKTOP = { width: 1280, height: 800 };

/** Haining's 12 towns and streets and six sectors: 18 studios, each with a ticket this month. */
const TOWNS = [
  '硖石街道',
  '海洲街道',
  '海昌街道',
  '马桥街道',
  '许村镇',
  '长安镇',
  '周王庙镇',
  '盐官镇',
  '斜桥镇',
  '丁桥镇',
  '袁花镇',
  '黄湾镇',
];
const SECTORS = ['经济界', '教育界', '医药卫生界', '农业界', '科技界', '社会福利界'];
const MAIN_STUDIO = '硖石街道委员集体工作室';
/** Its only member has not bound WeChat: nobody can receive its tickets. */
const UNBOUND_STUDIO = '许村镇委员集体工作室';
/** No member at all. */
const EMPTY_STUDIO = '黄湾镇委员集体工作室';

jest.setTimeout(240_000);

let stack: TestStack;
let workers: RunningWorkers;
let browser: Browser;
let base: string;
let admin: Caller;
let adminSession: Record<string, unknown>;
let memberSession: Record<string, unknown>;
const studioIds = new Map<string, string>();
let unboundMemberId = '';
/** The ticket the member handles (assigned to 沈建华), one resolved, one overdue for the board. */
let openTicket: { id: string; no: string };
let overdueTicket: { id: string; no: string };
let residentOfOpen: Caller;
const consoleErrors: string[] = [];
const axeFigures: Record<
  string,
  { critical: number; serious: number; moderate: number; minor: number; rules: string[] }
> = {};

async function api<T>(
  method: string,
  url: string,
  caller: Caller | null,
  payload?: unknown,
  headers: Record<string, string> = {},
): Promise<T> {
  const res = await stack.app.inject({
    method: method as 'GET',
    url: `/api/v1${url}`,
    headers: { ...(caller?.headers ?? {}), ...headers },
    payload: payload as object,
  });
  if (res.statusCode >= 300) throw new Error(`${method} ${url} → ${res.statusCode} ${res.body}`);
  return res.json() as T;
}

/** Taro's H5 storage keeps each value as JSON `{ data }` under its key; seeded once per context. */
async function newPerson(
  viewport: { width: number; height: number },
  storage: Record<string, unknown> = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const phone = viewport.width < 500;
  const context = await browser.newContext({
    viewport,
    deviceScaleFactor: phone ? 2 : 1,
    isMobile: phone,
    hasTouch: phone,
    locale: 'zh-CN',
  });
  context.setDefaultTimeout(20_000);
  const script = Object.entries(storage)
    .map(([k, v]) => `localStorage.setItem(${JSON.stringify(k)}, ${JSON.stringify(JSON.stringify({ data: v }))});`)
    .join('\n');
  if (script)
    await context.addInitScript(
      `try { if (!sessionStorage.getItem('seeded')) { ${script} sessionStorage.setItem('seeded', '1'); } } catch (e) {}`,
    );
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(`${page.url()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => consoleErrors.push(`${page.url()}: uncaught ${error.message}`));
  return { context, page };
}

/** The whole page: Taro's H5 page scrolls inside its own box, so the window is made as tall as the page first. */
async function shot(page: Page, name: string, options: { wholePage?: boolean } = {}) {
  const size = page.viewportSize()!;
  // After navigateTo, Taro's H5 slides the new page in beside the old one: let it settle first.
  await page
    .waitForFunction(`document.scrollingElement.scrollWidth <= ${size.width}`, undefined, { timeout: 3_000 })
    .catch(() => undefined);
  const tall =
    options.wholePage === false
      ? 0
      : await page.evaluate<number>(
          `Math.ceil(Math.max(0, ...Array.from(document.querySelectorAll('.page')).map((el) => el.getBoundingClientRect().height)))`,
        );
  if (tall > size.height) await page.setViewportSize({ width: size.width, height: Math.min(tall, 8000) });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
  if (tall > size.height) await page.setViewportSize(size);
  expect(consoleErrors).toEqual([]);
}

async function open(page: Page, appPath: string, ready?: string) {
  await page.goto(`${base}/app/${appPath}`);
  await page.locator('.page').first().waitFor();
  if (ready) await page.locator(ready).first().waitFor();
  await page.waitForLoadState('networkidle');
}

/** axe-core on the page as it stands: the critical and serious findings, described for a failure message. */
async function axeProblems(page: Page, name: string): Promise<string[]> {
  const results = await new AxeBuilder({ page }).include('.page').analyze();
  const count = (impact: string) => results.violations.filter((v) => v.impact === impact).length;
  axeFigures[name] = {
    critical: count('critical'),
    serious: count('serious'),
    moderate: count('moderate'),
    minor: count('minor'),
    rules: results.violations.map((v) => `${v.impact}:${v.id}×${v.nodes.length}`),
  };
  return results.violations
    .filter((v) => v.impact === 'critical' || v.impact === 'serious')
    .map(
      (v) =>
        `${name}: ${v.impact} ${v.id} (${v.help}) at ${v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(' '))
          .join(' | ')}`,
    );
}

/** axe, the tappable audit and the focus rings on one page; the findings, empty when all is well. */
async function accessProblems(page: Page, name: string): Promise<string[]> {
  const found = await axeProblems(page, name);
  found.push(...(await controlProblems(page, name)));
  return found;
}

beforeAll(async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  ensureH5Build();
  stack = await startTestStack({
    LOG_LEVEL: 'warn',
    RATE_LIMIT_GLOBAL_PER_MINUTE: '100000',
    RATE_LIMIT_LOGIN_PER_MINUTE: '10000',
    RATE_LIMIT_SUBMIT_PER_HOUR: '10000',
  });
  base = `http://127.0.0.1:${(stack.app.server.address() as AddressInfo).port}`;
  workers = await startWorkers(stack.config, { logStream: stack.logs });
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
  admin = await signInAdmin(stack.app);
  const session = await stack.app.inject({
    method: 'POST',
    url: '/api/v1/auth/password',
    payload: { username: 'admin', password: TEST_ADMIN_PASSWORD },
  });
  adminSession = { ...(session.json() as object), method: 'password' };

  for (const [i, place] of [...TOWNS.map((t) => ['town', t]), ...SECTORS.map((s) => ['sector', s])].entries()) {
    const [kind, where] = place as ['town' | 'sector', string];
    const name = kind === 'town' ? `${where}委员集体工作室` : `${where}委员工作室`;
    const created = await api<{ id: string }>('POST', '/admin/studios', admin, {
      code: `staff${String(i).padStart(2, '0')}`,
      name,
      kind,
      ...(kind === 'town' ? { town: where } : { sector: where }),
      intro: `${where}的委员围绕民生实事开展协商议事。`,
      address: `海宁市${where}`,
    });
    studioIds.set(name, created.id);
  }
  const main = studioIds.get(MAIN_STUDIO)!;
  const shen = await api<{ id: string }>('POST', '/admin/members', admin, {
    name: '沈建华',
    title: '市政协委员',
    studioIds: [main],
  });
  const lu = await api<{ id: string }>('POST', '/admin/members', admin, {
    name: '陆佳怡',
    title: '市政协委员、海宁市人民医院副院长',
    studioIds: [main],
  });
  unboundMemberId = (
    await api<{ id: string }>('POST', '/admin/members', admin, {
      name: '周海峰',
      title: '市政协委员',
      studioIds: [studioIds.get(UNBOUND_STUDIO)!],
    })
  ).id;

  // 沈建华 binds first, so the main studio's tickets below are his; 陆佳怡 binds after (a colleague to transfer to).
  const bind = async (memberId: string, code: string) => {
    const invite = await api<{ inviteCode: string }>('POST', `/admin/members/${memberId}/invites`, admin);
    const user = await signInResident(stack.app, code);
    return api<{ token: string; user: unknown }>('POST', '/auth/bind', user, { inviteCode: invite.inviteCode });
  };
  memberSession = { ...(await bind(shen.id, 'e2e-staff-shen')), method: 'demo' };
  const submit = (caller: Caller, studioId: string, content: string, category = 'suggest') =>
    api<{ id: string; no: string }>(
      'POST',
      '/tickets',
      caller,
      { studioId, category, content },
      { 'idempotency-key': idempotencyKey() },
    );
  residentOfOpen = await signInResident(stack.app, 'e2e-staff-resident');
  openTicket = await submit(residentOfOpen, main, '文苑路小区门口的路灯坏了一个星期，晚上老人出门很不安全。');
  overdueTicket = await submit(residentOfOpen, main, '家里老人独居，想咨询居家养老服务怎么申请。', 'consult');
  await rewriteTickets(stack, overdueTicket.id, { dueAt: new Date(Date.now() - 3 * 3600_000) });
  const done = await submit(residentOfOpen, main, '小区垃圾分类亭的开放时间能不能延长到晚上八点？', 'help');
  const shenCaller = {
    token: String(memberSession.token),
    userId: '',
    headers: { authorization: `Bearer ${String(memberSession.token)}` },
  };
  await api(
    'POST',
    `/tickets/${done.id}/replies`,
    shenCaller,
    { content: '已与物业协商，下周起延长到晚上八点。' },
    {
      'idempotency-key': idempotencyKey(),
    },
  );
  await api('POST', `/tickets/${done.id}/resolve`, shenCaller, { outcome: 'service_project' });
  await bind(lu.id, 'e2e-staff-lu');
  // One ticket for every other studio, so the by-studio chart has 18 names.
  for (const [name, id] of studioIds)
    if (name !== MAIN_STUDIO) await submit(residentOfOpen, id, `${name}附近的公交站台没有遮雨棚。`);
  // The member's notices come from the notification workers.
  await eventually(async () => (await stack.app.models.Notification.countDocuments({})) > 0, 20_000);
}, 600_000);

// Each test answers for the console errors of its own pages.
beforeEach(() => consoleErrors.splice(0));

afterAll(async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  fs.writeFileSync(path.join(ARTIFACTS, 'axe.json'), `${JSON.stringify(axeFigures, null, 2)}\n`);
  await browser?.close().catch(() => undefined);
  await workers?.close(5000).catch(() => undefined);
  await stack?.close();
});

describe("members' pages at 375 × 812", () => {
  it('have no critical or serious axe finding, and every tappable element is a named, focusable control of 44 px', async () => {
    const { context, page } = await newPerson(PHONE, { 'mss.session': memberSession });
    const problems: string[] = [];
    for (const [name, appPath, ready] of [
      ['member-inbox', 'member/inbox/index', `[data-ticket="${openTicket.no}"]`],
      ['member-ticket', `member/ticket/index?id=${openTicket.id}`, '.reply-input'],
      ['member-notices', 'member/notices/index', '.notice'],
      ['member-stats', 'member/stats/index', '.studio-stats'],
    ] as const) {
      await open(page, appPath, ready);
      problems.push(...(await accessProblems(page, name)));
      await shot(page, name);
    }
    await context.close();
    // The bind page is what a member sees before binding: a resident's session.
    const person = await newPerson(PHONE, { 'mss.demoCode': 'e2e-staff-not-yet-member' });
    await open(person.page, 'member/bind/index', '.invite-code');
    problems.push(...(await accessProblems(person.page, 'member-bind')));
    await shot(person.page, 'member-bind');
    await person.context.close();
    expect(problems).toEqual([]);
  });

  it('keeps the reply, the internal note and the 办结说明 apart: the resident sees the reply, never the note', async () => {
    const { context, page } = await newPerson(PHONE, { 'mss.session': memberSession });
    await open(page, `member/ticket/index?id=${openTicket.id}`, '.reply-input');
    const reply = '您好，已联系街道城管中队，明天上午安排维修。';
    const note = '内部：城管中队王队长电话 87010000，明早再确认一次。';
    // A reply half typed stays in the reply box: neither the note box nor the 办结说明 inherits it.
    await page.locator('.reply-input textarea').fill(reply);
    // No way to publish from the note's box, and no note button beside the reply's.
    await expect(page.locator('.send-note').count()).resolves.toBe(0);
    await page.locator('.panel-note').click();
    await expect(page.locator('.note-input textarea').inputValue()).resolves.toBe('');
    await expect(page.locator('.send-reply').count()).resolves.toBe(0);
    await page.locator('.note-input textarea').fill(note);
    await shot(page, 'member-ticket-note');
    await page.locator('.send-note').click();
    await page.locator('.timeline__item--internal').getByText('王队长').waitFor();
    await page.locator('.panel-reply').click();
    await expect(page.locator('.reply-input textarea').inputValue()).resolves.toBe(reply);
    await page.locator('.send-reply').click();
    await page.locator('.timeline__item--reply').getByText('明天上午安排维修').waitFor();
    await page.locator('.panel-resolve').click();
    await expect(page.locator('.resolve-input textarea').inputValue()).resolves.toBe('');
    await shot(page, 'member-ticket-resolve');

    // What the resident is shown: the reply, and no trace of the note.
    const seen = await api<{ timeline: { type: string; content?: string }[] }>(
      'GET',
      `/tickets/${openTicket.id}`,
      residentOfOpen,
    );
    expect(seen.timeline.filter((e) => e.type === 'reply').map((e) => e.content)).toEqual([reply]);
    expect(JSON.stringify(seen)).not.toContain('王队长');
    const resident = await newPerson(PHONE, { 'mss.demoCode': 'e2e-staff-resident' });
    await open(resident.page, `pages/ticket/index?id=${openTicket.id}`, '.timeline__item--reply');
    await expect(resident.page.getByText('王队长').count()).resolves.toBe(0);
    await shot(resident.page, 'resident-sees-reply-not-note');
    await resident.context.close();
    await context.close();
  });

  it('shows whom to transfer to in full at 320 px, name and title unclipped', async () => {
    const { context, page } = await newPerson({ width: 320, height: 700 }, { 'mss.session': memberSession });
    await open(page, `member/ticket/index?id=${overdueTicket.id}`, '.reply-input');
    await page.locator('.panel-transfer').click();
    const target = page.locator('.transfer-to', { hasText: '陆佳怡' });
    await target.waitFor();
    const clipped = await target.evaluate((el) => {
      // Any box inside the button narrower than its text, or the button wider than the screen.
      const boxes = [el, ...Array.from(el.querySelectorAll('*'))] as unknown as {
        scrollWidth: number;
        clientWidth: number;
        getBoundingClientRect(): { right: number };
      }[];
      return boxes.some((b) => b.scrollWidth > b.clientWidth + 1 || b.getBoundingClientRect().right > 320);
    });
    await expect(target.textContent()).resolves.toContain('海宁市人民医院副院长');
    // The four tabs fit the screen, 办结 included.
    const tabsCut = await page.locator('.panels [role="tab"]').evaluateAll((tabs) =>
      tabs
        .filter((tab) => {
          const box = tab as unknown as {
            scrollWidth: number;
            clientWidth: number;
            getBoundingClientRect(): { right: number };
          };
          return box.scrollWidth > box.clientWidth + 1 || box.getBoundingClientRect().right > 320;
        })
        .map((tab) => tab.textContent),
    );
    expect(tabsCut).toEqual([]);
    await shot(page, 'member-ticket-transfer-320');
    expect(clipped).toBe(false);
    await context.close();
  });
});

describe('the admin console at 1280 wide', () => {
  const adminPages = () =>
    [
      ['admin-board', 'admin/board/index', '.ticket-card'],
      ['admin-dashboard', 'admin/dashboard/index', '.kpi'],
      ['admin-ticket', `member/ticket/index?id=${overdueTicket.id}`, '.ticket-content'],
      ['admin-studios', 'admin/studios/index', '.studio-card'],
      ['admin-studio-edit', `admin/studio-edit/index?id=${studioIds.get(UNBOUND_STUDIO)}`, '.studio-name-input'],
      ['admin-studio-new', 'admin/studio-edit/index', '.studio-name-input'],
      ['admin-members', 'admin/members/index', '.member-card'],
      ['admin-invites', `admin/invites/index?studioId=${studioIds.get(MAIN_STUDIO)}`, '.invite-record'],
      ['admin-notices', 'admin/notices/index', '.state'],
    ] as const;

  it('has no critical or serious axe finding on any page, the login included, and only real controls', async () => {
    const problems: string[] = [];
    const signedOut = await newPerson(DESKTOP);
    await open(signedOut.page, 'admin/login/index', '.admin-password');
    problems.push(...(await accessProblems(signedOut.page, 'admin-login')));
    await shot(signedOut.page, 'admin-login');
    await signedOut.context.close();

    const { context, page } = await newPerson(DESKTOP, { 'mss.session': adminSession });
    for (const [name, appPath, ready] of adminPages()) {
      await open(page, appPath, ready);
      problems.push(...(await accessProblems(page, name)));
      await shot(page, name);
    }
    await context.close();
    expect(problems).toEqual([]);
  });

  it('has the admin menu on every page, the dashboard and the ticket included, and it goes where it says', async () => {
    const { context, page } = await newPerson(DESKTOP, { 'mss.session': adminSession });
    const missing: string[] = [];
    for (const [name, appPath, ready] of adminPages()) {
      await open(page, appPath, ready);
      const nav = page.locator('.admin-nav');
      if ((await nav.count()) !== 1 || !(await nav.isVisible())) missing.push(name);
    }
    expect(missing).toEqual([]);
    // From the ticket to the dashboard, then to the studios, through the menu alone.
    await open(page, `member/ticket/index?id=${overdueTicket.id}`, '.ticket-content');
    await page.locator('.admin-nav').getByRole('link', { name: '统计' }).click();
    await page.locator('.kpi').first().waitFor();
    // As a reader would, let the charts draw before leaving (taro-react-echarts logs an error when its
    // page is left before its first frame).
    await page.locator('.chart-status canvas').waitFor();
    await expect(page.locator('.admin-nav [aria-current="page"]').textContent()).resolves.toContain('统计');
    await page.locator('.admin-nav').getByRole('link', { name: '工作室' }).click();
    await page.locator('.studio-card').first().waitFor();
    expect(page.url()).toContain('/admin/studios/');
    await context.close();
  });

  it('shows a studio just created in the list, even after a search that would hide it', async () => {
    const { context, page } = await newPerson(DESKTOP, { 'mss.session': adminSession });
    await open(page, 'admin/studios/index', '.studio-card');
    await page.locator('.studio-search input').fill('硖石');
    await page.locator('.studio-search input').press('Enter');
    await page.locator('.studio-card', { hasText: '海洲街道' }).waitFor({ state: 'detached' });
    await page.locator('.new-studio').click();
    await page.locator('.studio-name-input input').fill('文化艺术界委员工作室');
    await page.locator('.kind-sector').click();
    await page.locator('.studio-place-input input').fill('文化艺术界');
    await page.locator('.save-studio').click();
    const card = page.locator('.studio-card', { hasText: '文化艺术界委员工作室' });
    await card.waitFor();
    await shot(page, 'admin-studio-created');
    // A new studio has no member yet: it says so, with the way to fix it.
    await card.getByText('无可接收委员').waitFor();
    await context.close();
  });

  it('says which studios have nobody to receive tickets, on the list and on the studio, until a member binds', async () => {
    const { context, page } = await newPerson(DESKTOP, { 'mss.session': adminSession });
    await open(page, 'admin/studios/index', '.studio-card');
    const card = (name: string) => page.locator('.studio-card', { hasText: name });
    await card(UNBOUND_STUDIO).getByText('无可接收委员').waitFor();
    await card(EMPTY_STUDIO).getByText('无可接收委员').waitFor();
    await expect(card(MAIN_STUDIO).getByText('无可接收委员').count()).resolves.toBe(0);
    await shot(page, 'admin-studios-no-receiver');
    await card(UNBOUND_STUDIO).locator('.edit-studio').click();
    // Taro's H5 keeps the list page under the page opened from it: look inside the form's page only.
    const form = page.locator('.page', { has: page.locator('.studio-name-input') });
    const warning = form.locator('.no-receiver-warning');
    await warning.getByText('无可接收委员').waitFor();
    await warning
      .getByText(/邀请码/)
      .first()
      .waitFor();
    await shot(page, 'admin-studio-edit-no-receiver');

    // 周海峰 binds his WeChat: the studio can receive again and the warning goes.
    const invite = await api<{ inviteCode: string }>('POST', `/admin/members/${unboundMemberId}/invites`, admin);
    const zhou = await signInResident(stack.app, 'e2e-staff-zhou');
    await api('POST', '/auth/bind', zhou, { inviteCode: invite.inviteCode });
    await page.reload();
    await page.locator('.studio-name-input').waitFor();
    await page.waitForLoadState('networkidle');
    await expect(page.locator('.no-receiver-warning').count()).resolves.toBe(0);
    await context.close();
  });

  it("draws the by-studio chart with every studio's name level and apart, none hidden", async () => {
    const { context, page } = await newPerson(DESKTOP, { 'mss.session': adminSession });
    await open(page, 'admin/dashboard/index', '.group-bar');
    const labels = await page.locator('.group-bar__label').evaluateAll((els) =>
      els.map((el) => {
        const r = el.getBoundingClientRect();
        // Runs in the page; the server's TypeScript has no DOM types.
        const style = (
          globalThis as unknown as { getComputedStyle(e: unknown): { transform: string } }
        ).getComputedStyle(el);
        return {
          text: (el.textContent ?? '').trim(),
          top: r.top,
          bottom: r.bottom,
          left: r.left,
          right: r.right,
          transform: style.transform,
          clipped: el.scrollWidth > el.clientWidth + 1,
        };
      }),
    );
    expect(labels.length).toBeGreaterThanOrEqual(18);
    for (const name of studioIds.keys()) expect(labels.map((l) => l.text)).toContain(name);
    for (const label of labels) {
      expect(label.transform === 'none' || label.transform === 'matrix(1, 0, 0, 1, 0, 0)').toBe(true);
      expect(label.clipped).toBe(false);
    }
    const overlapping = labels.filter((a, i) =>
      labels.some(
        (b, j) => j !== i && a.left < b.right && b.left < a.right && a.top < b.bottom - 1 && b.top < a.bottom - 1,
      ),
    );
    expect(overlapping.map((l) => l.text)).toEqual([]);
    await shot(page, 'admin-dashboard-by-studio');
    await context.close();
  });

  it('keeps the studio chips out of the way on 邀请码 and 委员: the content starts within the first screen', async () => {
    const { context, page } = await newPerson(DESKTOP, { 'mss.session': adminSession });
    for (const [appPath, content] of [
      [`admin/invites/index?studioId=${studioIds.get(MAIN_STUDIO)}`, '.invite-member'],
      ['admin/members/index', '.member-card'],
    ] as const) {
      await open(page, appPath, content);
      const top = await page
        .locator(content)
        .first()
        .evaluate((el) => el.getBoundingClientRect().top);
      expect({ appPath, top: top < DESKTOP.height }).toEqual({ appPath, top: true });
    }
    // Another studio is still two taps away: change, then pick it by name.
    await page.locator('.studio-picker__change').click();
    await page.locator('.studio-picker__filter input').fill('许村');
    await page.locator('.studio-picker__option', { hasText: UNBOUND_STUDIO }).click();
    await page.locator('.member-card', { hasText: '周海峰' }).waitFor();
    await shot(page, 'admin-members-picked');
    await context.close();
  });

  it('asks to confirm in a dialog of real buttons in the app red, which the keyboard can answer', async () => {
    const { context, page } = await newPerson(DESKTOP, { 'mss.session': adminSession });
    await open(page, 'admin/studios/index', '.studio-card');
    const card = page.locator('.studio-card', { hasText: EMPTY_STUDIO });
    await card.locator('.retire-studio').click();
    const dialog = page.getByRole('alertdialog', { name: '停用工作室' });
    await dialog.waitFor();
    const confirm = dialog.getByRole('button', { name: '确定' });
    const red = await confirm.evaluate(
      (el) =>
        (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }).getComputedStyle(el)
          .backgroundColor,
    );
    expect(red).toBe('rgb(183, 28, 28)');
    const axe = await new AxeBuilder({ page }).include('.staff-dialog').analyze();
    expect(axe.violations.filter((v) => v.impact === 'critical' || v.impact === 'serious').map((v) => v.id)).toEqual(
      [],
    );
    // The focus is in the dialog (on 取消) and Tab keeps it there; Esc answers no.
    const focused = () => page.evaluate<string>('document.activeElement ? document.activeElement.textContent : ""');
    await expect(focused()).resolves.toBe('取消');
    await page.keyboard.press('Tab');
    await expect(focused()).resolves.toBe('确定');
    await page.keyboard.press('Tab');
    await expect(focused()).resolves.toBe('取消');
    await shot(page, 'admin-confirm-dialog', { wholePage: false });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    const still = await api<{ active: boolean }>('GET', `/admin/studios/${studioIds.get(EMPTY_STUDIO)}`, admin);
    expect(still.active).toBe(true);
    // Enter on 确定 does it.
    await card.locator('.retire-studio').click();
    await dialog.waitFor();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    await eventually(
      async () =>
        !(await api<{ active: boolean }>('GET', `/admin/studios/${studioIds.get(EMPTY_STUDIO)}`, admin)).active,
      5_000,
    );
    await context.close();
  });
});

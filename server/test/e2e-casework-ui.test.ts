/**
 * The pages of issue 16 in a real browser (the H5 build), as the office and a member use them: a
 * studio's deadline set in working days on its form and told to the public; the working calendar of a
 * year the built-in State Council data does not have yet, a holiday entered and taken back; a 常用回复
 * kept by the office, inserted into a member's reply with the resident's 称呼 and the studio's name,
 * and seen by the resident; whether new-ticket notices will reach the member on WeChat. axe-core finds
 * no critical or serious problem on the new pages. Screenshots go to test-artifacts/e2e-casework/
 * (members at 375 × 812, the console at 1280 wide), the axe figures to axe.json there.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { startTestStack, TEST_ADMIN_PASSWORD, type TestStack } from './helpers/app';
import { signInAdmin, signInResident, idempotencyKey, type Caller } from './helpers/actors';
import { ensureH5Build } from './helpers/h5-build';
import { controlProblems } from './helpers/page-audit';
import { OFFICIAL_YEARS } from '../src/lib/china-calendar';

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
const ARTIFACTS = path.resolve(__dirname, '../../test-artifacts/e2e-casework');
const PHONE = { width: 375, height: 812 };
const DESKTOP = { width: 1280, height: 800 };
const STUDIO = '硖石街道委员集体工作室';
const OFFICE_REPLY = {
  title: '已收到，正在办理',
  text: '{称呼}您好，{工作室名}已收到您的留言，已联系相关部门，三个工作日内答复您。',
};

jest.setTimeout(180_000);

let stack: TestStack;
let browser: Browser;
let base: string;
let admin: Caller;
let member: Caller;
let adminSession: Record<string, unknown>;
let memberSession: Record<string, unknown>;
let studioId = '';
let resident: Caller;
/** From 王阿姨, who left her 称呼; and one from a resident who stays anonymous to members. */
let namedTicket: { id: string; no: string };
let anonymousTicket: { id: string; no: string };
const consoleErrors: string[] = [];
const axeFigures: Record<string, { critical: number; serious: number; rules: string[] }> = {};

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
async function shot(page: Page, name: string) {
  const size = page.viewportSize()!;
  const tall = await page.evaluate<number>(
    `Math.ceil(Math.max(0, ...Array.from(document.querySelectorAll('.page')).map((el) => el.getBoundingClientRect().height)))`,
  );
  if (tall > size.height) await page.setViewportSize({ width: size.width, height: Math.min(tall, 8000) });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
  if (tall > size.height) await page.setViewportSize(size);
  expect(consoleErrors).toEqual([]);
}

async function open(page: Page, appPath: string, ready: string) {
  await page.goto(`${base}/app/${appPath}`);
  await page.locator(ready).first().waitFor();
  await page.waitForLoadState('networkidle');
}

/** axe-core on the page as it stands: its critical and serious findings, described. */
async function axeProblems(page: Page, name: string): Promise<string[]> {
  const results = await new AxeBuilder({ page }).include('.page').analyze();
  const worst = results.violations.filter((v) => v.impact === 'critical' || v.impact === 'serious');
  axeFigures[name] = {
    critical: worst.filter((v) => v.impact === 'critical').length,
    serious: worst.filter((v) => v.impact === 'serious').length,
    rules: results.violations.map((v) => `${v.impact}:${v.id}×${v.nodes.length}`),
  };
  return worst.map(
    (v) =>
      `${name}: ${v.impact} ${v.id} (${v.help}) at ${v.nodes
        .slice(0, 3)
        .map((n) => n.target.join(' '))
        .join(' | ')}`,
  );
}

/** axe-core, then every tappable element a named, focusable control of 44 px with a focus ring (helpers/page-audit). */
async function accessProblems(page: Page, name: string): Promise<string[]> {
  return [...(await axeProblems(page, name)), ...(await controlProblems(page, name))];
}

/** Taro's H5 confirm dialog: its button that says `text`. */
async function confirmWith(page: Page, text: string) {
  await page.getByText(text, { exact: true }).click();
}

/** A year after this one whose State Council arrangement the built-in data does not have. */
function yearWithoutOfficialData(): number {
  let year = new Date().getUTCFullYear() + 1;
  while (OFFICIAL_YEARS.has(year)) year += 1;
  return year;
}

/** The first Monday of February of `year`: a weekday, as holidays entered by hand are. */
function firstMondayOfFebruary(year: number): string {
  for (let day = 1; ; day += 1) {
    const date = new Date(Date.UTC(year, 1, day));
    if (date.getUTCDay() === 1) return date.toISOString().slice(0, 10);
  }
}

beforeAll(async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  ensureH5Build();
  stack = await startTestStack({
    LOG_LEVEL: 'warn',
    RATE_LIMIT_GLOBAL_PER_MINUTE: '100000',
    RATE_LIMIT_SUBMIT_PER_HOUR: '10000',
  });
  base = `http://127.0.0.1:${(stack.app.server.address() as AddressInfo).port}`;
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
  admin = await signInAdmin(stack.app);
  const session = await stack.app.inject({
    method: 'POST',
    url: '/api/v1/auth/password',
    payload: { username: 'admin', password: TEST_ADMIN_PASSWORD },
  });
  adminSession = { ...(session.json() as object), method: 'password' };

  studioId = (
    await api<{ id: string }>('POST', '/admin/studios', admin, {
      code: 'casework01',
      name: STUDIO,
      kind: 'town',
      town: '硖石街道',
      intro: '硖石街道的委员围绕民生实事开展协商议事。',
      address: '海宁市硖石街道',
    })
  ).id;
  const shen = await api<{ id: string }>('POST', '/admin/members', admin, {
    name: '沈建华',
    title: '市政协委员',
    studioIds: [studioId],
    // The studio's lead member (召集人): he keeps its canned replies too.
    leadOf: [studioId],
  });
  const invite = await api<{ inviteCode: string }>('POST', `/admin/members/${shen.id}/invites`, admin);
  const user = await signInResident(stack.app, 'e2e-casework-shen');
  const bound = await api<{ token: string; user: unknown }>('POST', '/auth/bind', user, {
    inviteCode: invite.inviteCode,
  });
  memberSession = { ...bound, method: 'demo' };
  member = { token: bound.token, userId: '', headers: { authorization: `Bearer ${bound.token}` } };

  resident = await signInResident(stack.app, 'e2e-casework-resident');
  const submit = (body: Record<string, unknown>) =>
    api<{ id: string; no: string }>(
      'POST',
      '/tickets',
      resident,
      { studioId, category: 'suggest', ...body },
      { 'idempotency-key': idempotencyKey() },
    );
  namedTicket = await submit({
    content: '文苑路小区门口的路灯坏了一个星期，晚上老人出门很不安全。',
    contactName: '王阿姨',
  });
  anonymousTicket = await submit({
    content: '菜场门口早上乱停车，堵住了人行道。',
    contactName: '李先生',
    anonymous: true,
  });
  // The office's reply every studio may use, used once already elsewhere, and a rarely used one.
  const office = await api<{ id: string }>('POST', '/canned-replies', admin, { studioId: null, ...OFFICE_REPLY });
  await api('POST', `/canned-replies/${office.id}/uses`, admin);
  await api('POST', '/canned-replies', admin, {
    studioId: null,
    title: '感谢您的建议',
    text: '感谢您对{工作室名}工作的关心和支持！',
  });
}, 600_000);

// Each test answers for the console errors of its own pages.
beforeEach(() => consoleErrors.splice(0));

afterAll(async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  fs.writeFileSync(path.join(ARTIFACTS, 'axe.json'), `${JSON.stringify(axeFigures, null, 2)}\n`);
  await browser?.close().catch(() => undefined);
  await stack?.close();
});

describe('the office, at 1280 wide', () => {
  it("sets a studio's deadline to 2 working days on its form, and the list and the public studio say so", async () => {
    const { context, page } = await newPerson(DESKTOP, { 'mss.session': adminSession });
    await open(page, 'admin/studios/index', '.studio-card');
    const card = page.locator('.studio-card', { hasText: STUDIO });
    await expect(card.locator('.studio-card__sla').textContent()).resolves.toBe('24小时');
    await card.locator('.edit-studio').click();
    // Taro's H5 keeps the list page under the page opened from it: look inside the form's page only.
    const form = page.locator('.page', { has: page.locator('.sla-amount-input') });
    await form.locator('.sla-unit-workdays').click();
    await form.locator('.sla-amount-input input').fill('2');
    await form.locator('.sla__workdays').getByText('查看工作日历').waitFor();
    const problems = await axeProblems(page, 'admin-studio-edit-workdays');
    await shot(page, 'admin-studio-edit-workdays');
    await form.locator('.save-studio').click();
    // Saved, the form goes back to the list, which reads the studios again.
    await card.locator('.studio-card__sla', { hasText: '2个工作日' }).waitFor();
    await shot(page, 'admin-studios-deadline');
    await context.close();

    const shown = await api<{ slaUnit: string; slaWorkdays: number }>('GET', `/studios/${studioId}`, null);
    expect({ slaUnit: shown.slaUnit, slaWorkdays: shown.slaWorkdays }).toEqual({ slaUnit: 'workdays', slaWorkdays: 2 });
    expect(problems).toEqual([]);
  });

  it("says the year's State Council arrangement is not built in, and keeps a holiday the office enters until removed", async () => {
    const year = yearWithoutOfficialData();
    const holiday = firstMondayOfFebruary(year);
    const { context, page } = await newPerson(DESKTOP, { 'mss.session': adminSession });
    // From the admin menu: this year, built in.
    await open(page, 'admin/studios/index', '.studio-card');
    await page.locator('.admin-nav').getByRole('link', { name: '工作日历' }).click();
    await page.locator('.calendar-official').waitFor();
    await page.waitForLoadState('networkidle');
    await expect(page.locator('.admin-nav [aria-current="page"]').textContent()).resolves.toContain('工作日历');
    const problems = await accessProblems(page, 'admin-calendar-this-year');
    await shot(page, 'admin-calendar-this-year');

    await open(page, `admin/calendar/index?year=${year}`, '.calendar-form');
    const missing = page.locator('.calendar-missing');
    await missing.getByText(`未内置 ${year} 年放假安排`).waitFor();
    await expect(missing.textContent()).resolves.toContain('国务院办公厅');
    problems.push(...(await accessProblems(page, 'admin-calendar-missing')));
    await shot(page, 'admin-calendar-missing');

    await page.locator('input.calendar-date').fill(holiday);
    await page.locator('.calendar-kind-off').click();
    await page.locator('.calendar-name-input input').fill('春节');
    await page.locator('.save-calendar-day').click();
    const row = page.locator(`.calendar-day[data-date="${holiday}"]`);
    await row.waitFor();
    await expect(row.textContent()).resolves.toMatch(/春节.*放假.*本办录入/);
    problems.push(...(await accessProblems(page, 'admin-calendar-entered')));
    await shot(page, 'admin-calendar-entered');
    const stored = await api<{ days: { date: string; workday: boolean; source: string }[] }>(
      'GET',
      `/admin/calendar?year=${year}`,
      admin,
    );
    expect(stored.days).toContainEqual(expect.objectContaining({ date: holiday, workday: false, source: 'override' }));

    await row.locator('.clear-calendar-day').click();
    await confirmWith(page, '撤销');
    await row.waitFor({ state: 'detached' });
    const after = await api<{ days: { date: string }[] }>('GET', `/admin/calendar?year=${year}`, admin);
    expect(after.days.map((d) => d.date)).not.toContain(holiday);
    await context.close();
    expect(problems).toEqual([]);
  });

  it("keeps the office's canned replies and a studio's own, with placeholders", async () => {
    const { context, page } = await newPerson(DESKTOP, { 'mss.session': adminSession });
    await page.goto(`${base}/app/admin/board/index`);
    await page.locator('.admin-nav').getByRole('link', { name: '常用回复' }).click();
    await page.locator('.canned-reply', { hasText: OFFICE_REPLY.title }).waitFor();
    const problems = await accessProblems(page, 'admin-canned-replies');
    await shot(page, 'admin-canned-replies');

    // The studio's own list: picked by name, then a reply written with both placeholders.
    await page.locator('.scope-studio').click();
    await page.locator('.studio-picker__change').click();
    await page.locator('.studio-picker__filter input').fill('硖石');
    await page.locator('.studio-picker__option', { hasText: STUDIO }).click();
    await page.locator('.canned-form').waitFor();
    await page.locator('.canned-title-input input').fill('已现场查看');
    await page.locator('.canned-text-input textarea').fill('{称呼}您好，');
    await page.locator('.add-studio-name').click();
    await page.locator('.canned-text-input textarea').press('End');
    await page.locator('.canned-text-input textarea').pressSequentially('的委员已到现场查看。');
    await expect(page.locator('.canned-form__preview-text').textContent()).resolves.toBe(
      `王女士您好，${STUDIO}的委员已到现场查看。`,
    );
    await page.locator('.save-canned-reply').click();
    await page.locator('.canned-reply', { hasText: '已现场查看' }).waitFor();
    problems.push(...(await accessProblems(page, 'admin-canned-replies-studio')));
    await shot(page, 'admin-canned-replies-studio');
    await context.close();
    const list = await api<{ items: { title: string; studioId: string | null; text: string }[] }>(
      'GET',
      `/canned-replies?studioId=${studioId}`,
      member,
    );
    expect(list.items.find((r) => r.title === '已现场查看')).toMatchObject({
      studioId,
      text: '{称呼}您好，{工作室名}的委员已到现场查看。',
    });
    expect(problems).toEqual([]);
  });
});

describe('a member, at 375 × 812', () => {
  it("inserts a canned reply with the ticket's 称呼 and studio filled in, sends it, and the resident reads it", async () => {
    const { context, page } = await newPerson(PHONE, { 'mss.session': memberSession });
    await open(page, `member/ticket/index?id=${namedTicket.id}`, '.reply-input');
    await page.locator('.open-canned-replies').click();
    const options = page.locator('.canned-picker__option');
    await options.first().waitFor();
    // Most used first: the office's reply used once before the others.
    await expect(options.first().locator('.canned-picker__option-title').textContent()).resolves.toBe(
      OFFICE_REPLY.title,
    );
    const problems = await accessProblems(page, 'member-ticket-canned-replies');
    await shot(page, 'member-ticket-canned-replies');

    const filled = `王阿姨您好，${STUDIO}已收到您的留言，已联系相关部门，三个工作日内答复您。`;
    await options.first().click();
    await expect(page.locator('.reply-input textarea').inputValue()).resolves.toBe(filled);
    await expect(page.locator('.canned-picker').count()).resolves.toBe(0);
    await shot(page, 'member-ticket-canned-inserted');
    await page.locator('.send-reply').click();
    await page.locator('.timeline__item--reply').getByText('王阿姨您好').waitFor();
    await context.close();

    const seen = await api<{ timeline: { type: string; content?: string }[] }>(
      'GET',
      `/tickets/${namedTicket.id}`,
      resident,
    );
    expect(seen.timeline.filter((e) => e.type === 'reply').map((e) => e.content)).toEqual([filled]);
    const person = await newPerson(PHONE, { 'mss.demoCode': 'e2e-casework-resident' });
    await open(person.page, `pages/ticket/index?id=${namedTicket.id}`, '.timeline__item--reply');
    await person.page.locator('.timeline__item--reply').getByText(filled).waitFor();
    await shot(person.page, 'resident-sees-canned-reply');
    await person.context.close();
    // The use was counted: now used twice.
    const office = await api<{ items: { title: string; useCount: number }[] }>(
      'GET',
      `/canned-replies?studioId=${studioId}`,
      member,
    );
    expect(office.items.find((r) => r.title === OFFICE_REPLY.title)?.useCount).toBe(2);
    expect(problems).toEqual([]);
  });

  it("lets the studio's lead member add a canned reply from the reply box, and offers it at once", async () => {
    const { context, page } = await newPerson(PHONE, { 'mss.session': memberSession });
    await open(page, `member/ticket/index?id=${anonymousTicket.id}`, '.reply-input');
    await page.locator('.open-canned-replies').click();
    await page.locator('.keep-canned-replies').click();
    const keeper = page.locator('.page', { has: page.locator('.canned-form') });
    await keeper.locator('.canned-form').waitFor();
    await keeper.locator('.canned-title-input input').fill('请补充位置');
    await keeper.locator('.canned-text-input textarea').fill('{称呼}您好，请补充具体位置，方便委员到现场查看。');
    await keeper.locator('.save-canned-reply').click();
    await keeper.locator('.canned-reply', { hasText: '请补充位置' }).waitFor();
    const problems = await axeProblems(page, 'member-canned-replies');
    await shot(page, 'member-canned-replies');
    await keeper.locator('.staff-bar__back').click();
    await page.locator('.canned-form').waitFor({ state: 'detached' });
    // Back on the ticket, the open list has it.
    await page.locator('.canned-picker__option', { hasText: '请补充位置' }).waitFor();
    // The keeper's page alone (opened from the ticket, the ticket's page stays under it) for the control audit.
    await open(page, `member/canned-replies/index?studioId=${studioId}`, '.canned-form');
    problems.push(...(await controlProblems(page, 'member-canned-replies')));
    await context.close();
    expect(problems).toEqual([]);
  });

  it('calls an anonymous resident 匿名群众, never by the name they left', async () => {
    const { context, page } = await newPerson(PHONE, { 'mss.session': memberSession });
    await open(page, `member/ticket/index?id=${anonymousTicket.id}`, '.reply-input');
    await page.locator('.reply-input textarea').fill('已记录。');
    await page.locator('.open-canned-replies').click();
    await page.locator('.canned-picker__option', { hasText: OFFICE_REPLY.title }).click();
    const text = await page.locator('.reply-input textarea').inputValue();
    // Added after what was typed, on a line of its own.
    expect(text).toBe(`已记录。\n匿名群众您好，${STUDIO}已收到您的留言，已联系相关部门，三个工作日内答复您。`);
    expect(text).not.toContain('李先生');
    await context.close();
  });

  it('says when new-ticket notices will not reach WeChat, and when they will', async () => {
    const { context, page } = await newPerson(PHONE, { 'mss.session': memberSession });
    await open(page, 'member/notices/index', '.wechat-reminder');
    await page.locator('.wechat-reminder--off').getByText('微信提醒未开启').waitFor();
    const problems = await accessProblems(page, 'member-notices-reminder-off');
    await shot(page, 'member-notices-reminder-off');

    // The member allows it in WeChat (the mini-program records the consent).
    await api('POST', '/me/subscriptions', member, { accepted: ['ticket_assigned'] });
    await page.reload();
    await page.locator('.wechat-reminder--on').getByText('微信提醒已开启').waitFor();
    problems.push(...(await accessProblems(page, 'member-notices-reminder-on')));
    await shot(page, 'member-notices-reminder-on');
    await context.close();
    expect(problems).toEqual([]);
  });
});

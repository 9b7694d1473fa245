/**
 * The H5 build in a real browser (Debian's chromium driven by playwright-core) against a whole
 * stack started here: private database, Redis, fake WeChat, the API serving the build under /app/,
 * and the notification workers. A resident, a member and an admin each use their own browser
 * context, as three different people would. Screenshots of every step go to test-artifacts/e2e/;
 * any console error or uncaught exception in a page fails the test.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { rewriteTickets, startTestStack, TEST_ADMIN_PASSWORD, type TestStack } from './helpers/app';
import { signInAdmin, signInMember, signInResident, idempotencyKey, type Caller } from './helpers/actors';
import { ensureH5Build } from './helpers/h5-build';
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
const ARTIFACTS = path.resolve(__dirname, '../../test-artifacts/e2e');
// 1×1 PNG: a real image, so the server's type detection accepts it.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

jest.setTimeout(240_000);

let stack: TestStack;
let workers: RunningWorkers;
let browser: Browser;
let base: string;
let admin: Caller;
let studio: { id: string; scene: string };
let memberA: { id: string };
let memberB: { id: string };
const consoleErrors: string[] = [];
const timings: Record<string, number> = {};
let tmpDir: string;

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

async function newPerson(width: number): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: { width, height: 780 },
    deviceScaleFactor: 2,
    isMobile: width < 500,
    hasTouch: width < 500,
    locale: 'zh-CN',
  });
  context.setDefaultTimeout(20_000);
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(`${page.url()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => consoleErrors.push(`${page.url()}: uncaught ${error.message}`));
  return { context, page };
}

async function shot(page: Page, name: string) {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
  expect(consoleErrors).toEqual([]);
}

beforeAll(async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mss-e2e-'));
  timings.h5BuildMs = ensureH5Build();
  // Three people from one address in a few minutes: the per-IP ceilings are for the internet, not this test.
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
  const created = await api<{ id: string; scene?: string; code?: string }>('POST', '/admin/studios', admin, {
    code: 'e2ehx01',
    name: '硖石街道委员集体工作室',
    kind: 'town',
    town: '硖石街道',
    intro: '围绕老旧小区改造、养老服务等民生实事开展协商议事。',
    address: '海宁市硖石街道文苑路 1 号',
    serviceItems: [{ title: '老旧小区改造议事会', summary: '每月第一个周三，委员与居民面对面' }],
  });
  const detail = await api<{ id: string; scene: string }>('GET', `/studios/${created.id}`, null);
  studio = { id: detail.id, scene: detail.scene };
  memberA = await api('POST', '/admin/members', admin, { name: '沈建华', title: '市政协委员', studioIds: [studio.id] });
  memberB = await api('POST', '/admin/members', admin, { name: '陆佳怡', title: '市政协委员', studioIds: [studio.id] });
  // 陆佳怡 has bound her WeChat, so the studio can receive tickets (an unbound member is never assigned one).
  await signInMember(stack.app, admin, memberB.id, 'e2e-member-lu');
}, 300_000);

afterAll(async () => {
  fs.writeFileSync(path.join(ARTIFACTS, 'timings.json'), `${JSON.stringify(timings, null, 2)}\n`);
  await browser?.close().catch(() => undefined);
  await workers?.close(5000).catch(() => undefined);
  await stack?.close();
  fs.rmSync(tmpDir, { recursive: true, force: true });
});

describe('mini-program H5 in a real browser', () => {
  let ticketNo = '';
  let residentPage: Page;

  it('serves the H5 app under /app/ with a fallback to index.html for app routes', async () => {
    const index = await fetch(`${base}/app/pages/mine/index`);
    expect(index.status).toBe(200);
    expect(await index.text()).toContain('<div id="app">');
  });

  it('resident: opens the studio from its scene link, submits a ticket with a photo, sees it in 我的', async () => {
    const { page } = await newPerson(360);
    const started = Date.now();
    await page.goto(`${base}/app/pages/index/index?scene=${encodeURIComponent(studio.scene)}`);
    await page.locator('.studio-name').getByText('硖石街道委员集体工作室').waitFor();
    timings.scanToStudioMs = Date.now() - started;
    await page.getByText('老旧小区改造议事会').waitFor();
    await page.getByText('沈建华').waitFor();
    await shot(page, '01-resident-studio-from-scene');

    await page.locator('.entry-submit').click();
    await page.locator('.content-input textarea').waitFor();
    await page.getByText('反映建议').click();
    await page
      .locator('.content-input textarea')
      .fill('文苑路小区门口的路灯坏了一个星期，晚上老人出门很不安全，希望尽快修好。');
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.locator('.add-photo').click()]);
    const photo = path.join(tmpDir, 'streetlight.png');
    fs.writeFileSync(photo, PNG);
    await chooser.setFiles(photo);
    await page.locator('.photo--done').waitFor();
    await page.locator('.consent-box').click();
    await shot(page, '02-resident-form-filled');

    await page.locator('.send-ticket').click();
    await page.getByText('办理进度').waitFor();
    ticketNo = (await page.locator('.ticket-card__no').first().textContent())?.trim() ?? '';
    expect(ticketNo).toMatch(/^[A-Z]+\d{8}-\d+$/);
    await page.locator('.ticket-content').getByText('路灯坏了一个星期').waitFor();
    await expect(page.locator('.photo').count()).resolves.toBe(1);
    await shot(page, '03-resident-ticket-submitted');

    await page.goto(`${base}/app/pages/mine/index`);
    await page.locator('.ticket-card', { hasText: ticketNo }).waitFor();
    await expect(page.locator('.ticket-card', { hasText: ticketNo }).getByText('待回复').count()).resolves.toBe(1);
    await shot(page, '04-resident-mine');

    // 适老化: the large-text switch applies at once and is kept for the next pages.
    await page.locator('.large-text-row').click();
    await page.locator('.page--large').waitFor();
    await shot(page, '04b-resident-large-text');
    await page.locator('.large-text-row').click();
    await page.locator('.page:not(.page--large)').waitFor();
    residentPage = page;
  });

  it('resident: the home search box keeps what is typed and filters the studios as one types', async () => {
    await api('POST', '/admin/studios', admin, {
      code: 'e2eca01',
      name: '长安镇委员集体工作室',
      kind: 'town',
      town: '长安镇',
      intro: '高铁新城建设问需。',
      address: '海宁市长安镇修川路 288 号',
    });
    const { context, page } = await newPerson(375);
    await page.goto(`${base}/app/`);
    await page.locator('.studio-card', { hasText: '硖石街道委员集体工作室' }).waitFor();
    const box = page.locator('.studio-search input');
    await box.click();
    await page.keyboard.type('长安', { delay: 120 });
    await expect(box.inputValue()).resolves.toBe('长安');
    await page.locator('.studio-card', { hasText: '长安镇委员集体工作室' }).waitFor();
    await page.locator('.studio-card', { hasText: '硖石街道委员集体工作室' }).waitFor({ state: 'detached' });
    await expect(box.inputValue()).resolves.toBe('长安');
    await context.close();
  });

  it('resident: a studio link that names no studio says so in plain words, with the way to every studio and no reload that cannot help', async () => {
    const { context, page } = await newPerson(375);
    for (const id of ['6b10303b1ba9', '000000000000000000000000']) {
      await page.goto(`${base}/app/pages/studio/index?id=${id}`);
      await page.locator('.studio-error').getByText('没有找到这个委员工作室，请确认二维码是否正确').waitFor();
      await expect(page.getByText('重新加载').count()).resolves.toBe(0);
      await expect(page.getByText('（id）').count()).resolves.toBe(0);
    }
    // The one console error this page must cause: the API's 404 for the well-formed id of no studio
    // (the malformed one is never sent).
    const expected = (e: string) => e.includes('studio/index?id=000000000000000000000000') && e.includes('404');
    expect(consoleErrors.filter(expected)).toHaveLength(1);
    consoleErrors.splice(0, consoleErrors.length, ...consoleErrors.filter((e) => !expected(e)));
    await shot(page, '04b-studio-not-found');
    await page.locator('taro-button-core', { hasText: '查看全部工作室' }).click();
    await page.locator('.studio-card').first().waitFor();
    await context.close();
  });

  it('resident: the plain H5 link of a studio (/app/?studioId=) opens the studio', async () => {
    const { context, page } = await newPerson(320);
    await page.goto(`${base}/app/?studioId=${studio.id}`);
    await page.locator('.studio-name').getByText('硖石街道委员集体工作室').waitFor();
    await shot(page, '04c-studio-from-h5-link-320px');
    // Nothing wider than the 320 px screen.
    await expect(page.evaluate<number>('document.documentElement.scrollWidth')).resolves.toBeLessThanOrEqual(320);
    await context.close();
  });

  it('member: binds with an invite, sees the ticket in 待回复 and replies', async () => {
    const invite = await api<{ inviteCode: string }>('POST', `/admin/members/${memberA.id}/invites`, admin);
    const { page } = await newPerson(320);
    await page.goto(`${base}/app/member/bind/index`);
    await page.locator('.invite-code input').fill(invite.inviteCode);
    await shot(page, '05-member-bind');
    await page.locator('.bind-submit').click();
    await page.getByText('待回复').first().waitFor();
    const card = page.locator('.ticket-card', { hasText: ticketNo });
    await card.waitFor();
    await shot(page, '06-member-inbox');

    await card.locator('.tap-row').click();
    await page.locator('.reply-input textarea').fill('您好，已联系街道城管中队，明天上午安排维修，修好后请您留意。');
    await page.locator('.send-reply').click();
    await page.locator('.timeline__item--reply').getByText('明天上午安排维修').waitFor();
    await shot(page, '07-member-replied');
    // The page sent the reply with its draft's Idempotency-Key, so a resend after a lost answer adds it once.
    const stored = await stack.app.models.Ticket.findOne({ no: ticketNo }).lean();
    expect(stored!.timeline.find((e) => e.type === 'reply')?.requestKey).toMatch(/^[A-Za-z0-9_.:-]{8,}-r$/);
  });

  it('resident: sees the reply and rates it', async () => {
    const page = residentPage;
    await page.locator('.ticket-card', { hasText: ticketNo }).locator('.tap-row').click();
    await page.locator('.timeline__item--reply').getByText('明天上午安排维修').waitFor();
    await page.locator('.rate-box').waitFor();
    await page.locator('.send-rating').click();
    await page.getByText('您的评价：').waitFor();
    await shot(page, '08-resident-rated');
  });

  it('admin: signs in with the password, sees an overdue ticket and reassigns it', async () => {
    const resident = await signInResident(stack.app, 'e2e-resident-overdue');
    const late = await api<{ id: string; no: string }>(
      'POST',
      '/tickets',
      resident,
      { studioId: studio.id, category: 'help', content: '家里老人独居，想咨询居家养老服务怎么申请。' },
      { 'idempotency-key': idempotencyKey() },
    );
    await rewriteTickets(stack, late.id, { dueAt: new Date(Date.now() - 3 * 3600_000) });

    const { page } = await newPerson(768);
    await page.goto(`${base}/app/admin/board/index`);
    // Each field says what it wants (NutUI's default placeholder is a bare 请输入内容).
    await expect(page.locator('.admin-password input').getAttribute('placeholder')).resolves.toBe('请输入密码');
    await page.locator('.admin-password input').fill(TEST_ADMIN_PASSWORD);
    await shot(page, '09-admin-login');
    await page.locator('.admin-sign-in').click();
    const card = page.locator('.ticket-card', { hasText: late.no });
    await card.waitFor();
    await card.locator('.badge-overdue').waitFor();
    await shot(page, '10-admin-overdue-board');

    // Reassign to whichever of the two members does not have it now.
    const before = await api<{ assignee: { id: string } | null }>('GET', `/tickets/${late.id}`, admin);
    const target =
      before.assignee?.id === memberB.id ? { id: memberA.id, name: '沈建华' } : { id: memberB.id, name: '陆佳怡' };
    await card.locator('.reassign').click();
    await card.locator('.pick-member', { hasText: target.name }).click();
    await page.getByText(`已改派给${target.name}`).waitFor();
    const after = await api<{ assignee: { id: string } | null }>('GET', `/tickets/${late.id}`, admin);
    expect(after.assignee?.id).toBe(target.id);
    await shot(page, '11-admin-reassigned');

    // And to a member of another studio, found by name (the ticket's own studio may have nobody to take it).
    const otherStudio = await api<{ id: string }>('POST', '/admin/studios', admin, {
      code: 'e2exc01',
      name: '许村镇委员集体工作室',
      kind: 'town',
      town: '许村镇',
      intro: '家纺产业与村镇建设。',
      address: '海宁市许村镇',
    });
    const elsewhere = await api<{ id: string }>('POST', '/admin/members', admin, {
      name: '周海峰',
      title: '市政协委员',
      studioIds: [otherStudio.id],
    });
    await card.locator('.reassign').click();
    await card.locator('.other-member-search input').fill('周海');
    await card.locator('.pick-member', { hasText: '周海峰' }).getByText('（其他工作室）').waitFor();
    await shot(page, '11b-admin-pick-other-studio');
    await card.locator('.pick-member', { hasText: '周海峰' }).click();
    await page.getByText('已改派给周海峰').waitFor();
    expect((await api<{ assignee: { id: string } | null }>('GET', `/tickets/${late.id}`, admin)).assignee?.id).toBe(
      elsewhere.id,
    );
    // 周海峰 has not bound WeChat: the board's 无人接收 tab shows the ticket, to be moved on.
    await page.getByText('无人接收', { exact: true }).click();
    await page.locator('.ticket-card', { hasText: late.no }).waitFor();
    await shot(page, '11c-admin-stranded');
  });
});

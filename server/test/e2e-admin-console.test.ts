/**
 * The admin console (the H5 build's admin subpackage) in a real browser, against a whole stack
 * started here, as e2e-miniprogram.test.ts does: the office creates a studio, adds a member and
 * issues an invite code; the member binds with it in the mini-program's bind page; the office
 * disables the member, and the member's next action is refused. Then 适老化: large-text mode must
 * enlarge NutUI widgets (measured in the browser), and no page may be wider than a 320 px phone.
 * Screenshots of every step go to test-artifacts/e2e/admin-*.png; any console error fails the test,
 * except the one refused request the test provokes on purpose.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { imageChecksSettled, startTestStack, TEST_ADMIN_PASSWORD, type TestStack } from './helpers/app';
import { uploadPng } from './helpers/uploads';
import { FAKE_REVIEW_IMAGE_MARK } from '../src/wechat/fake/server';
import { signInAdmin, signInResident, idempotencyKey, type Caller } from './helpers/actors';
import { ensureH5Build } from './helpers/h5-build';

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
const RESIDENT_CODE = 'e2e-admin-console-resident';
const STUDIO_NAME = '斜桥镇委员集体工作室';
const MEMBER_NAME = '许文涛';

jest.setTimeout(300_000);

let stack: TestStack;
let browser: Browser;
let base: string;
let admin: Caller;
const consoleErrors: string[] = [];
/** Console errors a step provokes on purpose (the browser logs every 4xx answer as an error). */
let expectedErrors: RegExp | null = null;

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

/** Taro's H5 storage keeps each value as JSON `{ data }` under its key. */
const storageScript = (entries: Record<string, unknown>) =>
  Object.entries(entries)
    .map(
      ([key, value]) =>
        `localStorage.setItem(${JSON.stringify(key)}, ${JSON.stringify(JSON.stringify({ data: value }))});`,
    )
    .join('\n');

async function newPerson(
  width: number,
  storage: Record<string, unknown> = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: { width, height: 780 },
    deviceScaleFactor: 2,
    isMobile: width < 500,
    hasTouch: width < 500,
    locale: 'zh-CN',
  });
  context.setDefaultTimeout(30_000);
  // Only before the app's first page: later pages must keep what the app itself stored.
  if (Object.keys(storage).length)
    await context.addInitScript(
      `try { if (!sessionStorage.getItem('seeded')) { ${storageScript(storage)} sessionStorage.setItem('seeded', '1'); } } catch (e) {}`,
    );
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    if (expectedErrors?.test(message.text())) return;
    consoleErrors.push(`${page.url()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => consoleErrors.push(`${page.url()}: uncaught ${error.message}`));
  return { context, page };
}

async function shot(page: Page, name: string) {
  await page.screenshot({ path: path.join(ARTIFACTS, `admin-${name}.png`), fullPage: true });
  expect(consoleErrors).toEqual([]);
}

/** Opens an app page and waits until it has drawn and its requests have settled. */
async function open(page: Page, appPath: string) {
  await page.goto(`${base}/app/${appPath}`);
  await page.locator('.page').first().waitFor();
  await page.waitForLoadState('networkidle');
}

const pageWidth = (page: Page) => page.evaluate<number>('document.scrollingElement.scrollWidth');
// Browser code as text: the server's TypeScript has no DOM types.
const fontSizeOf = (page: Page, selector: string) =>
  page.evaluate<number>(`parseFloat(getComputedStyle(document.querySelector(${JSON.stringify(selector)})).fontSize)`);

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
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
  admin = await signInAdmin(stack.app);
}, 900_000);

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await stack?.close();
});

describe('admin console in a real browser', () => {
  let adminPage: Page;
  let memberPage: Page;
  let studioId = '';
  let inviteCode = '';
  let ticket: { id: string; no: string; assignee: { id: string; name: string } | null };

  it('admin: signs in with the password, lands on the board, creates a studio with a service item', async () => {
    const { page } = await newPerson(768);
    adminPage = page;
    await page.goto(`${base}/app/admin/board/index`);
    await page.locator('.admin-password input').fill(TEST_ADMIN_PASSWORD);
    await page.locator('.admin-sign-in').click();
    // The board is still where the sign-in lands.
    await page.getByText('没有需要督办的留言').waitFor();
    await page.locator('.admin-nav__item--on', { hasText: '督办' }).waitFor();
    await shot(page, '01-board-after-sign-in');

    await page.locator('.admin-nav--studios').click();
    await page.getByText('工作室管理').waitFor();
    await page.locator('.new-studio').click();
    await page.locator('.studio-name-input input').fill(STUDIO_NAME);
    await page.locator('.studio-place-input input').fill('斜桥镇');
    await page.locator('.studio-intro-input textarea').fill('围绕榨菜产业和乡村养老开展协商议事。');
    await page.locator('.add-service-item').click();
    await page.locator('.service-title-input input').fill('榨菜产业协商会');
    await shot(page, '02-studio-form');
    await page.locator('.save-studio').click();

    const card = page.locator('.studio-card', { hasText: STUDIO_NAME });
    await card.waitFor();
    await card.getByText('镇街 · 斜桥镇').waitFor();
    await shot(page, '03-studio-created');
    const listed = await api<{ items: { id: string; name: string; active: boolean }[] }>(
      'GET',
      `/admin/studios?q=${encodeURIComponent('斜桥')}`,
      admin,
    );
    expect(listed.items).toHaveLength(1);
    studioId = listed.items[0]!.id;
    const detail = await api<{ town: string; intro: string; serviceItems: { title: string }[] }>(
      'GET',
      `/studios/${studioId}`,
      null,
    );
    expect(detail).toMatchObject({
      town: '斜桥镇',
      intro: '围绕榨菜产业和乡村养老开展协商议事。',
      serviceItems: [{ title: '榨菜产业协商会' }],
    });
  });

  it('admin: retires and restores the studio; the public list follows', async () => {
    const page = adminPage;
    const card = page.locator('.studio-card', { hasText: STUDIO_NAME });
    await card.locator('.retire-studio').click();
    await page.getByText('确定', { exact: true }).click();
    // Gone from the studios in use once the server has it retired.
    await page.getByText('没有符合条件的工作室').waitFor();
    await page.locator('.state-retired').click();
    await page.locator('.studio-card', { hasText: STUDIO_NAME }).locator('.restore-studio').waitFor();
    const publicWhileRetired = await api<{ items: { id: string }[] }>('GET', '/studios', null);
    expect(publicWhileRetired.items.map((s) => s.id)).not.toContain(studioId);
    await shot(page, '04-studio-retired');

    await page.locator('.studio-card', { hasText: STUDIO_NAME }).locator('.restore-studio').click();
    await page.getByText('没有符合条件的工作室').waitFor();
    const publicAfter = await api<{ items: { id: string }[] }>('GET', '/studios', null);
    expect(publicAfter.items.map((s) => s.id)).toContain(studioId);
    await page.locator('.state-active').click();
    await page.locator('.studio-card', { hasText: STUDIO_NAME }).locator('.retire-studio').waitFor();
  });

  it('admin: adds a member to the studio and gets an invite code, shown large', async () => {
    const page = adminPage;
    await page.locator('.studio-card', { hasText: STUDIO_NAME }).locator('.studio-invites').click();
    await page.getByText(`${STUDIO_NAME} 的委员`).waitFor();
    await page.getByText('这个工作室还没有委员').waitFor();
    await page.locator('.new-member-name input').fill(MEMBER_NAME);
    await page.locator('.add-member').click();
    const big = page.locator('.invite-code-big');
    await big.waitFor();
    inviteCode = ((await big.textContent()) ?? '').trim();
    expect(inviteCode).toMatch(/^[A-Z2-9]{8}$/);
    // Large enough to read out over the phone: at least twice the body text.
    expect(await fontSizeOf(page, '.invite-code-big')).toBeGreaterThanOrEqual(
      2 * (await fontSizeOf(page, '.invite-member')),
    );
    await page.locator('.invite-member', { hasText: MEMBER_NAME }).getByText('未绑定').waitFor();
    await shot(page, '05-invite-issued');
  });

  it('member: binds with the code in the mini-program and sees the studio ticket', async () => {
    const { page } = await newPerson(320);
    memberPage = page;
    await page.goto(`${base}/app/member/bind/index`);
    await page.locator('.invite-code input').fill(inviteCode.toLowerCase());
    await shot(page, '06-member-bind');
    await page.locator('.bind-submit').click();
    await page.waitForURL(/\/member\/inbox\//);

    // Bound, the member can receive: the studio's next ticket is assigned to them.
    const resident = await signInResident(stack.app, 'e2e-admin-console-someone');
    ticket = await api(
      'POST',
      '/tickets',
      resident,
      { studioId, category: 'suggest', content: '村口的公交站台没有遮雨棚，下雨天老人等车很不方便。' },
      { 'idempotency-key': idempotencyKey() },
    );
    expect(ticket.assignee?.name).toBe(MEMBER_NAME);
    await page.reload();
    const card = page.locator('.ticket-card', { hasText: ticket.no });
    await card.waitFor();
    await shot(page, '07-member-inbox');
    await card.locator('.tap-row').click();
    await page.locator('.reply-input textarea').waitFor();
  });

  it('admin: sees the code used, issues another and revokes it; the revoked code does not bind', async () => {
    const page = adminPage;
    await page.reload();
    await page.locator('.invite-record[data-status="used"]', { hasText: MEMBER_NAME }).waitFor();
    await page.locator('.invite-member', { hasText: MEMBER_NAME }).getByText('已绑定微信').waitFor();
    await page.locator('.invite-member', { hasText: MEMBER_NAME }).locator('.create-invite').click();
    const second = ((await page.locator('.invite-code-big').textContent()) ?? '').trim();
    expect(second).toMatch(/^[A-Z2-9]{8}$/);
    expect(second).not.toBe(inviteCode);
    await page.locator('.revoke-issued').click();
    await page.getByText('确定', { exact: true }).click();
    await page.locator('.invite-record[data-status="revoked"]', { hasText: MEMBER_NAME }).waitFor();
    await expect(page.locator('.invite-code-big').count()).resolves.toBe(0);
    await shot(page, '07b-invite-revoked');
    const stranger = await signInResident(stack.app, 'e2e-admin-console-stranger');
    const bind = await stack.app.inject({
      method: 'POST',
      url: '/api/v1/auth/bind',
      headers: stranger.headers,
      payload: { inviteCode: second },
    });
    expect(bind.json()).toMatchObject({ code: 'INVITE_INVALID' });
  });

  it('admin: lets a photo held for manual review be shown, from the ticket page', async () => {
    const resident = await signInResident(stack.app, 'e2e-admin-console-photo');
    const photo = await uploadPng(stack.app, resident, 'doubtful-photo', FAKE_REVIEW_IMAGE_MARK);
    const held = await api<{ id: string; no: string }>(
      'POST',
      '/tickets',
      resident,
      { studioId, category: 'help', content: '河边护栏被撞坏了，附上照片请尽快处理。', images: [photo.id] },
      { 'idempotency-key': idempotencyKey() },
    );
    await imageChecksSettled(stack);

    const page = adminPage;
    await open(page, `member/ticket/index?id=${held.id}`);
    const decision = page.locator('.image-decision');
    await decision.getByText('第 1 张图片待人工复核').waitFor();
    await page.locator('.photo__progress').getByText('待人工复核').waitFor();
    await shot(page, '09a-photo-review');
    await decision.locator('.image-decision__pass').click();
    await decision.waitFor({ state: 'detached' });
    await expect(page.locator('.photo__progress').count()).resolves.toBe(0);
    await shot(page, '09b-photo-passed');
    const after = await api<{
      images: { id: string; check?: string }[];
      timeline: { type: string; content?: string }[];
    }>('GET', `/tickets/${held.id}`, admin);
    expect(after.images).toEqual([expect.objectContaining({ id: photo.id })]);
    expect(after.images[0]!.check).toBeUndefined();
    expect(after.timeline.at(-1)).toMatchObject({ type: 'moderated', content: '图片经人工复核可以展示' });
    await open(page, 'admin/board/index');
  });

  it('admin: sees the bound member in 委员管理 and disables them; the member is refused at once', async () => {
    const page = adminPage;
    await page.locator('.admin-nav--members').click();
    await page.getByText('委员管理').waitFor();
    await page.locator('.member-search input').fill(MEMBER_NAME);
    await page.locator('.member-search input').press('Enter');
    const card = page.locator('.member-card', { hasText: MEMBER_NAME });
    await card.getByText('已绑定微信').waitFor();
    await card.getByText(`所属工作室：${STUDIO_NAME}`).waitFor();
    await expect(page.locator('.member-card').count()).resolves.toBe(1);
    await shot(page, '08-members');

    await card.locator('.disable-member').click();
    await page.getByText('确定', { exact: true }).click();
    await card.locator('.member-disabled').waitFor();
    await card.locator('.enable-member').waitFor();
    await shot(page, '09-member-disabled');

    // The member, still on the ticket, tries to reply: the server no longer takes them for a member.
    expectedErrors = /Failed to load resource: the server responded with a status of 40[34]/;
    const refused = memberPage.waitForResponse((res) => res.url().includes(`/tickets/${ticket.id}/replies`));
    await memberPage.locator('.reply-input textarea').fill('收到，我们马上去看看。');
    await memberPage.locator('.send-reply').click();
    expect([403, 404]).toContain((await refused).status());
    await memberPage
      .locator('.taro__toast')
      .getByText(/无权|没有权限/)
      .waitFor();
    await shot(memberPage, '10-member-refused');
    expectedErrors = null;
    const after = await api<{ status: string; timeline: { type: string }[] }>('GET', `/tickets/${ticket.id}`, admin);
    expect(after.timeline.filter((event) => event.type === 'reply')).toEqual([]);
  });

  it('large-text mode enlarges buttons, list rows and inputs, on resident and admin pages', async () => {
    const { context, page } = await newPerson(375, { 'mss.demoCode': RESIDENT_CODE });
    await open(page, 'pages/mine/index');
    const button = '.page .nut-button';
    // The list rows (我的留言's links to the member and admin pages), which were NutUI cells.
    const cell = '.page .link-row__text .block';
    const before = {
      button: await fontSizeOf(page, button),
      cell: await fontSizeOf(page, cell),
      text: await fontSizeOf(page, '.page'),
    };
    await page.locator('.large-text-row').click();
    await page.locator('.page--large').waitFor();
    const after = {
      button: await fontSizeOf(page, button),
      cell: await fontSizeOf(page, cell),
      text: await fontSizeOf(page, '.page'),
    };
    await shot(page, '11-large-text-mine');
    expect(after.button).toBeGreaterThanOrEqual(before.button * 1.3);
    expect(after.cell).toBeGreaterThanOrEqual(before.cell * 1.3);
    expect(after.text).toBeGreaterThan(before.text);
    // At least 44 CSS px to tap, in either mode.
    const buttonHeight = await page
      .locator(button)
      .first()
      .evaluate((el) => el.getBoundingClientRect().height);
    expect(buttonHeight).toBeGreaterThanOrEqual(44);

    // The setting is kept, and the admin pages' NutUI inputs follow it too.
    await open(page, 'admin/login/index');
    await page.locator('.page--large').waitFor();
    expect(await fontSizeOf(page, '.admin-password input')).toBeGreaterThanOrEqual(18);
    await shot(page, '12-large-text-admin-login');
    await context.close();
  });

  it('at 320 px wide no page is wider than the screen, in normal and in large text', async () => {
    const resident = await signInResident(stack.app, RESIDENT_CODE);
    const own = await api<{ id: string }>(
      'POST',
      '/tickets',
      resident,
      { studioId, category: 'help', content: '想了解一下镇里的助餐服务点在哪里，老人行动不便。' },
      { 'idempotency-key': idempotencyKey() },
    );
    const session = await stack.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      payload: { username: 'admin', password: TEST_ADMIN_PASSWORD },
    });
    const adminSession = { ...(session.json() as object), method: 'password' };
    const residentPages = [
      'pages/index/index',
      `pages/studio/index?id=${studioId}`,
      `pages/submit/index?studioId=${studioId}`,
      'pages/mine/index',
      `pages/ticket/index?id=${own.id}`,
      'pages/login/index',
      'member/bind/index',
    ];
    const adminPages = [
      'admin/board/index',
      'admin/studios/index',
      `admin/studio-edit/index?id=${studioId}`,
      'admin/studio-edit/index',
      'admin/members/index',
      `admin/invites/index?studioId=${studioId}`,
      'admin/notices/index',
    ];

    const tooWide: string[] = [];
    for (const large of [false, true]) {
      for (const [who, pages, storage] of [
        ['resident', residentPages, { 'mss.demoCode': RESIDENT_CODE, 'mss.largeText': large }],
        ['admin', adminPages, { 'mss.session': adminSession, 'mss.largeText': large }],
      ] as const) {
        const { context, page } = await newPerson(320, storage);
        for (const appPath of pages) {
          await open(page, appPath);
          await expect(page.locator('.page--large').count()).resolves.toBe(large ? 1 : 0);
          const width = await pageWidth(page);
          if (width > 320) tooWide.push(`${appPath}${large ? ' (large text)' : ''}: ${width}px`);
          await shot(
            page,
            `13-320px-${large ? 'large-' : ''}${who}-${appPath.replace(/\?.*$/, '').replace(/\//g, '_')}`,
          );
        }
        await context.close();
      }
    }
    expect(tooWide).toEqual([]);
  });

  it('on a desktop browser the console is a centred column', async () => {
    const session = await stack.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      payload: { username: 'admin', password: TEST_ADMIN_PASSWORD },
    });
    const { context, page } = await newPerson(1280, {
      'mss.session': { ...(session.json() as object), method: 'password' },
    });
    await open(page, 'admin/studios/index');
    await page.locator('.studio-card', { hasText: STUDIO_NAME }).waitFor();
    const box = await page.evaluate<{ left: number; right: number; width: number }>(
      '(() => { const rect = document.querySelector(".page").getBoundingClientRect(); return { left: rect.left, right: window.innerWidth - rect.right, width: rect.width }; })()',
    );
    expect(box.width).toBeLessThanOrEqual(1000);
    expect(Math.abs(box.left - box.right)).toBeLessThanOrEqual(2);
    await shot(page, '14-desktop-studios');
    await context.close();
  });
});

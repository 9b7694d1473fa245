/**
 * The resident's pages of the H5 build as residents meet them on a 375×812 phone: someone of
 * seventy, someone with a screen reader, someone with only a keyboard. axe-core on every resident
 * page (0 critical, 0 serious) and every control at least 44 px; the submit form walked with Tab,
 * operated with Space/Enter, each control's role, name and state read through the accessibility
 * tree; the way back and to 我的留言 from every page, and browser back never leaving for a blank tab;
 * the message box growing with its text; a large photo compressed on the phone before upload, one
 * that cannot fit refused at once; and the error pages (bad code, offline, server error, a page's
 * code that did not download) saying what to do, with the way home.
 *
 * Screenshots go to test-artifacts/e2e-resident/, with axe's figures per page in axe.json.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { UPLOAD_MAX_BYTES } from '@mashangshang/shared';
import { rewriteTickets, startTestStack, type TestStack } from './helpers/app';
import { idempotencyKey, signInAdmin, signInMember, signInResident, type Caller } from './helpers/actors';
import { ensureH5Build } from './helpers/h5-build';
import { uploadPng } from './helpers/uploads';

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
const ARTIFACTS = path.resolve(__dirname, '../../test-artifacts/e2e-resident');
const RESIDENT_CODE = 'e2e-access-resident';
/** Roles of the things a resident operates; each must be at least 44 × 44 CSS px. */
const CONTROL_ROLES = ['button', 'link', 'checkbox', 'radio', 'switch', 'textbox', 'searchbox'] as const;

jest.setTimeout(180_000);

let stack: TestStack;
let browser: Browser;
let base: string;
let resident: Caller;
let studio: { id: string; scene: string; name: string };
const tickets: Record<'pending' | 'assigned' | 'answered' | 'resolved', { id: string; no: string }> = {} as never;
const uncaught: string[] = [];
const axeFigures: Record<
  string,
  { critical: number; serious: number; moderate: number; minor: number; rules: string[] }
> = {};

async function api<T>(method: string, url: string, caller: Caller | null, payload?: unknown, headers = {}) {
  const res = await stack.app.inject({
    method: method as 'GET',
    url: `/api/v1${url}`,
    headers: { ...(caller?.headers ?? {}), ...headers },
    payload: payload as object,
  });
  if (res.statusCode >= 300) throw new Error(`${method} ${url} → ${res.statusCode} ${res.body}`);
  return res.json() as T;
}

/** A phone-sized browser of the resident who owns the tickets made in beforeAll (the H5 demo sign-in code). */
async function phone(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: { width: 375, height: 812 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
  });
  context.setDefaultTimeout(15_000);
  // Taro keeps storage as {"data": value}: the page signs in with this code as wx.login would.
  const stored = JSON.stringify(JSON.stringify({ data: RESIDENT_CODE }));
  await context.addInitScript(
    `if (location.protocol === 'http:' && !localStorage.getItem('mss.demoCode'))
      localStorage.setItem('mss.demoCode', ${stored});`,
  );
  const page = await context.newPage();
  page.on('pageerror', (error) => uncaught.push(`${page.url()}: ${error.message}`));
  return { context, page };
}

/** Once Taro's page has finished sliding in (until then the document is wider than the phone). */
async function settled(page: Page) {
  // Browser code as text: the server's TypeScript has no DOM types.
  await page.waitForFunction(
    `[...document.querySelectorAll('.taro_page')].every((p) => getComputedStyle(p).transform === 'none')`,
  );
}

/** The whole page, not only the phone's screen: Taro's page box scrolls inside the window. */
async function shot(page: Page, name: string) {
  await settled(page);
  const setPageBoxes = (style: string) =>
    page.evaluate(`document.querySelectorAll('.taro_page').forEach((box) => { box.style.cssText += '${style}' })`);
  await setPageBoxes('height: auto; overflow: visible;');
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
  await setPageBoxes('height: ; overflow: ;');
}

/**
 * axe-core on the page as it is now, plus the size of every visible control; the figures are kept
 * for axe.json and the caller asserts on what is returned.
 */
async function audit(page: Page, name: string): Promise<{ serious: string[]; small: string[] }> {
  await shot(page, name);
  const result = await new AxeBuilder({ page }).analyze();
  const count = (impact: string) =>
    result.violations.filter((v) => v.impact === impact).reduce((sum, v) => sum + v.nodes.length, 0);
  axeFigures[name] = {
    critical: count('critical'),
    serious: count('serious'),
    moderate: count('moderate'),
    minor: count('minor'),
    rules: result.violations.map((v) => `${v.impact}: ${v.id} ×${v.nodes.length}`),
  };
  const serious = result.violations
    .filter((v) => v.impact === 'critical' || v.impact === 'serious')
    .map((v) => `${name}: ${v.id} (${v.impact}) at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  const small: string[] = [];
  for (const role of CONTROL_ROLES) {
    for (const control of await page.getByRole(role).all()) {
      const box = await control.boundingBox();
      if (!box || !(await control.isVisible())) continue;
      if (box.height < 43.5 || (box.width < 43.5 && role !== 'textbox'))
        small.push(
          `${name}: ${role} "${(await control.textContent())?.trim().slice(0, 20)}" ${box.width}×${box.height}`,
        );
    }
  }
  return { serious, small };
}

/** Role and accessible name of the element that has the keyboard focus. */
async function focused(page: Page): Promise<string> {
  return page.evaluate<string>(`(() => {
    const element = document.activeElement;
    if (!element || element === document.body) return '(none)';
    const role = element.getAttribute('role') ?? element.tagName.toLowerCase();
    const name = element.getAttribute('aria-label') ?? element.textContent?.trim() ?? '';
    return role + ':' + name;
  })()`);
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

  const admin = await signInAdmin(stack.app);
  const created = await api<{ id: string }>('POST', '/admin/studios', admin, {
    code: 'acchx01',
    name: '硖石街道委员集体工作室',
    kind: 'town',
    town: '硖石街道',
    intro: '围绕老旧小区改造、养老服务等民生实事开展协商议事。',
    address: '海宁市硖石街道文苑路 1 号',
    serviceItems: [{ title: '老旧小区改造议事会', summary: '每月第一个周三，委员与居民面对面' }],
  });
  const detail = await api<{ id: string; scene: string; name: string }>('GET', `/studios/${created.id}`, null);
  studio = { id: detail.id, scene: detail.scene, name: detail.name };
  const memberRecord = await api<{ id: string }>('POST', '/admin/members', admin, {
    name: '陆佳怡',
    title: '市政协委员',
    studioIds: [studio.id],
  });
  const member = await signInMember(stack.app, admin, memberRecord.id, 'e2e-access-member');
  // A studio nobody can receive for yet: its tickets wait as 待分配.
  const empty = await api<{ id: string }>('POST', '/admin/studios', admin, {
    code: 'accyg01',
    name: '盐官镇委员集体工作室',
    kind: 'town',
    town: '盐官镇',
    intro: '观潮胜地的民生协商。',
    address: '海宁市盐官镇',
  });

  // One ticket of the resident in each status, so the lists and the ticket page show every tag.
  resident = await signInResident(stack.app, RESIDENT_CODE);
  const photo = await uploadPng(stack.app, resident);
  const submit = (studioId: string, content: string, images: string[] = []) =>
    api<{ id: string; no: string }>(
      'POST',
      '/tickets',
      resident,
      { studioId, category: 'help', content, images },
      { 'idempotency-key': idempotencyKey() },
    );
  tickets.pending = await submit(empty.id, '盐官镇老街的公共厕所晚上不开门，游客和居民都不方便。');
  tickets.assigned = await submit(studio.id, '文苑路小区的路灯坏了一个星期，晚上老人出门很不安全。');
  tickets.answered = await submit(studio.id, '小区门口的人行道砖松动了，下雨天一踩就溅水。', [photo.id]);
  tickets.resolved = await submit(studio.id, '想咨询居家养老服务怎么申请，需要带哪些材料。');
  for (const which of ['answered', 'resolved'] as const) {
    await api(
      'POST',
      `/tickets/${tickets[which].id}/replies`,
      member,
      { content: '您好，已联系街道，本周内处理。' },
      {
        'idempotency-key': idempotencyKey(),
      },
    );
  }
  await api('POST', `/tickets/${tickets.resolved.id}/resolve`, member, { outcome: 'none' });
  // The open one is past its deadline: the 已超时 badge shows beside its status.
  await rewriteTickets(stack, tickets.assigned.id, { dueAt: new Date(Date.now() - 3 * 3600_000) });
}, 400_000);

afterAll(async () => {
  fs.writeFileSync(path.join(ARTIFACTS, 'axe.json'), `${JSON.stringify(axeFigures, null, 2)}\n`);
  await browser?.close().catch(() => undefined);
  await stack?.close();
});

afterEach(() => {
  expect(uncaught.splice(0)).toEqual([]);
});

describe('the resident pages, for every resident', () => {
  it('pass axe-core with no critical or serious finding, and every control is at least 44 px', async () => {
    const { context, page } = await phone();
    const findings: string[] = [];
    const check = async (name: string) => {
      const { serious, small } = await audit(page, name);
      findings.push(...serious, ...small);
    };

    await page.goto(`${base}/app/`);
    await page.locator('.studio-card').first().waitFor();
    await check('01-home');

    await page.goto(`${base}/app/pages/studio/index?id=${studio.id}`);
    await page.getByText('老旧小区改造议事会').waitFor();
    await check('02-studio');

    await page.goto(`${base}/app/pages/submit/index?studioId=${studio.id}`);
    await page.getByRole('textbox', { name: '留言内容' }).waitFor();
    await page.getByRole('textbox', { name: '手机号（选填）' }).fill('13800001234');
    await page.getByRole('switch', { name: '允许委员查看完整号码并回电' }).waitFor();
    await check('03-submit');

    await page.goto(`${base}/app/pages/mine/index`);
    await page.locator('.ticket-card', { hasText: tickets.resolved.no }).waitFor();
    for (const label of ['待分配', '待回复', '已回复', '已办结', '已超时'])
      await page.getByText(label).first().waitFor();
    await check('04-mine');

    await page.goto(`${base}/app/pages/ticket/index?id=${tickets.answered.id}`);
    await page.getByRole('radio', { name: '5 星 非常满意' }).waitFor();
    await page.locator('.photo img').first().waitFor();
    await check('05-ticket-answered');

    await page.goto(`${base}/app/pages/ticket/index?id=${tickets.resolved.id}`);
    await page.getByText('办理进度').waitFor();
    await check('06-ticket-resolved');

    await page.goto(`${base}/app/pages/login/index`);
    await page.getByRole('button', { name: '演示登录' }).waitFor();
    await check('07-login');

    await page.goto(`${base}/app/pages/index/index?scene=${encodeURIComponent('s=nosuchcode')}`);
    await page.getByText('这个二维码打不开').waitFor();
    await check('08-bad-code');

    await page.goto(`${base}/app/pages/studio/index?id=000000000000000000000000`);
    await page.getByText('没有找到这个委员工作室').waitFor();
    await check('09-studio-not-found');

    // 适老化: with large text on, the same holds, and the form still fits the phone's width.
    await page.goto(`${base}/app/pages/mine/index`);
    await page.getByRole('switch', { name: '大字模式（适老化）' }).click();
    await page.locator('.page--large').waitFor();
    await check('09c-mine-large-text');
    await page.goto(`${base}/app/pages/submit/index?studioId=${studio.id}`);
    await page.locator('.page--large').getByRole('textbox', { name: '留言内容' }).waitFor();
    await check('09d-submit-large-text');
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);

    expect(findings).toEqual([]);
    await context.close();
  });

  it('the submit form can be walked with Tab and operated with Space and Enter, each control named with its state', async () => {
    const { context, page } = await phone();
    await page.goto(`${base}/app/pages/studio/index?id=${studio.id}`);
    await page.getByRole('button', { name: '24 小时码上商 · 我要留言' }).press('Enter');
    const message = page.getByRole('textbox', { name: '留言内容' });
    await message.waitFor();

    // Tab from the top reaches every control once, in the order they are read.
    await settled(page);
    await page.locator('.topbar__title:visible').click();
    const order: string[] = [];
    for (let i = 0; i < 15; i += 1) {
      await page.keyboard.press('Tab');
      order.push(await focused(page));
    }
    expect(order).toEqual([
      'radio:咨询问题',
      'radio:反映建议',
      'radio:寻求帮助',
      'textarea:留言内容',
      'button:添加图片，还可以添加 9 张',
      'input:称呼（选填）',
      'input:手机号（选填）',
      'switch:对委员匿名',
      'checkbox:我已阅读并同意隐私说明',
      'button:查看隐私说明',
      'button:提交留言',
      'link:全部工作室',
      'link:我的留言',
      // …and round to the top: the browser's own stops, then the title bar's 返回.
      expect.any(String),
      expect.any(String),
    ]);

    // Space chooses a category; the screen reader hears which one is chosen.
    await page.getByRole('radio', { name: '反映建议' }).focus();
    await page.keyboard.press(' ');
    await page.getByRole('radio', { name: '反映建议', checked: true }).waitFor();
    expect(await page.getByRole('radio', { name: '咨询问题' }).getAttribute('aria-checked')).toBe('false');

    await message.focus();
    await page.keyboard.type('文苑路小区门口的路灯坏了，晚上老人出门看不清台阶。');
    await page.keyboard.press('Tab'); // 添加图片
    await page.keyboard.press('Tab'); // 称呼
    await page.keyboard.type('王先生');
    await page.keyboard.press('Tab'); // 手机号
    await page.keyboard.type('13800001234');
    // A phone number adds the call-back switch right after the phone box.
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('switch:允许委员查看完整号码并回电');
    await page.keyboard.press(' ');
    await page.getByRole('switch', { name: '允许委员查看完整号码并回电', checked: true }).waitFor();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('checkbox:我已阅读并同意隐私说明');
    const consent = page.getByRole('checkbox', { name: '我已阅读并同意隐私说明' });
    expect(await consent.getAttribute('aria-checked')).toBe('false');
    await page.keyboard.press(' ');
    await page.getByRole('checkbox', { name: '我已阅读并同意隐私说明', checked: true }).waitFor();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.getByText('仅用于本工作室委员和政协机关办理您的诉求').waitFor();
    await shot(page, '10-submit-keyboard-filled');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('button:提交留言');
    await page.keyboard.press('Enter');
    await page.getByText('留言已提交').waitFor();
    const sent = await stack.app.models.Ticket.findOne({ content: /路灯坏了，晚上老人/ }).lean();
    expect(sent).toMatchObject({ category: 'suggest', contactName: '王先生', allowContact: true });
    await context.close();
  });
});

describe('the way around, for a resident who came by a code', () => {
  it('the studio list can be walked with Tab, and Enter opens a studio', async () => {
    const { context, page } = await phone();
    await page.goto(`${base}/app/`);
    await page.locator('.studio-card').first().waitFor();
    await settled(page);
    await page.locator('.hero').click();
    const order: string[] = [];
    for (let i = 0; i < 8; i += 1) {
      await page.keyboard.press('Tab');
      order.push(await focused(page));
    }
    expect(order).toEqual([
      'radio:镇街工作室',
      'radio:界别工作室',
      'input:搜索工作室名称',
      'radio:全部',
      'radio:硖石街道',
      'radio:盐官镇',
      expect.stringMatching(/^link:硖石街道委员集体工作室/),
      expect.stringMatching(/^link:盐官镇委员集体工作室/),
    ]);
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Enter');
    await page.locator('.studio-name').getByText(studio.name).waitFor();
    await context.close();
  });

  it('from a studio opened by its code: 我的留言 and back, the studio list, and browser back stays in the app', async () => {
    const { context, page } = await phone();
    await page.goto(`${base}/app/pages/index/index?scene=${encodeURIComponent(studio.scene)}`);
    await page.locator('.studio-name').getByText(studio.name).waitFor();
    await shot(page, '11-studio-from-code');

    await page.getByRole('link', { name: '我的留言' }).click();
    await page.locator('.ticket-card', { hasText: tickets.assigned.no }).waitFor();
    expect(await page.getByRole('link', { name: '我的留言' }).getAttribute('aria-current')).toBe('page');
    await page.getByRole('button', { name: '返回上一页' }).click();
    await page.locator('.studio-name').getByText(studio.name).waitFor();
    await page.getByRole('link', { name: '全部工作室' }).click();
    await page.locator('.studio-card', { hasText: studio.name }).waitFor();
    await shot(page, '12-list-from-studio');

    // A studio's plain H5 link opened in a new tab: back leads to the list, not to a blank page.
    await page.goto('about:blank');
    await page.goto(`${base}/app/pages/studio/index?id=${studio.id}`);
    await page.locator('.studio-name').getByText(studio.name).waitFor();
    await page.goBack();
    await page.locator('.studio-card', { hasText: studio.name }).waitFor();
    expect(page.url()).toBe(`${base}/app/pages/index/index`);
    await context.close();
  });

  it('after sending, the ticket page says it was sent and offers the way on; back never ends on a blank page', async () => {
    const { context, page } = await phone();
    await page.goto(`${base}/app/pages/index/index?scene=${encodeURIComponent(studio.scene)}`);
    await page.locator('.entry-submit').click();
    await page.getByRole('textbox', { name: '留言内容' }).fill('小区里的健身器材坏了两件，老人锻炼时容易受伤。');
    await page.getByRole('checkbox', { name: '我已阅读并同意隐私说明' }).click();
    await page.getByRole('button', { name: '提交留言' }).click();
    await page.getByText('留言已提交').waitFor();
    await shot(page, '13-ticket-just-sent');

    await page.getByRole('button', { name: '查看我的全部留言' }).click();
    await page.locator('.ticket-card', { hasText: '健身器材' }).waitFor();
    // Back through the whole history: every step is a page of the app, the last the studio list.
    const visited: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      await page.goBack();
      await page.waitForTimeout(400);
      visited.push(new URL(page.url()).pathname);
    }
    expect(visited).toEqual(['/app/pages/ticket/index', '/app/pages/studio/index', '/app/pages/index/index']);
    await page.locator('.studio-card').first().waitFor();
    await context.close();
  });
});

describe('writing the message', () => {
  it('the message box grows with a long message and never runs over the photos or the submit button', async () => {
    const { context, page } = await phone();
    await page.goto(`${base}/app/pages/submit/index?studioId=${studio.id}`);
    const box = page.getByRole('textbox', { name: '留言内容' });
    await box.waitFor();
    const before = (await box.boundingBox())!.height;
    const long = Array.from({ length: 14 }, (_, i) => `第${i + 1}点：楼道里的灯坏了，晚上看不清楼梯。`).join('\n');
    await box.fill(long);
    await page.waitForTimeout(200);
    const after = (await box.boundingBox())!;
    const addPhoto = (await page.getByRole('button', { name: /添加图片/ }).boundingBox())!;
    expect(after.height).toBeGreaterThan(before * 3);
    expect(after.y + after.height).toBeLessThanOrEqual(addPhoto.y);
    // All of it is shown: nothing hidden behind a scrollbar inside the box.
    const { scroll, client } = await box.evaluate((el: { scrollHeight: number; clientHeight: number }) => ({
      scroll: el.scrollHeight,
      client: el.clientHeight,
    }));
    expect(scroll).toBeLessThanOrEqual(client + 2);
    await shot(page, '14-long-message');
    await context.close();
  });

  it('a 10 MB photo is compressed on the phone to under the 5 MB limit, with progress; one that cannot fit is refused at once', async () => {
    const { context, page } = await phone();
    await page.goto(`${base}/app/pages/submit/index?studioId=${studio.id}`);
    await page.getByRole('textbox', { name: '留言内容' }).waitFor();
    // A camera-sized photo of fine detail (noise does not compress): a JPEG well over the limit.
    const photo = Buffer.from(
      await page.evaluate<string>(`(async () => {
        const canvas = document.createElement('canvas');
        canvas.width = 3600;
        canvas.height = 2700;
        const context2d = canvas.getContext('2d');
        const pixels = context2d.createImageData(canvas.width, canvas.height);
        for (let at = 0; at < pixels.data.length; at += 65536) {
          crypto.getRandomValues(pixels.data.subarray(at, Math.min(at + 65536, pixels.data.length)));
        }
        for (let at = 3; at < pixels.data.length; at += 4) pixels.data[at] = 255;
        context2d.putImageData(pixels, 0, 0);
        const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.95));
        const bytes = new Uint8Array(await blob.arrayBuffer());
        let text = '';
        for (let at = 0; at < bytes.length; at += 32768) text += String.fromCharCode(...bytes.subarray(at, at + 32768));
        return btoa(text);
      })()`),
      'base64',
    );
    expect(photo.length).toBeGreaterThan(UPLOAD_MAX_BYTES * 1.5);

    // What the photo's tile says along the way, and what is sent (held a moment, to be seen).
    await page.evaluate(`(() => {
      const seen = (window.seenTiles = []);
      new MutationObserver(() => {
        for (const tile of document.querySelectorAll('.photo__progress')) seen.push(tile.textContent ?? '');
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    })()`);
    const sent: number[] = [];
    await page.route('**/api/v1/uploads', async (route) => {
      sent.push(route.request().postDataBuffer()?.length ?? 0);
      await new Promise((resolve) => setTimeout(resolve, 800));
      await route.continue();
    });
    const [chooser] = await Promise.all([
      page.waitForEvent('filechooser'),
      page.getByRole('button', { name: /添加图片/ }).click(),
    ]);
    await chooser.setFiles({ name: 'IMG_2024.jpg', mimeType: 'image/jpeg', buffer: photo });
    await page.locator('.photo--done').waitFor({ timeout: 30_000 });
    const seen = await page.evaluate<string[]>('window.seenTiles');
    expect(seen).toContain('正在压缩…');
    expect(seen.some((text) => /^上传中 \d+%$/.test(text))).toBe(true);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toBeLessThanOrEqual(UPLOAD_MAX_BYTES);
    expect(sent[0]).toBeGreaterThan(100_000); // still a real photo
    await page.getByRole('img', { name: '第 1 张图片' }).waitFor();
    await shot(page, '15-photo-compressed');

    // A file the phone cannot read or shrink, larger than the limit: refused before anything is sent.
    const [again] = await Promise.all([
      page.waitForEvent('filechooser'),
      page.getByRole('button', { name: /添加图片/ }).click(),
    ]);
    const started = Date.now();
    await again.setFiles({
      name: 'IMG_0001.HEIC.jpg',
      mimeType: 'image/jpeg',
      buffer: Buffer.alloc(6 * 1024 * 1024, 7),
    });
    await page.getByRole('alert').filter({ hasText: '这张照片有 6.0 MB，压缩后仍超过 5 MB，无法上传' }).waitFor();
    expect(Date.now() - started).toBeLessThan(5000);
    expect(sent).toHaveLength(1);
    await shot(page, '16-photo-refused');
    await context.close();
  });
});

describe('when something goes wrong', () => {
  it('a code that names no studio says so in place of the list, with the way to every studio', async () => {
    const { context, page } = await phone();
    await page.goto(`${base}/app/pages/index/index?scene=${encodeURIComponent('s=nosuchcode')}`);
    await page.getByRole('alert').getByText('这个二维码打不开').waitFor();
    await page.getByText('请对准工作室门口的二维码重新扫一次').waitFor();
    // No toast on top of the page, no list pretending nothing happened.
    expect(await page.locator('.taro__toast').isVisible()).toBe(false);
    expect(await page.locator('.studio-card').count()).toBe(0);
    await page.getByRole('button', { name: '回到首页，查看全部工作室' }).click();
    await page.locator('.studio-card', { hasText: studio.name }).waitFor();
    await context.close();
  });

  it('offline, the studio says the network is down with 重新加载; a server error says it is not the resident’s fault', async () => {
    const { context, page } = await phone();
    await page.route('**/api/v1/studios/*', (route) => route.abort('internetdisconnected'));
    await page.goto(`${base}/app/pages/studio/index?id=${studio.id}`);
    await page.getByRole('alert').getByText('网络连接失败').waitFor();
    await page.getByText('请检查手机是否连上了网络').waitFor();
    await shot(page, '17-studio-offline');
    await page.unroute('**/api/v1/studios/*');
    await page.getByRole('button', { name: '重新加载' }).click();
    await page.locator('.studio-name').getByText(studio.name).waitFor();

    await page.route('**/api/v1/tickets?*', (route) =>
      route.fulfill({ status: 500, contentType: 'application/json', body: '{"code":"INTERNAL_ERROR"}' }),
    );
    await page.getByRole('link', { name: '我的留言' }).click();
    await page.getByRole('alert').getByText('服务器暂时出了问题').waitFor();
    await shot(page, '18-mine-server-error');
    await page.getByRole('button', { name: '回到首页，查看全部工作室' }).click();
    await page.locator('.studio-card').first().waitFor();
    await context.close();
  });

  it('offline, a ticket whose page code cannot be downloaded says so with 重试, which opens it once back online', async () => {
    const { context, page } = await phone();
    await page.goto(`${base}/app/pages/mine/index`);
    const card = page.locator('.ticket-card', { hasText: tickets.answered.no });
    await card.waitFor();
    await context.setOffline(true);
    await card.getByRole('link').click();
    const dialog = page.getByRole('alertdialog');
    await dialog.getByText('网络连接失败，页面没有打开').waitFor();
    await shot(page, '19-page-code-offline');
    await context.setOffline(false);
    await dialog.getByRole('button', { name: '重试' }).click();
    await page.getByText('办理进度').waitFor();
    await page.locator('.ticket-card__no', { hasText: tickets.answered.no }).waitFor();
    await context.close();
  });
});

import { BusinessCalendar, chinaDate } from '../src/lib/china-calendar';
import { startTestStack, type TestStack } from './helpers/app';
import { idempotencyKey, signInAdmin, signInResident, type Caller } from './helpers/actors';

const DAY_MS = 86_400_000;
/** An instant in China time (UTC+8), as people there read it. */
const china = (local: string) => new Date(`${local}+08:00`);
/** The end of a China day: the working-day deadline's instant. */
const endOf = (date: string) => china(`${date}T23:59:59.999`);

describe('working-day deadlines by China’s official calendar', () => {
  const calendar = new BusinessCalendar();

  it('skips the Spring Festival holiday and counts its 调休 Saturday', () => {
    // Friday 13 Feb 2026; the 14th (Saturday) is a make-up workday, the 15th–23rd are the holiday.
    expect(calendar.workdayDeadline(china('2026-02-13T10:00:00'), 3)).toEqual(endOf('2026-02-25'));
    expect(calendar.isWorkday('2026-02-14')).toBe(true);
    expect(calendar.isWorkday('2026-02-16')).toBe(false);
  });

  it('skips the National Day week and counts the make-up Saturday after it', () => {
    expect(calendar.workdayDeadline(china('2026-09-30T16:00:00'), 2)).toEqual(endOf('2026-10-09'));
    // A question in on Friday 9 Oct with one working day: Saturday the 10th is a workday that year.
    expect(calendar.workdayDeadline(china('2026-10-09T09:00:00'), 1)).toEqual(endOf('2026-10-10'));
    // And a Sunday that is a workday (20 Sep 2026) counts too.
    expect(calendar.workdayDeadline(china('2026-09-19T11:00:00'), 1)).toEqual(endOf('2026-09-20'));
  });

  it('counts an ordinary weekend out, and the day of submission never', () => {
    expect(calendar.workdayDeadline(china('2026-03-06T08:00:00'), 1)).toEqual(endOf('2026-03-09'));
    // Late at night in China is the next UTC day already: the China date decides.
    expect(chinaDate(china('2026-03-10T23:30:00'))).toBe('2026-03-10');
    expect(calendar.workdayDeadline(china('2026-03-10T23:30:00'), 1)).toEqual(endOf('2026-03-11'));
  });

  it('follows the office’s overrides over the built-in arrangement', () => {
    const overridden = new BusinessCalendar(
      new Map([
        ['2027-02-08', { workday: false, name: '春节' }],
        ['2027-02-06', { workday: true, name: '春节调休上班' }],
      ]),
    );
    // Friday 5 Feb 2027: Saturday the 6th works, Monday the 8th is off.
    expect(overridden.workdayDeadline(china('2027-02-05T10:00:00'), 2)).toEqual(endOf('2027-02-09'));
    expect(overridden.specialDays(2027)).toEqual([
      { date: '2027-02-06', workday: true, name: '春节调休上班', source: 'override' },
      { date: '2027-02-08', workday: false, name: '春节', source: 'override' },
    ]);
  });
});

describe('studios that count working days, and the office’s calendar', () => {
  let stack: TestStack;
  let admin: Caller;
  let resident: Caller;
  let studioId: string;

  const call = (
    caller: Caller,
    method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH',
    url: string,
    payload?: object,
    headers = {},
  ) =>
    stack.app.inject({
      method,
      url: `/api/v1${url}`,
      headers: { ...caller.headers, ...headers },
      ...(payload ? { payload } : {}),
    });

  beforeAll(async () => {
    stack = await startTestStack();
    admin = await signInAdmin(stack.app);
    resident = await signInResident(stack.app, 'calendar-resident');
    const created = await call(admin, 'POST', '/admin/studios', {
      name: '许村镇委员工作室',
      kind: 'town',
      town: '许村镇',
      slaUnit: 'workdays',
      slaWorkdays: 2,
    });
    expect(created.statusCode).toBe(201);
    studioId = (created.json() as { id: string }).id;
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('shows the studio’s deadline in working days on its public page', async () => {
    const page = await stack.app.inject({ method: 'GET', url: `/api/v1/studios/${studioId}` });
    expect(page.json()).toMatchObject({ slaUnit: 'workdays', slaWorkdays: 2 });
  });

  it('gives a new ticket the end of its second working day, skipping the days the office declared off', async () => {
    // The next six China days, each decided by the office, so the answer does not depend on today's weekday.
    const today = chinaDate(Date.now());
    const day = (n: number) => chinaDate(Date.parse(`${today}T12:00:00+08:00`) + n * DAY_MS);
    const plan: [number, boolean][] = [
      [1, false],
      [2, false],
      [3, false],
      [4, true],
      [5, false],
      [6, true],
    ];
    for (const [n, workday] of plan) {
      const res = await call(admin, 'PUT', `/admin/calendar/days/${day(n)}`, {
        workday,
        name: workday ? '调休上班' : '放假',
      });
      expect(res.statusCode).toBe(200);
    }
    const submitted = await call(
      resident,
      'POST',
      '/tickets',
      { studioId, category: 'consult', content: '春节期间社区卫生服务站是否正常开放？' },
      { 'idempotency-key': idempotencyKey() },
    );
    expect(submitted.statusCode).toBe(201);
    expect(new Date((submitted.json() as { dueAt: string }).dueAt)).toEqual(endOf(day(6)));
  });

  it('lists a year’s holidays and make-up workdays, says when the built-in data lacks a year, and keeps overrides', async () => {
    const year = await call(admin, 'GET', '/admin/calendar?year=2026');
    expect(year.statusCode).toBe(200);
    const body = year.json() as {
      official: boolean;
      days: { date: string; workday: boolean; name: string; source: string }[];
    };
    expect(body.official).toBe(true);
    expect(body.days).toContainEqual({ date: '2026-02-14', workday: true, name: '春节调休上班', source: 'official' });
    expect(body.days).toContainEqual({ date: '2026-10-01', workday: false, name: '国庆节', source: 'official' });

    const future = await call(admin, 'GET', '/admin/calendar?year=2099');
    expect(future.json()).toEqual({ year: 2099, official: false, days: [] });
    const set = await call(admin, 'PUT', '/admin/calendar/days/2099-01-02', { workday: false, name: '元旦' });
    expect(set.json()).toMatchObject({
      official: false,
      days: [{ date: '2099-01-02', workday: false, name: '元旦', source: 'override' }],
    });
    const cleared = await call(admin, 'DELETE', '/admin/calendar/days/2099-01-02');
    expect(cleared.json()).toMatchObject({ days: [] });
    const again = await call(admin, 'DELETE', '/admin/calendar/days/2099-01-02');
    expect(again.statusCode).toBe(404);
  });

  it('refuses a date that does not exist, and everyone but admins', async () => {
    const bad = await call(admin, 'PUT', '/admin/calendar/days/2027-02-30', { workday: false, name: '放假' });
    expect(bad.statusCode).toBe(400);
    expect((bad.json() as { message: string }).message).toBe('日期不存在，请检查');
    const malformed = await call(admin, 'PUT', '/admin/calendar/days/next-monday', { workday: false, name: '放假' });
    expect(malformed.statusCode).toBe(400);
    const byResident = await call(resident, 'PUT', '/admin/calendar/days/2027-02-08', { workday: false, name: '春节' });
    expect(byResident.statusCode).toBe(403);
  });
});

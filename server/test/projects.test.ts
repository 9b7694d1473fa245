import ExcelJS from 'exceljs';
import type { DutyProject, MemberProfile } from '@mashangshang/shared';
import { startTestStack, type TestStack } from './helpers/app';
import { signInAdmin, type Caller } from './helpers/actors';
import { seedDemoData } from '../src/seed/seed';

describe('duty projects and service items', () => {
  let stack: TestStack;
  let admin: Caller;
  let studioId: string;
  let otherStudioId: string;
  let memberA: { id: string; name: string };
  let memberB: { id: string; name: string };

  const inject = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
    stack.app.inject({ method, url, payload, headers: admin.headers });
  const csvLines = (payload: Buffer) => payload.subarray(3).toString('utf8').trimEnd().split('\r\n');
  const profile = async (id: string) =>
    (await stack.app.inject({ method: 'GET', url: `/api/v1/members/${id}` })).json() as MemberProfile;

  beforeAll(async () => {
    stack = await startTestStack();
    await seedDemoData(stack.app.models);
    admin = await signInAdmin(stack.app);
    const studio = await stack.app.models.Studio.findOne({ code: 'hnyw' }).lean();
    const other = await stack.app.models.Studio.findOne({ code: 'hnxs' }).lean();
    studioId = String(studio!._id);
    otherStudioId = String(other!._id);
    const a = await stack.app.models.Member.findOne({ studioIds: studio!._id }).lean();
    const b = await stack.app.models.Member.findOne({ studioIds: other!._id }).lean();
    memberA = { id: String(a!._id), name: a!.name };
    memberB = { id: String(b!._id), name: b!.name };
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('lets admins declare, edit and retire duty projects, listed by member, studio and year', async () => {
    const created = await Promise.all([
      inject('POST', '/api/v1/admin/projects', {
        memberId: memberA.id,
        year: 2026,
        title: '专家义诊进村社',
        summary: '每月一次，覆盖 12 个行政村',
      }),
      inject('POST', '/api/v1/admin/projects', { memberId: memberA.id, year: 2025, title: '慢病随访志愿服务' }),
      inject('POST', '/api/v1/admin/projects', { memberId: memberB.id, year: 2026, title: '老旧小区加装电梯协商' }),
    ]);
    expect(created.map((r) => r.statusCode)).toEqual([201, 201, 201]);
    const [first] = created.map((r) => r.json() as DutyProject);
    expect(first).toMatchObject({
      member: memberA,
      year: 2026,
      title: '专家义诊进村社',
      summary: '每月一次，覆盖 12 个行政村',
      active: true,
    });

    const list = async (query: string) =>
      ((await inject('GET', `/api/v1/admin/projects${query}`)).json() as { items: DutyProject[] }).items
        .map((p) => p.title)
        .sort();
    expect(await list(`?memberId=${memberA.id}`)).toEqual(['专家义诊进村社', '慢病随访志愿服务']);
    expect(await list(`?studioId=${otherStudioId}`)).toEqual(['老旧小区加装电梯协商']);
    expect(await list('?year=2026')).toEqual(['专家义诊进村社', '老旧小区加装电梯协商']);
    expect(await list(`?studioId=${otherStudioId}&memberId=${memberA.id}`)).toEqual([]);

    const edited = await inject('PATCH', `/api/v1/admin/projects/${first!.id}`, { title: '专家义诊进村社（扩面）' });
    expect(edited.json()).toMatchObject({ title: '专家义诊进村社（扩面）', year: 2026 });
    const retired = await inject('PATCH', `/api/v1/admin/projects/${created[1]!.json().id}`, { active: false });
    expect(retired.json().active).toBe(false);
    expect(await list('?active=true')).toEqual(['专家义诊进村社（扩面）', '老旧小区加装电梯协商']);

    expect(
      (
        await inject('POST', '/api/v1/admin/projects', {
          memberId: '0123456789abcdef01234567',
          year: 2026,
          title: '无人',
        })
      ).json().code,
    ).toBe('MEMBER_NOT_FOUND');
    expect((await inject('PATCH', '/api/v1/admin/projects/0123456789abcdef01234567', { title: '无' })).statusCode).toBe(
      404,
    );
  });

  it('shows a member’s studios and active projects on their public page, newest year first', async () => {
    const page = await profile(memberA.id);
    expect(page).toMatchObject({ id: memberA.id, name: memberA.name, studios: [{ id: studioId }] });
    expect(page.projects.map((p) => [p.year, p.title])).toEqual([[2026, '专家义诊进村社（扩面）']]);
    expect(JSON.stringify(page)).not.toMatch(/phone|openid|userId/i);
    // Members listed on a studio page lead to their own page.
    const studio = (await stack.app.inject({ method: 'GET', url: `/api/v1/studios/${studioId}` })).json() as {
      members: { id: string }[];
    };
    expect(studio.members.map((m) => m.id)).toContain(memberA.id);

    await inject('PATCH', `/api/v1/admin/members/${memberB.id}`, { active: false });
    expect((await stack.app.inject({ method: 'GET', url: `/api/v1/members/${memberB.id}` })).statusCode).toBe(404);
  });

  it('exports duty projects as CSV and XLSX', async () => {
    const csv = await inject('GET', '/api/v1/admin/projects/export?format=csv&year=2026');
    expect(csv.statusCode).toBe(200);
    const lines = csvLines(csv.rawPayload);
    expect(lines[0]).toBe('年度,委员,所属工作室,项目名称,项目简介,状态,登记时间');
    expect(lines).toHaveLength(3);
    expect(lines.some((l) => l.startsWith(`2026,${memberA.name},`) && l.includes('专家义诊进村社（扩面）'))).toBe(true);

    const xlsx = await inject('GET', '/api/v1/admin/projects/export?format=xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.rowCount).toBe(4);
    const statuses = [2, 3, 4].map((r) => String(sheet.getRow(r).getCell(6).value)).sort();
    expect(statuses).toEqual(['在用', '在用', '已撤回']);
  });

  it('exports every studio’s service items, retired ones on request', async () => {
    const studios = await stack.app.models.Studio.find({}).lean();
    const active = studios.reduce((n, s) => n + s.serviceItems.filter((i) => i.active).length, 0);
    const studio = studios.find((s) => String(s._id) === studioId)!;
    // Retire one item: an update that leaves it out.
    const kept = studio.serviceItems
      .filter((i) => i.active)
      .slice(1)
      .map((i) => ({ id: String(i._id), title: i.title, summary: i.summary }));
    expect((await inject('PATCH', `/api/v1/admin/studios/${studioId}`, { serviceItems: kept })).statusCode).toBe(200);

    const csv = csvLines((await inject('GET', '/api/v1/admin/service-items/export?format=csv')).rawPayload);
    expect(csv[0]).toBe('工作室,镇街/界别,服务项目,简介,状态');
    expect(csv).toHaveLength(active - 1 + 1);
    const all = csvLines(
      (await inject('GET', '/api/v1/admin/service-items/export?format=csv&includeRetired=true')).rawPayload,
    );
    expect(all).toHaveLength(active + 1);
    expect(all.filter((l) => l.endsWith(',已停用'))).toHaveLength(1);
    // The studio page shows only the items still offered.
    const page = (await stack.app.inject({ method: 'GET', url: `/api/v1/studios/${studioId}` })).json() as {
      serviceItems: { title: string }[];
    };
    expect(page.serviceItems.map((i) => i.title)).toEqual(kept.map((i) => i.title));
  });
});

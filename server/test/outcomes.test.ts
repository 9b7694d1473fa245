import ExcelJS from 'exceljs';
import type { OutcomeRecord } from '@mashangshang/shared';
import { startTestStack, type TestStack } from './helpers/app';
import { idempotencyKey, signInAdmin, signInMember, signInResident, type Caller } from './helpers/actors';
import { recordOutcome, repairOutcomeRecords } from '../src/modules/outcomes/records';

describe('三转 records', () => {
  let stack: TestStack;
  let admin: Caller;
  let member: Caller;
  let resident: Caller;
  let studioId: string;

  const inject = (caller: Caller, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
    stack.app.inject({ method, url, payload, headers: caller.headers });
  const answeredTicket = async (content: string) => {
    const submitted = await stack.app.inject({
      method: 'POST',
      url: '/api/v1/tickets',
      headers: { ...resident.headers, 'idempotency-key': idempotencyKey() },
      payload: { studioId, category: 'suggest', content },
    });
    const id = submitted.json().id as string;
    expect(
      (await inject(member, 'POST', `/api/v1/tickets/${id}/replies`, { content: '收到，我们会把这件事带到协商会上。' }))
        .statusCode,
    ).toBe(201);
    return { id, no: submitted.json().no as string };
  };
  const list = async (query = '') =>
    (await inject(admin, 'GET', `/api/v1/admin/outcomes${query}`)).json() as {
      items: OutcomeRecord[];
      nextCursor: string | null;
    };

  beforeAll(async () => {
    stack = await startTestStack({ RATE_LIMIT_SUBMIT_PER_HOUR: '1000' });
    admin = await signInAdmin(stack.app);
    const studio = await inject(admin, 'POST', '/api/v1/admin/studios', {
      name: '三转测试工作室',
      kind: 'town',
      town: '三转镇',
    });
    studioId = studio.json().id;
    const m = await inject(admin, 'POST', '/api/v1/admin/members', {
      name: '三转委员',
      title: '委员',
      studioIds: [studioId],
    });
    member = await signInMember(stack.app, admin, m.json().id, 'outcome-member');
    resident = await signInResident(stack.app, 'outcome-resident');
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('records a ticket resolved into a proposal, once, with its title and number; none for a plain resolve', async () => {
    const ticket = await answeredTicket('建议在镇中心小学门口设置上下学时段的临时停车区，缓解接送拥堵。');
    const plain = await answeredTicket('请问镇里的图书馆周末几点开门？');
    expect(
      (
        await inject(member, 'POST', `/api/v1/tickets/${ticket.id}/resolve`, {
          outcome: 'proposal',
          note: '已形成提案',
        })
      ).statusCode,
    ).toBe(200);
    expect((await inject(member, 'POST', `/api/v1/tickets/${plain.id}/resolve`, { outcome: 'none' })).statusCode).toBe(
      200,
    );

    const { items } = await list();
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      ticketId: ticket.id,
      ticketNo: ticket.no,
      kind: 'proposal',
      status: 'recorded',
      where: '',
      studio: { id: studioId, name: '三转测试工作室' },
    });
    expect(items[0]!.title.startsWith('建议在镇中心小学门口')).toBe(true);
    expect([...items[0]!.title].length).toBeLessThanOrEqual(41);

    // Recording again (a retried resolve, a repair) changes nothing.
    const stored = await stack.app.models.Ticket.findById(ticket.id).lean();
    await recordOutcome(stack.app.models, stored!, '系统');
    await recordOutcome(stack.app.models, stored!, '系统');
    expect((await list()).items).toHaveLength(1);
  });

  it('keeps one record when two resolves race, and follows a re-resolve into another kind', async () => {
    const ticket = await answeredTicket('村里的老年活动中心年久失修，希望能纳入服务项目。');
    const both = await Promise.all([
      inject(member, 'POST', `/api/v1/tickets/${ticket.id}/resolve`, { outcome: 'service_project' }),
      inject(admin, 'POST', `/api/v1/tickets/${ticket.id}/resolve`, { outcome: 'service_project' }),
    ]);
    expect(both.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect((await list('?kind=service_project')).items.filter((r) => r.ticketId === ticket.id)).toHaveLength(1);

    expect(
      (await inject(resident, 'POST', `/api/v1/tickets/${ticket.id}/reopen`, { reason: '还需要再协商一下' }))
        .statusCode,
    ).toBe(200);
    await inject(member, 'POST', `/api/v1/tickets/${ticket.id}/replies`, { content: '已提交协商会讨论。' });
    await inject(member, 'POST', `/api/v1/tickets/${ticket.id}/resolve`, { outcome: 'consultation' });
    const records = (await list()).items.filter((r) => r.ticketId === ticket.id);
    expect(records).toHaveLength(1);
    expect(records[0]!.kind).toBe('consultation');
    expect(records[0]!.history.map((h) => h.status)).toEqual(['recorded', 'recorded']);
  });

  it('lets admins follow a record up: status and where it went, with history, filters and pages', async () => {
    const [record] = (await list('?kind=proposal')).items;
    const patched = await inject(admin, 'PATCH', `/api/v1/admin/outcomes/${record!.id}`, {
      status: 'filed',
      where: '县政协提案委员会（第 23 号提案）',
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ status: 'filed', where: '县政协提案委员会（第 23 号提案）' });
    const again = await inject(admin, 'PATCH', `/api/v1/admin/outcomes/${record!.id}`, {
      status: 'completed',
      note: '已答复',
    });
    expect(again.json()).toMatchObject({
      status: 'completed',
      where: '县政协提案委员会（第 23 号提案）',
      note: '已答复',
    });
    expect((again.json() as OutcomeRecord).history.map((h) => [h.status, h.actorName])).toEqual([
      ['recorded', '三转委员'],
      ['filed', '系统管理员'],
      ['completed', '系统管理员'],
    ]);

    expect((await list('?status=completed')).items.map((r) => r.id)).toEqual([record!.id]);
    expect((await list('?status=adopted')).items).toEqual([]);
    expect((await list(`?studioId=${studioId}`)).items).toHaveLength(2);
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    expect((await list(`?from=${today}&to=${today}`)).items).toHaveLength(2);
    expect((await list('?from=2020-01-01&to=2020-01-02')).items).toHaveLength(0);
    const first = await list('?limit=1');
    expect(first.items).toHaveLength(1);
    const second = await list(`?limit=1&cursor=${first.nextCursor}`);
    expect(second.items).toHaveLength(1);
    expect(second.items[0]!.id).not.toBe(first.items[0]!.id);
    expect(second.nextCursor).toBeNull();

    const missing = await inject(admin, 'PATCH', '/api/v1/admin/outcomes/0123456789abcdef01234567', {
      status: 'adopted',
    });
    expect(missing.statusCode).toBe(404);
  });

  it('exports the records as CSV and XLSX', async () => {
    const csv = await inject(admin, 'GET', '/api/v1/admin/outcomes/export?format=csv');
    expect(csv.statusCode).toBe(200);
    expect(csv.rawPayload.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(true);
    const lines = csv.rawPayload.subarray(3).toString('utf8').trimEnd().split('\r\n');
    expect(lines[0]).toBe('留言编号,工作室,转化类型,标题,去向,状态,备注,登记时间,更新时间');
    expect(lines).toHaveLength(3);
    expect(lines.some((l) => l.includes('转提案') && l.includes('已办结') && l.includes('县政协提案委员会'))).toBe(
      true,
    );

    const xlsx = await inject(admin, 'GET', '/api/v1/admin/outcomes/export?format=xlsx&kind=consultation');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.rowCount).toBe(2);
    expect(sheet.getRow(2).getCell(3).value).toBe('转协商建议');
  });

  it('adds records a crash left out when the nightly repair runs', async () => {
    const ticket = await answeredTicket('建议镇卫生院增设夜间门诊，方便上班族看病。');
    await inject(member, 'POST', `/api/v1/tickets/${ticket.id}/resolve`, { outcome: 'public_opinion' });
    await stack.app.models.Outcome.deleteOne({ ticketId: ticket.id });
    expect(await repairOutcomeRecords(stack.app.models)).toBe(1);
    expect(await repairOutcomeRecords(stack.app.models)).toBe(0);
    expect((await list('?kind=public_opinion')).items.map((r) => r.ticketId)).toEqual([ticket.id]);
  });
});

import { startTestStack, type TestStack } from './helpers/app';
import { idempotencyKey, signInResident, type Caller } from './helpers/actors';
import { seedDemoData } from '../src/seed/seed';
import { chinaDay } from '../src/workflow/numbering';

/** Ticket numbers (HN<day>-<seq>) are what residents quote on the phone: unique, and in order. */
describe('ticket numbers', () => {
  let stack: TestStack;
  let studioId: string;
  let residents: Caller[];

  beforeAll(async () => {
    stack = await startTestStack({ RATE_LIMIT_SUBMIT_PER_HOUR: '1000' });
    await seedDemoData(stack.app.models);
    studioId = String((await stack.app.models.Studio.findOne({ code: 'hnyw' }).lean())!._id);
    residents = await Promise.all(
      Array.from({ length: 20 }, (_, i) => signInResident(stack.app, `numbers-resident-${i}`)),
    );
  });
  afterAll(async () => {
    await stack?.close();
  });

  const post = (resident: Caller) =>
    stack.app.inject({
      method: 'POST',
      url: '/api/v1/tickets',
      payload: { studioId, category: 'consult', content: '请问社区老年食堂什么时候开始供应晚餐？' },
      headers: { ...resident.headers, 'idempotency-key': idempotencyKey() },
    });
  const submit = async (resident: Caller): Promise<string> => {
    const res = await post(resident);
    expect(res.statusCode).toBe(201);
    return res.json().no as string;
  };
  const seqOf = (no: string) => Number(no.split('-')[1]);
  const highestStored = async () =>
    Math.max(...(await stack.app.models.Ticket.find({}, { no: 1 }).lean()).map((t) => seqOf(t.no)));
  const counterKey = () => `ticket-no:HN${chinaDay(new Date())}`;

  it('gives twenty residents submitting at once twenty consecutive numbers of the day', async () => {
    const numbers = await Promise.all(residents.map(submit));
    expect(new Set(numbers).size).toBe(20);
    for (const no of numbers) expect(no).toMatch(new RegExp(`^HN${chinaDay(new Date())}-\\d{4}$`));
    const seqs = numbers.map(seqOf).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 20 }, (_, i) => seqs[0]! + i));
  });

  it('continues after the highest stored number when Redis lost its counter', async () => {
    const before = await highestStored();
    await stack.app.redis.del(counterKey());
    expect(seqOf(await submit(residents[0]!))).toBe(before + 1);
    expect(seqOf(await submit(residents[1]!))).toBe(before + 2);
  });

  it('skips past stored numbers when Redis came back with an older counter', async () => {
    const before = await highestStored();
    await stack.app.redis.set(counterKey(), String(before - 5));
    const numbers = await Promise.all(residents.slice(0, 5).map(submit));
    expect(new Set(numbers).size).toBe(5);
    expect(Math.min(...numbers.map(seqOf))).toBeGreaterThan(before);
  });

  it('still numbers tickets while Redis is down, and Redis carries on from there', async () => {
    const before = await highestStored();
    await stack.services.redis.stop();
    let during: string[];
    try {
      during = [await submit(residents[2]!), await submit(residents[3]!)];
    } finally {
      await stack.services.redis.restart();
    }
    expect(during.map(seqOf)).toEqual([before + 1, before + 2]);
    // The restarted Redis kept its (older) counter or lost it: either way the next number is new.
    let after: string | null = null;
    for (let attempt = 0; attempt < 50 && after === null; attempt++) {
      const res = await post(residents[4]!);
      if (res.statusCode === 201) after = res.json().no as string;
      else await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(seqOf(after!)).toBeGreaterThan(before + 2);
  });
});

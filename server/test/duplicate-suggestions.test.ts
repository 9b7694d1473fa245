import { rankBySimilarity } from '../src/lib/text-similarity';
import { labelledTickets } from './fixtures/duplicate-tickets';
import { startTestStack, type TestStack } from './helpers/app';
import { idempotencyKey, signInAdmin, signInMember, signInResident, type Caller } from './helpers/actors';

/** The share of tickets whose top suggestion is a ticket of the same matter, over a labelled set. */
function topSuggestionPrecision(tickets = labelledTickets()) {
  let suggested = 0;
  let correct = 0;
  tickets.forEach((ticket, i) => {
    const others = tickets.filter((_, j) => j !== i);
    const [top] = rankBySimilarity(ticket.text, others, (other) => other.text, { limit: 1 });
    if (!top) return;
    suggested += 1;
    if (top.item.group === ticket.group) correct += 1;
  });
  return { tickets: tickets.length, suggested, precision: correct / Math.max(1, suggested) };
}

describe('duplicate suggestions', () => {
  it('suggests a ticket of the same matter first for at least 80% of a labelled set of 250 civic tickets', () => {
    const { tickets, suggested, precision } = topSuggestionPrecision();
    console.log(
      `duplicates: ${tickets} labelled tickets, ${suggested} with a suggestion, top-1 precision ${precision.toFixed(3)}`,
    );
    expect(tickets).toBeGreaterThanOrEqual(200);
    expect(suggested).toBe(tickets);
    expect(precision).toBeGreaterThanOrEqual(0.8);
  });

  describe('GET /tickets/:id/similar', () => {
    let stack: TestStack;
    let admin: Caller;
    let member: Caller;
    let resident: Caller;
    const studios: Record<'town' | 'neighbour', string> = { town: '', neighbour: '' };
    const ids: Record<string, string> = {};

    const call = (caller: Caller, url: string) =>
      stack.app.inject({ method: 'GET', url: `/api/v1${url}`, headers: caller.headers });
    const submit = async (key: string, studioId: string, content: string) => {
      const res = await stack.app.inject({
        method: 'POST',
        url: '/api/v1/tickets',
        headers: { ...resident.headers, 'idempotency-key': idempotencyKey() },
        payload: { studioId, category: 'help', content },
      });
      expect(res.statusCode).toBe(201);
      ids[key] = (res.json() as { id: string }).id;
    };

    beforeAll(async () => {
      stack = await startTestStack();
      admin = await signInAdmin(stack.app);
      for (const [key, body] of Object.entries({
        town: { name: '许村镇委员集体工作室', kind: 'town', town: '许村镇' },
        neighbour: { name: '许村镇青年委员工作室', kind: 'town', town: '许村镇' },
      })) {
        const res = await stack.app.inject({
          method: 'POST',
          url: '/api/v1/admin/studios',
          headers: admin.headers,
          payload: body,
        });
        studios[key as 'town' | 'neighbour'] = (res.json() as { id: string }).id;
      }
      const created = await stack.app.inject({
        method: 'POST',
        url: '/api/v1/admin/members',
        headers: admin.headers,
        payload: { name: '许村委员', title: '委员', studioIds: [studios.town] },
      });
      member = await signInMember(stack.app, admin, (created.json() as { id: string }).id, 'similar-member');
      resident = await signInResident(stack.app, 'similar-resident');
      await submit('lights', studios.town, '许村镇荡湾村文化礼堂门口的路灯坏了好几天，晚上老人跳舞看不清路。');
      await submit('lightsAgain', studios.town, '荡湾村文化礼堂旁边路灯一直不亮，天黑以后走路很危险，请修一修。');
      await submit('lightsNeighbour', studios.neighbour, '反映一下荡湾村文化礼堂的路灯不亮，已经一个星期了。');
      await submit('noise', studios.town, '许村镇新塘路工地晚上施工噪音太大，孩子没法睡觉。');
      await submit('bus', studios.town, '希望在许村镇中心小学门口增设一个公交站，孩子上学太远。');
    });
    afterAll(async () => {
      await stack?.close();
    });

    it('gives an admin the same matter from the town’s studios first, with the words that match', async () => {
      const res = await call(admin, `/tickets/${ids.lights}/similar`);
      expect(res.statusCode).toBe(200);
      const items = (
        res.json() as { items: { id: string; sharedWords: string[]; score: number; studioName: string }[] }
      ).items;
      expect(
        items
          .map((i) => i.id)
          .slice(0, 2)
          .sort(),
      ).toEqual([ids.lightsAgain, ids.lightsNeighbour].sort());
      expect(items.map((i) => i.id)).not.toContain(ids.lights);
      expect(items.map((i) => i.id)).not.toContain(ids.bus);
      expect(items[0]!.sharedWords).toEqual(expect.arrayContaining(['路灯']));
      expect(items[0]!.sharedWords.some((w) => w.includes('荡湾村'))).toBe(true);
    });

    it('shows a member only what they may open, and nobody else anything', async () => {
      const res = await call(member, `/tickets/${ids.lights}/similar`);
      expect(res.statusCode).toBe(200);
      const items = (res.json() as { items: { id: string }[] }).items.map((i) => i.id);
      expect(items[0]).toBe(ids.lightsAgain);
      // The neighbouring studio's ticket is not the member's to see.
      expect(items).not.toContain(ids.lightsNeighbour);
      expect((await call(resident, `/tickets/${ids.lights}/similar`)).statusCode).toBe(403);
      expect((await call(member, `/tickets/${ids.lightsNeighbour}/similar`)).statusCode).toBe(404);
    });
  });
});

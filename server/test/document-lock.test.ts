import { Redis } from 'ioredis';
import { withDocumentLock } from '../src/lib/document-lock';
import { startTestServices, type TestServices } from './helpers/services';

describe('document lock', () => {
  let services: TestServices;
  let redis: Redis;
  beforeAll(async () => {
    services = await startTestServices();
    redis = new Redis(services.redisUrl);
  });
  afterAll(async () => {
    redis?.disconnect();
    await services?.stop();
  });

  it('runs the work of one key one at a time', async () => {
    let inside = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 10 }, () =>
        withDocumentLock(redis, 'doc:a', async () => {
          inside += 1;
          most = Math.max(most, inside);
          await new Promise((resolve) => setTimeout(resolve, 10));
          inside -= 1;
        }),
      ),
    );
    expect(most).toBe(1);
  });

  it('keeps the lock while slow work outlasts its TTL, so no second writer gets in', async () => {
    // A TTL of 1 s, renewed every third of it: wide enough that a busy machine's late timer (the whole
    // suite runs on 2 cores) does not let it lapse, and the work still lasts 2.5 TTLs.
    const order: string[] = [];
    // 'slow done' is recorded inside the work, before the lock is released: recorded after `await slow`
    // it raced the second caller, whose lock reply can arrive in the same packet as the release's.
    const slow = withDocumentLock(
      redis,
      'doc:b',
      async () => {
        await new Promise((resolve) => setTimeout(resolve, 2500));
        order.push('slow done');
      },
      { ttlMs: 1000 },
    );
    await new Promise((resolve) => setTimeout(resolve, 1500));
    // Past the TTL the slow work still holds the lock: a second caller must wait for it.
    const second = withDocumentLock(redis, 'doc:b', async () => void order.push('second'), {
      ttlMs: 1000,
      waitMs: 5000,
    });
    await Promise.all([slow, second]);
    expect(order).toEqual(['slow done', 'second']);
    expect(await redis.exists('lock:doc:b')).toBe(0);
  });

  it('frees itself after the TTL when its holder is gone', async () => {
    await redis.set('lock:doc:c', 'a-dead-process', 'PX', 300);
    const started = Date.now();
    await withDocumentLock(redis, 'doc:c', async () => undefined, { waitMs: 3000 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
  });

  it('gives up with a 409 in Chinese when the lock stays busy', async () => {
    await redis.set('lock:doc:d', 'someone', 'PX', 5000);
    await expect(withDocumentLock(redis, 'doc:d', async () => undefined, { waitMs: 200 })).rejects.toMatchObject({
      statusCode: 409,
      userMessage: expect.stringContaining('稍后'),
    });
  });
});

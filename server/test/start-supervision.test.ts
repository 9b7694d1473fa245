/**
 * `npm start` as an office runs it on its own server: each child killed in turn under load (API,
 * worker, Redis, database) is started again while the rest keep serving; no accepted ticket and no
 * notice is lost, and /readyz reports the restarts.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findFreePort } from '../../scripts/services';

const repoRoot = path.resolve(__dirname, '../..');

async function until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('npm start supervises its children', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mss-supervise-'));
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('restarts each killed child while the rest serve, losing no ticket and no notice', async () => {
    const ports = {
      PORT: await findFreePort(),
      WECHAT_FAKE_PORT: await findFreePort(),
      MONGODB_PORT: await findFreePort(),
      REDIS_PORT: await findFreePort(),
    };
    const env = {
      ...process.env,
      ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
      DATA_DIR: dataDir,
      MONGODB_URI: '',
      REDIS_URL: '',
      ADMIN_PASSWORD: 'supervise-admin-pass',
      SUPERVISOR_BACKOFF_MS: '200',
      NOTIFY_SWEEP_INTERVAL_SECONDS: '2',
      NOTIFY_REQUEUE_AFTER_SECONDS: '3',
      NOTIFY_BACKOFF_MS: '200',
    };
    const start = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'scripts/start.ts')], {
      cwd: repoRoot,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    start.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    start.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => start.once('exit', (code) => resolve(code)));
    const base = `http://127.0.0.1:${ports.PORT}`;
    const api = async (method: string, url: string, token?: string, body?: unknown, headers: object = {}) => {
      const res = await fetch(`${base}/api/v1${url}`, {
        method,
        headers: {
          ...(body ? { 'content-type': 'application/json' } : {}),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...headers,
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(5000),
      });
      return { status: res.status, body: (await res.json().catch(() => null)) as Record<string, unknown> | null };
    };
    const status = () =>
      JSON.parse(fs.readFileSync(path.join(dataDir, 'supervisor.json'), 'utf8')) as {
        children: Record<string, { pid: number | null; restarts: number; state: string }>;
      };

    try {
      await until(async () => output.includes('is running'), 240_000, `npm start; output:\n${output}`);

      // A member of one studio, bound to WeChat: every ticket of that studio goes to them, with a notice.
      const admin = (
        await api('POST', '/auth/password', undefined, {
          username: 'admin',
          password: 'supervise-admin-pass',
        })
      ).body!.token as string;
      const studio = (await api('GET', '/studios?limit=1')).body!.items as { id: string }[];
      const studioId = studio[0]!.id;
      const created = await api('POST', '/admin/members', admin, {
        name: '值守委员',
        title: '委员',
        studioIds: [studioId],
      });
      const invite = await api('POST', `/admin/members/${String(created.body!.id)}/invites`, admin);
      const memberLogin = await api('POST', '/auth/wechat', undefined, { code: 'supervise-member' });
      const bound = await api('POST', '/auth/bind', memberLogin.body!.token as string, {
        inviteCode: invite.body!.inviteCode,
      });
      expect(bound.status).toBe(200);
      const member = bound.body!.token as string;
      const residents: string[] = [];
      for (let i = 0; i < 4; i += 1) {
        residents.push(
          (await api('POST', '/auth/wechat', undefined, { code: `supervise-resident-${i}` })).body!.token as string,
        );
      }

      // Residents keep submitting, each ticket retried with its Idempotency-Key until accepted.
      const accepted = new Set<string>();
      let loading = true;
      let turn = 0;
      const load = (async () => {
        while (loading) {
          const key = `supervise-${turn}`;
          const resident = residents[turn % residents.length]!;
          turn += 1;
          for (let attempt = 0; attempt < 100 && (loading || attempt === 0); attempt += 1) {
            const res = await api(
              'POST',
              '/tickets',
              resident,
              { studioId, category: 'help', content: `第 ${turn} 条：路口信号灯坏了，过马路很危险。` },
              { 'idempotency-key': key },
            ).catch(() => null);
            if (res && (res.status === 201 || res.status === 200)) {
              accepted.add(String(res.body!.id));
              break;
            }
            await new Promise((resolve) => setTimeout(resolve, 300));
          }
          await new Promise((resolve) => setTimeout(resolve, 400));
        }
      })();

      for (const name of ['api', 'worker', 'redis', 'database']) {
        const before = status().children[name]!;
        await until(async () => accepted.size > 0, 30_000, 'a ticket before the kill');
        process.kill(before.pid!, 'SIGKILL');
        await until(
          async () => {
            const now = status().children[name]!;
            return now.restarts === before.restarts + 1 && now.state === 'running';
          },
          90_000,
          `${name} to be restarted; output:\n${output}`,
        );
        await until(async () => (await fetch(`${base}/readyz`)).status === 200, 60_000, `readyz after ${name}`);
        const countBefore = accepted.size;
        await until(async () => accepted.size > countBefore, 60_000, `tickets accepted after ${name} came back`);
      }
      loading = false;
      await load;

      // Every accepted ticket is there, and the member has a notice of each.
      const tickets = new Set<string>();
      for (let cursor: string | null = null; ;) {
        const page = await api(
          'GET',
          `/tickets?studioId=${studioId}&limit=100${cursor ? `&cursor=${cursor}` : ''}`,
          admin,
        );
        for (const item of page.body!.items as { id: string }[]) tickets.add(item.id);
        cursor = page.body!.nextCursor as string | null;
        if (!cursor) break;
      }
      expect([...accepted].filter((id) => !tickets.has(id))).toEqual([]);
      await until(
        async () => {
          const about = new Set<string>();
          for (let cursor: string | null = null; ;) {
            const page = await api('GET', `/me/notifications?limit=100${cursor ? `&cursor=${cursor}` : ''}`, member);
            for (const n of page.body!.items as { ticketId: string }[]) about.add(n.ticketId);
            cursor = page.body!.nextCursor as string | null;
            if (!cursor) break;
          }
          return [...accepted].every((id) => about.has(id));
        },
        90_000,
        'a notice of every accepted ticket',
      );

      const ready = (await (await fetch(`${base}/readyz`)).json()) as {
        supervisor: { children: Record<string, { restarts: number }>; crashLooping: string[] };
      };
      for (const name of ['api', 'worker', 'redis', 'database'])
        expect(ready.supervisor.children[name]!.restarts).toBe(1);
      expect(ready.supervisor.crashLooping).toEqual([]);
      expect(output).toMatch(/api exited unexpectedly; restarting in/);
      console.log(
        `[supervise] ${accepted.size} tickets accepted while API, worker, Redis and database were each killed once`,
      );
    } finally {
      start.kill('SIGINT');
    }
    expect(await exited).toBe(0);
  }, 600_000);
});

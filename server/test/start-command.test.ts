import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findFreePort } from '../../scripts/services';
import { h5BuildState } from '../../scripts/lib/h5-build';

const repoRoot = path.resolve(__dirname, '../..');

function runStart(env: NodeJS.ProcessEnv): {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
} {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'scripts/start.ts')], {
    cwd: repoRoot,
    env: { ...process.env, ...env, MONGODB_URI: '', REDIS_URL: '', ADMIN_PASSWORD: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitFor(predicate: () => boolean, timeoutMs: number, describe: () => string = () => ''): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out; output so far:\n${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('npm start', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mss-start-'));
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('runs the product on embedded services, refuses a second start on the same DATA_DIR, and stops cleanly', async () => {
    const ports = {
      PORT: await findFreePort(),
      WECHAT_FAKE_PORT: await findFreePort(),
      MONGODB_PORT: await findFreePort(),
      REDIS_PORT: await findFreePort(),
    };
    const env = Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)]));
    const first = runStart({ ...env, DATA_DIR: dataDir });
    try {
      // After `npm run setup` the H5 app is built; were it missing or stale, start would build it first.
      await waitFor(() => first.output().includes('is running'), 240_000, first.output);
      expect(first.output()).toContain(`http://127.0.0.1:${ports.PORT}/docs`);
      // The residents' pages and the admin console are served at once, no extra command.
      expect(first.output()).toContain(`H5 app        http://127.0.0.1:${ports.PORT}/app/`);
      const app = await fetch(`http://127.0.0.1:${ports.PORT}/app/`);
      expect(app.status).toBe(200);
      expect(app.headers.get('content-type')).toMatch(/text\/html/);
      const index = await app.text();
      expect(index).toMatch(/<script[^>]+src="[^"]*js\/app\.[0-9a-f]+\.js"/);
      // A new build shows at once; its hashed files are cached for good and sent compressed.
      expect(app.headers.get('cache-control')).toBe('no-cache');
      const script = /src="(\/app\/js\/app\.[0-9a-f]+\.js)"/.exec(index)![1]!;
      const plain = await fetch(`http://127.0.0.1:${ports.PORT}${script}`, {
        headers: { 'accept-encoding': 'identity' },
      });
      const body = await plain.arrayBuffer();
      expect(plain.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      for (const encoding of ['br', 'gzip']) {
        const res = await fetch(`http://127.0.0.1:${ports.PORT}${script}`, {
          headers: { 'accept-encoding': encoding },
        });
        expect([res.headers.get('content-encoding'), res.headers.get('cache-control')]).toEqual([
          encoding,
          'public, max-age=31536000, immutable',
        ]);
        expect(Number(res.headers.get('content-length'))).toBeLessThan(body.byteLength / 2);
        // fetch undoes the encoding: the same script.
        expect(Buffer.from(await res.arrayBuffer()).equals(Buffer.from(body))).toBe(true);
      }
      expect(first.output()).toContain('Worker');
      expect(first.output()).toMatch(/password "demo-[0-9a-f]+"/);

      const ready = await fetch(`http://127.0.0.1:${ports.PORT}/readyz`);
      expect(ready.status).toBe(200);
      const studios = (await (await fetch(`http://127.0.0.1:${ports.PORT}/api/v1/studios?limit=100`)).json()) as {
        items: unknown[];
      };
      expect(studios.items.length).toBe(17);

      const second = runStart({ ...env, DATA_DIR: dataDir });
      expect(await second.exited).not.toBe(0);
      expect(second.output()).toMatch(/already running/);
      // The first one is unharmed.
      expect((await fetch(`http://127.0.0.1:${ports.PORT}/readyz`)).status).toBe(200);
    } finally {
      first.child.kill('SIGINT');
    }
    expect(await first.exited).toBe(0);
    await expect(fetch(`http://127.0.0.1:${ports.PORT}/healthz`)).rejects.toThrow();
    await expect(fetch(`http://127.0.0.1:${ports.WECHAT_FAKE_PORT}/__fake/stats`)).rejects.toThrow();
    expect(fs.existsSync(path.join(dataDir, '.lock'))).toBe(false);
  }, 300_000);

  it('knows when the H5 build is missing, stale or fresh', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mss-h5-state-'));
    try {
      const out = path.join(root, 'dist');
      const src = path.join(root, 'src');
      fs.mkdirSync(path.join(src, 'pages'), { recursive: true });
      fs.writeFileSync(path.join(src, 'pages', 'index.tsx'), 'export {};');
      expect(h5BuildState(out, [src])).toBe('missing');
      fs.mkdirSync(out);
      fs.writeFileSync(path.join(out, 'index.html'), '<html></html>');
      const at = (seconds: number) => new Date(Date.now() + seconds * 1000);
      fs.utimesSync(path.join(out, 'index.html'), at(1), at(1));
      expect(h5BuildState(out, [src])).toBe('fresh');
      // A source edited after the build.
      fs.utimesSync(path.join(src, 'pages', 'index.tsx'), at(2), at(2));
      expect(h5BuildState(out, [src])).toBe('stale');
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

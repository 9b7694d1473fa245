import { startFakeWechat } from './server';
import { DEV_PUSH_TOKEN } from '../../config';

/** Runs the fake WeChat server as its own process (used by `npm start`). */
async function main() {
  const port = Number(process.env.WECHAT_FAKE_PORT ?? 3100);
  const fake = await startFakeWechat({
    appId: process.env.WECHAT_APPID ?? 'wx-demo-appid',
    appSecret: process.env.WECHAT_SECRET ?? 'demo-app-secret',
    port,
    host: process.env.WECHAT_FAKE_HOST ?? '127.0.0.1',
    // Where image check verdicts go, as configured in WeChat's console for the real service.
    push: process.env.WECHAT_FAKE_PUSH_URL
      ? { url: process.env.WECHAT_FAKE_PUSH_URL, token: process.env.WECHAT_PUSH_TOKEN ?? DEV_PUSH_TOKEN }
      : undefined,
  });
  process.stdout.write(`fake WeChat server listening on ${fake.url}\n`);
  const shutdown = () => {
    fake.close().finally(() => process.exit(0));
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `fake WeChat server failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});

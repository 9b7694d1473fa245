import { loadConfigOrExit } from './config';
import { startWorkers } from './workers/runtime';

/** The worker process: `npm start` runs one beside the API; a deployment may run several. */
async function main() {
  const config = loadConfigOrExit();
  const running = await startWorkers(config);
  // Tell a supervising `npm start` (if any) that the workers are up.
  process.send?.({ ready: true });
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    running.deps.log.info({ signal }, 'worker closing');
    running.close(10_000).finally(() => process.exit(0));
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(
    `worker failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});

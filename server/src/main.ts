import closeWithGrace from 'close-with-grace';
import { loadConfigOrExit } from './config';
import { buildApp } from './app';
import { ensureAdminAccount } from './modules/auth/service';

/** The API process: reads configuration, listens, and closes gracefully on SIGTERM/SIGINT. */
async function main() {
  const config = loadConfigOrExit();

  const app = await buildApp(config);
  if (config.adminPassword) await ensureAdminAccount(app.models, config.adminPassword);

  closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'closing after an error');
    else app.log.info({ signal }, 'closing');
    await app.close();
  });

  await app.listen({ port: config.port, host: config.host });
}

main().catch((error: unknown) => {
  process.stderr.write(
    `API failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});

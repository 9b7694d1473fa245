import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Secrets for a local (non-production) run, generated once per DATA_DIR and kept there with
 * mode 0600, so tokens and the demo admin password survive restarts of `npm start`.
 */
export interface LocalSecrets {
  jwtSecret: string;
  adminPassword: string;
  phoneKey: string;
}

export function loadLocalSecrets(dataDir: string): LocalSecrets & { created: boolean } {
  const file = path.join(dataDir, 'secrets.json');
  if (fs.existsSync(file)) {
    const stored = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<LocalSecrets>;
    if (stored.jwtSecret && stored.adminPassword && stored.phoneKey) {
      return {
        jwtSecret: stored.jwtSecret,
        adminPassword: stored.adminPassword,
        phoneKey: stored.phoneKey,
        created: false,
      };
    }
  }
  const secrets: LocalSecrets = {
    jwtSecret: randomBytes(32).toString('base64url'),
    // Readable enough to type into the console's sign-in form.
    adminPassword: `demo-${randomBytes(6).toString('hex')}`,
    phoneKey: randomBytes(32).toString('base64'),
  };
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return { ...secrets, created: true };
}

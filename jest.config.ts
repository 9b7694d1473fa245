import path from 'node:path';
import type { Config } from 'jest';

// One Jest project per workspace, so `npm test` at the top runs everything.
// tsconfig has isolatedModules, so ts-jest transpiles only; `npm run typecheck` does the type checking.
// `cookie` (used by fastify's inject) ships ESM only, which Jest's CommonJS runtime cannot load:
// it is the one dependency we let ts-jest compile.
const tsTransform = {
  '^.+\\.tsx?$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }],
  '^.+/node_modules/cookie/.+\\.js$': [
    'ts-jest',
    { tsconfig: { allowJs: true, module: 'commonjs', isolatedModules: true } },
  ],
} satisfies Config['transform'];
const transformIgnorePatterns = ['/node_modules/(?!cookie/)'];
// This checkout's shared code: in a git worktree node_modules/@mashangshang/shared leads to the main checkout's.
const moduleNameMapper = { '^@mashangshang/shared$': path.join(__dirname, 'shared/src/index.ts') };

const config: Config = {
  maxWorkers: 2,
  // Server suites start their own database and Redis and restart them; give them room on 2 cores.
  testTimeout: 60_000,
  projects: [
    {
      displayName: 'shared',
      rootDir: '<rootDir>/shared',
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      transform: tsTransform,
      transformIgnorePatterns,
      moduleNameMapper,
      testEnvironment: 'node',
    },
    {
      displayName: 'server',
      rootDir: '<rootDir>/server',
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      transform: tsTransform,
      transformIgnorePatterns,
      moduleNameMapper,
      testEnvironment: 'node',
    },
    {
      displayName: 'miniprogram',
      rootDir: '<rootDir>/miniprogram',
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      transform: tsTransform,
      transformIgnorePatterns,
      moduleNameMapper,
      testEnvironment: 'node',
    },
  ],
};

export default config;

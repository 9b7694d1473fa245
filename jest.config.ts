import type { Config } from 'jest';

// One Jest project per workspace, so `npm test` at the top runs everything.
// ts-jest in isolatedModules mode transpiles only; `npm run typecheck` does the type checking.
const tsTransform = {
  '^.+\\.tsx?$': ['ts-jest', { isolatedModules: true, tsconfig: '<rootDir>/tsconfig.json' }],
} satisfies Config['transform'];

const config: Config = {
  maxWorkers: 2,
  projects: [
    {
      displayName: 'shared',
      rootDir: '<rootDir>/shared',
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      transform: tsTransform,
      testEnvironment: 'node',
    },
    {
      displayName: 'server',
      rootDir: '<rootDir>/server',
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      transform: tsTransform,
      testEnvironment: 'node',
      // Suites start their own database and Redis; give them room on a 2-core machine.
      testTimeout: 60_000,
    },
    {
      displayName: 'miniprogram',
      rootDir: '<rootDir>/miniprogram',
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      transform: tsTransform,
      testEnvironment: 'node',
    },
  ],
};

export default config;

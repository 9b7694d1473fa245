import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Every mongoose method that writes: none of them may be called on the Ticket model outside the workflow. */
const TICKET_WRITES =
  '/^(updateOne|updateMany|findOneAndUpdate|findByIdAndUpdate|findOneAndReplace|findOneAndDelete|findByIdAndDelete|' +
  'replaceOne|deleteOne|deleteMany|create|insertMany|bulkWrite|bulkSave)$/';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '.data/**',
      '.tools/**',
      'coverage/**',
      'test-artifacts/**',
      'bench-results/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    // CommonJS configuration files (dependency-cruiser's).
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly' } },
  },
  {
    files: ['**/test/**/*.ts', 'scripts/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    // One writer of tickets: every change goes through the workflow (server/src/workflow), which
    // takes the lock, guards the write and runs the effects. Reads are fine anywhere.
    files: ['server/src/**/*.ts'],
    ignores: ['server/src/workflow/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: `MemberExpression[object.property.name='Ticket'][property.name=${TICKET_WRITES}]`,
          message: 'Tickets are written only by the workflow: use changeTicket (server/src/workflow).',
        },
        {
          selector: "NewExpression[callee.property.name='Ticket']",
          message: 'Tickets are created only by the workflow: use insertTicket (server/src/workflow).',
        },
      ],
    },
  },
);

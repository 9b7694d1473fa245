import { execFile } from 'node:child_process';
import path from 'node:path';

/** One problem `redocly lint` would print: its rule, where (JSON pointers) and what. */
export interface LintProblem {
  ruleId: string;
  severity: 'error' | 'warn';
  pointers: string[];
  message: string;
}

// @redocly/openapi-core (the library behind `redocly lint`) ships ESM only, which Jest's CommonJS
// runtime cannot load (not even through createRequire), so the lint runs in a plain Node child.
// It reads the document on stdin and prints the problems as JSON.
const LINT_SCRIPT = `
import { createConfig, lintFromString } from '@redocly/openapi-core';
let source = '';
for await (const chunk of process.stdin) source += chunk;
const config = await createConfig(JSON.parse(process.argv[1]));
const problems = await lintFromString({ source, absoluteRef: 'openapi.json', config });
process.stdout.write(JSON.stringify(problems.map((p) => ({
  ruleId: p.ruleId,
  severity: p.severity,
  pointers: p.location.map((l) => l.pointer ?? '(document)'),
  message: p.message,
}))));
`;

const REPO_ROOT = path.resolve(__dirname, '../../..');

/** Lints an OpenAPI document (JSON or YAML text) with Redocly's `recommended` ruleset. */
export function lintOpenApi(source: string): Promise<LintProblem[]> {
  const config = JSON.stringify({ extends: ['recommended'] });
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      ['--input-type=module', '--eval', LINT_SCRIPT, config],
      { cwd: REPO_ROOT, timeout: 30_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`redocly lint failed: ${error.message}\n${stderr}`));
        else resolve(JSON.parse(stdout) as LintProblem[]);
      },
    );
    child.stdin?.end(source);
  });
}

import Ajv, { type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';

const common: Options = { removeAdditional: true, useDefaults: true, allErrors: false, strict: false };

/**
 * Query strings and path parameters arrive as text, so numbers there are coerced; JSON bodies are
 * not: `{"code": 42}` is a wrong type and gets a 400, never a silent conversion.
 */
export function installValidators(app: FastifyInstance): void {
  const textAjv = addFormats(new Ajv({ ...common, coerceTypes: 'array' }));
  const bodyAjv = addFormats(new Ajv({ ...common, coerceTypes: false }));
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? bodyAjv : textAjv).compile(schema));
}

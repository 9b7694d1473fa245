import Ajv, { type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors';

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

/**
 * A PATCH whose body held only unknown keys is `{}` once they are stripped: answer 400 rather than
 * a 200 that changed nothing (`minProperties` is checked before ajv removes unknown keys).
 */
export function installEmptyPatchGuard(app: FastifyInstance): void {
  app.addHook('preHandler', async (request) => {
    const body = request.body;
    if (request.method === 'PATCH' && body !== null && typeof body === 'object' && Object.keys(body).length === 0) {
      throw new AppError('VALIDATION_FAILED', {
        logMessage: 'PATCH without known fields',
        userMessage: '没有需要修改的内容',
      });
    }
  });
}

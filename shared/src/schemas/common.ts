import { Type, type Static, type TSchema } from '@sinclair/typebox';

/** Opaque id string (a MongoDB ObjectId in hex today; clients must not rely on that). */
export const Id = Type.String({ pattern: '^[0-9a-f]{24}$', description: '不透明的标识符' });

export const IdParams = Type.Object({ id: Id }, { additionalProperties: false });
export type IdParams = Static<typeof IdParams>;

export const IsoDateTime = Type.String({ format: 'date-time' });

export const ErrorResponse = Type.Object(
  {
    statusCode: Type.Integer(),
    code: Type.String({ description: '稳定的机器可读错误码' }),
    error: Type.String(),
    message: Type.String({ description: '给用户看的中文说明' }),
  },
  { title: 'ErrorResponse' },
);
export type ErrorResponse = Static<typeof ErrorResponse>;

export const PageQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
});

export function Page<T extends TSchema>(item: T) {
  return Type.Object({
    items: Type.Array(item),
    nextCursor: Type.Union([Type.String(), Type.Null()]),
  });
}

/** Response schemas for the error statuses a route can answer with (for the OpenAPI document). */
export function errorResponses(...statuses: number[]): Record<number, typeof ErrorResponse> {
  return Object.fromEntries(statuses.map((status) => [status, ErrorResponse]));
}

/** A union of string literals whose static type is the literal union itself (not `string`). */
export function literalUnion<T extends string>(values: readonly T[], options: { description?: string } = {}) {
  return Type.Unsafe<T>(
    Type.Union(
      values.map((value) => Type.Literal(value)),
      options,
    ),
  );
}

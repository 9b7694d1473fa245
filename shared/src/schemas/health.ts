import { Type, type Static } from '@sinclair/typebox';

export const HealthResponse = Type.Object({ status: Type.Literal('ok') });

export const ReadinessResponse = Type.Object({
  status: Type.Union([Type.Literal('ready'), Type.Literal('unavailable')]),
  checks: Type.Object({
    database: Type.Union([Type.Literal('up'), Type.Literal('down')]),
    redis: Type.Union([Type.Literal('up'), Type.Literal('down')]),
  }),
});
export type ReadinessResponse = Static<typeof ReadinessResponse>;

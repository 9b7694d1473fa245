import { Type, type Static } from '@sinclair/typebox';

export const HealthResponse = Type.Object({ status: Type.Literal('ok') });

/** What `npm start`'s supervisor says of a child process (API, worker, database, Redis, fake WeChat). */
export const SupervisedChild = Type.Object({
  state: Type.Union([Type.Literal('running'), Type.Literal('restarting'), Type.Literal('stopped')]),
  restarts: Type.Integer({ minimum: 0, description: '启动以来重启次数' }),
  recentCrashes: Type.Integer({ minimum: 0, description: '最近 10 分钟内意外退出次数' }),
  crashLoop: Type.Boolean({ description: '反复崩溃（10 分钟内 5 次以上）' }),
  lastExitAt: Type.Union([Type.String(), Type.Null()]),
});

export const ReadinessResponse = Type.Object({
  status: Type.Union([Type.Literal('ready'), Type.Literal('unavailable')]),
  checks: Type.Object({
    database: Type.Union([Type.Literal('up'), Type.Literal('down')]),
    redis: Type.Union([Type.Literal('up'), Type.Literal('down')]),
  }),
  /** Under `npm start`: each child's restarts; `crashLooping` names those that keep crashing. */
  supervisor: Type.Optional(
    Type.Object({
      children: Type.Record(Type.String(), SupervisedChild),
      crashLooping: Type.Array(Type.String()),
    }),
  ),
});
export type ReadinessResponse = Static<typeof ReadinessResponse>;

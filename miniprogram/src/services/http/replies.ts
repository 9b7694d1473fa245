import * as shared from '@mashangshang/shared';
import { FormatRegistry, Type, type Static, type TSchema } from '@sinclair/typebox';
import { Check } from '@sinclair/typebox/value';

/**
 * The replies the client core can be told to expect, by the name of their schema: every TypeBox
 * schema `@mashangshang/shared` exports, and the few the server declares inline. A call names its
 * reply (`http.json('StudioList', …)`) and gets `Reply<'StudioList'>`, the schema's static type,
 * so a reply's type always comes from its schema and a misspelt or non-schema name does not compile.
 *
 * Only the types are used in production: `replyMatches`, which checks a reply against its schema,
 * is given to the core in development and tests (see ./index.ts), and the production build leaves
 * this module, TypeBox and the schemas out of the pages.
 */

/** POST /admin/notifications/:id/retry declares this reply inline; shared has no name for it. */
const RetryQueued = Type.Object({ queued: Type.Boolean() });
/** A 204 (a DELETE): no body to speak of. */
const NoContent = Type.Unknown();

type SchemasOf<M> = { [K in keyof M as M[K] extends TSchema ? K : never]: M[K] };
type ReplySchemas = SchemasOf<typeof shared> & { RetryQueued: typeof RetryQueued; NoContent: typeof NoContent };

export type ReplyName = keyof ReplySchemas;
export type Reply<N extends ReplyName> = Static<Extract<ReplySchemas[N], TSchema>>;

const replySchemas: ReplySchemas = { ...shared, RetryQueued, NoContent };

// The shared schemas stamp timestamps as `date-time`; TypeBox checks a format only once it is registered.
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

/** Whether `data` is what the schema named `reply` describes. */
export function replyMatches(reply: ReplyName, data: unknown): boolean {
  if (!FormatRegistry.Has('date-time')) {
    FormatRegistry.Set('date-time', (value) => ISO_DATE_TIME.test(value) && !Number.isNaN(Date.parse(value)));
  }
  return Check(replySchemas[reply], data);
}

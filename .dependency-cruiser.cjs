/**
 * The direction of the server's dependencies, checked by `npm run lint` (dependency-cruiser).
 *
 * The server is built in layers; a file imports only from its own layer or the layers below it:
 *
 *   8 roots     app.ts, main.ts, worker.ts, seed/, wechat/fake/   (put the parts together)
 *   7 workers   workers/                                          (BullMQ processors)
 *   6 http      modules/<m>/(…routes|plugin).ts, plugins/ (Fastify: routes and plugins)
 *   5 services  the rest of modules/<m>/ (service.ts, deliver.ts…) (what a route or a job asks for)
 *   4 workflow  workflow/                                         (the one writer of tickets)
 *   3 domain    the helpers the workflow builds on (the actor, the rollup, the 三转 records, views…)
 *   2 queues    queues/                                           (names, payloads, job ids, adds)
 *   1 models    models/                                           (mongoose schemas, one file per collection)
 *   0 base      lib/, errors, config, logger, wechat/client.ts    (no knowledge of the product's flows)
 *
 * And no cycles, anywhere in the repository.
 */
const SRC = '^server/src/';

const LAYERS = [
  {
    name: 'base',
    path: `${SRC}(lib/|errors\\.ts|env-settings\\.ts|config\\.ts|operations-config\\.ts|logger\\.ts|wechat/client\\.ts)`,
  },
  { name: 'models', path: `${SRC}models/` },
  { name: 'queues', path: `${SRC}queues/` },
  {
    name: 'domain',
    path:
      `${SRC}modules/(tickets/views|stats/rollup|outcomes/records|auth/(actor|passwords)|uploads/storage|` +
      `notifications/(templates|consents))\\.ts`,
  },
  { name: 'workflow', path: `${SRC}workflow/` },
  { name: 'services', path: `${SRC}modules/[^/]+/(?![^/]*routes\\.ts$)(?!plugin\\.ts$)[^/]+\\.ts$` },
  {
    name: 'http',
    path: `${SRC}(plugins/|modules/[^/]+/[^/]*routes\\.ts|modules/operations\\.ts|modules/[^/]+/plugin\\.ts|wechat/plugin\\.ts)`,
  },
  { name: 'workers', path: `${SRC}workers/` },
];

/** A file of one layer may not import a file of any layer above it. */
const againstTheDirection = LAYERS.flatMap((layer, rank) =>
  LAYERS.slice(rank + 1).map((higher) => ({
    name: `${layer.name}-not-above-${higher.name}`,
    comment: `${layer.name} is below ${higher.name}: the import runs against the direction (see the top of this file).`,
    severity: 'error',
    from: { path: layer.path, pathNot: LAYERS.filter((_, r) => r < rank).map((l) => l.path) },
    to: { path: higher.path, pathNot: LAYERS.slice(0, rank + 1).map((l) => l.path) },
  })),
);

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Files that import each other in a loop.',
      from: {},
      to: { circular: true },
    },
    ...againstTheDirection,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist|\\.tools|\\.data|coverage)/' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
  },
};

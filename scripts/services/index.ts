/**
 * Launchers for the private services `npm start` and the tests run:
 * a MongoDB-wire database (mongod if installed, else FerretDB on SQLite) and Redis.
 */
export {
  ServiceStartError,
  repoRoot,
  toolsBinDir,
  which,
  type ManagedService,
  type ServiceKind,
  type ServiceStartReason,
} from './common';
export { findFreePort, isPortFree, canConnect } from './ports';
export {
  FERRETDB_VERSION,
  resolveDatabaseBinary,
  startDatabase,
  type DatabaseBinary,
  type StartDatabaseOptions,
} from './database';
export { resolveRedisBinary, startRedis, type StartRedisOptions } from './redis';
export { acquireDataDirLock, type DataDirLock } from './lock';
export { mongoCommand, redisCommand } from './wire';

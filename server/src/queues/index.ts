/**
 * Everything about queues in one place: names, payload schemas, job ids (jobs.ts), the queues and the
 * bounded add (producers.ts), and the adds the rest of the server asks for (requests.ts). The
 * processors live in ../workers.
 */
export * from './jobs';
export * from './producers';
export * from './requests';

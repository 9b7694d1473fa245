/** The ticket's life: the transitions table, the engine that applies them, and their effects. */
export { changeTicket, insertTicket, afterSubmit } from './engine';
export { OPEN_STATUSES, studioLeadsQuery } from './transitions';
export type { WorkflowDeps } from './effects';
export { DEADLINE_PROJECTION, deadlineFor, forgetBusinessCalendar, loadBusinessCalendar } from './deadline';

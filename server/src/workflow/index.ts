/** The ticket's life: the transitions table, the engine that applies them, and their effects. */
export { changeTicket, insertTicket, afterSubmit, type ChangeOptions, type ChangeResult } from './engine';
export { OPEN_STATUSES, TRANSITIONS, SUBMIT, studioLeadsQuery, type TransitionName, type Submission } from './transitions';
export type { WorkflowDeps, Effect } from './effects';
export { SYSTEM, timelineEvent, notice } from './events';

/**
 * The daily refresh of working calendars: a Temporal Schedule (`calendar-refresh`) starts
 * `calendarRefreshWorkflow` once a day. It gives every partnership that has not ended its
 * organisations' working calendars again, built from the holiday data installed now and the
 * closures stored now (the `setWorkingCalendars` update each partnership's workflow has), and tries
 * again later those it could not reach. So a partnership's snapshots never run out however long
 * it lasts, a holiday-data update reaches running partnerships the night after it is deployed,
 * and a partnership created at the moment a closure changed gets it by the next day.
 */
export { PARTNERSHIP_TASK_QUEUE as CALENDAR_REFRESH_TASK_QUEUE } from '../partnership/partnership.contract';

export const CALENDAR_REFRESH_SCHEDULE_ID = 'calendar-refresh';
/** The workflow type the Schedule starts (`calendarRefreshWorkflow`, exported by the bundle). */
export const CALENDAR_REFRESH_WORKFLOW_TYPE = 'calendarRefreshWorkflow';
/** The id of each run the Schedule starts (Temporal appends the scheduled time). */
export const CALENDAR_REFRESH_WORKFLOW_ID = 'calendar-refresh';

/** How often and how long apart the partnerships not reached are tried again. */
export const CALENDAR_REFRESH_RETRIES = 3;
export const CALENDAR_REFRESH_RETRY_AFTER = '15 minutes';

export interface CalendarRefreshRequest {
  /**
   * The run's day (YYYY-MM-DD, UTC, from the workflow's clock): the calendars are built for it and
   * each partnership's update id names it, so a retry after midnight still applies once.
   */
  day: string;
  /** Only these partnerships (those not reached by an earlier try); all that have not ended when absent. */
  only?: string[];
}

/**
 * What a run refreshes: every partnership that has not ended (the Schedule's runs), or only those
 * named (a run started by hand, e.g. `temporal workflow start --type calendarRefreshWorkflow
 * --input '{"only":["<id>"]}'`).
 */
export interface CalendarRefreshInput {
  only?: string[];
}

export interface CalendarRefreshOutcome {
  /** How many partnerships took their new calendars. */
  updated: number;
  /** Partnerships it could not reach (a workflow that did not answer in time). */
  failed: string[];
}

export interface CalendarRefreshResult extends CalendarRefreshOutcome {
  /** How many tries it took: 1 when every partnership was reached the first time. */
  tries: number;
}

export interface CalendarRefreshActivities {
  refreshOpenPartnershipCalendars(request: CalendarRefreshRequest): Promise<CalendarRefreshOutcome>;
}

/**
 * The weekly digest (docs/digest.md): a Temporal Schedule (`weekly-digest`) starts
 * `weeklyDigestWorkflow` every quarter of an hour; each run e-mails the coordinators whose digest
 * time (`DIGEST_AT`, Monday 09:00 by default) falls in its quarter hour on their own zone's clock:
 * what advanced in their partnerships over the seven days before, what waits on which partner,
 * what is overdue. Each e-mail goes through the outbox under (coordinator, ISO week in their
 * zone), so a retried activity or a second run of the same slot sends nothing twice.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export { PARTNERSHIP_TASK_QUEUE as WEEKLY_DIGEST_TASK_QUEUE } from '../partnership/partnership.contract';

export const WEEKLY_DIGEST_SCHEDULE_ID = 'weekly-digest';
/** The workflow type the Schedule starts (`weeklyDigestWorkflow`, exported by the bundle). */
export const WEEKLY_DIGEST_WORKFLOW_TYPE = 'weeklyDigestWorkflow';
/** The id of each run the Schedule starts (Temporal appends the scheduled time). */
export const WEEKLY_DIGEST_WORKFLOW_ID = 'weekly-digest';

/** Set by Temporal on every run a Schedule starts: the time the run was due. */
export const SCHEDULED_START_TIME = defineSearchAttributeKey(
  'TemporalScheduledStartTime',
  SearchAttributeType.DATETIME,
);

/**
 * A run's input: nothing for the Schedule's runs (the slot is the quarter hour the run started
 * in); `at` to send the digests of another slot, by hand or in a test
 * (`temporal workflow start --type weeklyDigestWorkflow --input '{"at":"2026-12-07T09:00:00Z"}'`).
 */
export interface WeeklyDigestInput {
  /** An instant (ISO 8601); the run covers the quarter hour it falls in. */
  at?: string;
}

export interface WeeklyDigestRequest {
  /** The start of the quarter hour the run covers (ISO 8601, UTC). */
  slot: string;
}

export interface WeeklyDigestResult {
  /** The slot covered. */
  slot: string;
  /** Coordinators whose digest was due in the slot. */
  due: number;
  /** Digests sent by this run (the others went out before: a retry, a second run). */
  sent: number;
}

export interface WeeklyDigestActivities {
  sendWeeklyDigests(request: WeeklyDigestRequest): Promise<WeeklyDigestResult>;
}

import { condition } from '@temporalio/workflow';
import { DEFAULT_FOLLOW_UP_POLICY } from '../../libs/domain';
import { followUpLoop } from './follow-up-timer';
import { plannedFollowUps } from './follow-up-handlers';
import { mailLoop } from './mail-loop';
import type { RunMode } from './partnership-run';

/** Runs with follow-ups: reminders, escalations and coordinator e-mails, sent by their own loop. */
export const WITH_FOLLOW_UPS: RunMode = {
  followUps: true,
  init(state) {
    state.followUpPolicy = state.followUpPolicy ?? DEFAULT_FOLLOW_UP_POLICY;
    state.lastActivityAt = state.lastActivityAt ?? new Date().toISOString();
  },
  startLoops(run) {
    void mailLoop(run);
    void followUpLoop(run);
  },
  approverExtras: (run, contactId, given) => ({
    ...run.profileOf(contactId, given),
    reminders: { sent: 0, lastAt: null },
  }),
  requestExtras: (arg) => ({
    followUps: true,
    reminderPolicy: arg.reminderPolicy ?? null,
    snoozedUntil: null,
    escalatedAt: null,
  }),
  delegationExtras: (run, arg) => ({
    at: new Date().toISOString(),
    toProfile: run.profileOf(
      arg.toContactId,
      arg.toProfile ? { [arg.toContactId]: arg.toProfile } : undefined,
    ),
  }),
  batchExtras: (run) => ({ bilingual: run.policy().bilingualEmails }),
  queueFollowUpEmail: (run, afterSequence, email) => run.queueEmail(afterSequence, email),
  projectionExtras: (run) => ({ followUpPolicy: run.policy() }),
  planned: (run) => plannedFollowUps(run),
  projectorHasMail: () => false,
  sendFromProjector: () => Promise.resolve(),
  async drained(run) {
    // E-mails already decided go out first; their timeline events then need projecting.
    await condition(() => run.pending.length > 0 || (run.emails.length === 0 && !run.mailInFlight));
    return run.pending.length === 0;
  },
};

import { activities } from './activities';
import type { RunMode } from './partnership-run';

/**
 * Runs started before FOLLOW_UPS_PATCH keep their old commands: no follow-up timers, and the
 * projector sends the approval e-mails itself. Deprecating the patch removes this file.
 */
export const BEFORE_FOLLOW_UPS: RunMode = {
  followUps: false,
  init: () => undefined,
  startLoops: () => undefined,
  approverExtras: () => ({}),
  requestExtras: () => ({}),
  delegationExtras: () => ({ at: undefined, toProfile: undefined }),
  batchExtras: () => ({}),
  queueFollowUpEmail: () => undefined,
  projectionExtras: () => ({}),
  planned: () => [],
  projectorHasMail: (run) => run.mailReady(),
  async sendFromProjector(run) {
    // Regular activity: SMTP may be slow or down; Temporal retries it with backoff.
    const { batch } = run.emails.shift()!;
    await activities.sendApprovalEmails(batch!);
  },
  drained: (run) => Promise.resolve(run.pending.length === 0 && run.emails.length === 0),
};

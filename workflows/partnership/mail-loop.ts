import { ActivityFailure, condition, patched } from '@temporalio/workflow';
import { awaitedApprovers, notificationKey } from '../../libs/domain';
import type { ApprovalEmailBatch, FollowUpEmail } from './partnership.activities.contract';
import { activities, emailActivities } from './activities';
import { EventDraft, PartnershipRun } from './partnership-run';

/**
 * Approval e-mails one recipient per activity (a refusal fails only that one, and is recorded
 * for that one), and every e-mail activity with a heartbeat and a timeout above SMTP's. Runs
 * that started before it keep one batch activity per request, on the 15-second timeout.
 */
export const EMAIL_PER_RECIPIENT_PATCH = 'email-per-recipient';

/** What a sent follow-up e-mail puts on the timeline. */
function sentEvent(email: FollowUpEmail): EventDraft | undefined {
  switch (email.kind) {
    case 'approval-reminder':
      return {
        type: 'reminder.sent',
        payload: {
          approvalId: email.approvalId,
          contactId: email.contactId,
          reminderNumber: email.reminderNumber,
        },
      };
    case 'task-overdue':
      return {
        type: 'task.overdue_reminded',
        payload: {
          taskId: email.taskId,
          contactId: email.contactId,
          dueDate: email.dueDate,
          reminderNumber: email.reminderNumber,
        },
      };
    case 'stage-stalled':
      return {
        type: 'stage.stalled',
        payload: { stage: email.stage, since: email.since, reminderNumber: email.reminderNumber },
      };
    default:
      return undefined;
  }
}

/** A reminder still wanted: the request is pending and still awaits that contact. */
function stillWanted(run: PartnershipRun, email: FollowUpEmail): boolean {
  if (email.kind !== 'approval-reminder') return true;
  const request = run.findApproval(email.approvalId);
  return (
    !!request && request.status === 'pending' && awaitedApprovers(request).includes(email.contactId)
  );
}

/** The `notification.failed` event of an e-mail the SMTP server refused for good. */
function failedEvent(key: string, err: ActivityFailure): EventDraft {
  return {
    type: 'notification.failed',
    payload: { key, channel: 'email', error: err.cause?.message ?? err.message },
  };
}

/** One activity per approver: a refusal is recorded for that approver, the others still go. */
async function sendEach(run: PartnershipRun, batch: ApprovalEmailBatch): Promise<void> {
  const { contactIds, ...email } = batch;
  for (const contactId of contactIds) {
    try {
      await emailActivities.sendApprovalEmail({ ...email, contactId });
    } catch (err) {
      // Only a permanent refusal (SMTP 5xx) ends here; everything else is retried by Temporal.
      if (!(err instanceof ActivityFailure)) throw err;
      const key = notificationKey({
        kind: 'approval-request',
        approvalId: batch.approvalId,
        contactId,
      });
      run.emit({ kind: 'system' }, [failedEvent(key, err)]);
    }
  }
}

/** Sends e-mails in order, apart from the projector: a slow SMTP server delays no update. */
export async function mailLoop(run: PartnershipRun): Promise<void> {
  // Decided once per run, before its first e-mail: a replayed run takes the same path.
  const perRecipient = patched(EMAIL_PER_RECIPIENT_PATCH);
  const mail = perRecipient ? emailActivities : activities;
  for (;;) {
    await condition(() => run.mailReady());
    const item = run.emails.shift()!;
    run.mailInFlight = true;
    try {
      if (item.batch && perRecipient) {
        await sendEach(run, item.batch);
      } else if (item.batch) {
        await activities.sendApprovalEmails(item.batch);
      } else if (stillWanted(run, item.email)) {
        const { sent } = await mail.sendFollowUpEmail(item.email);
        const event = sentEvent(item.email);
        if (sent && event) run.emit({ kind: 'system' }, [event]);
      }
    } catch (err) {
      // Only a permanent refusal (SMTP 5xx) ends here; everything else is retried by Temporal.
      if (!(err instanceof ActivityFailure)) throw err;
      const key = notificationKey(
        item.batch ? { kind: 'approval-request', approvalId: item.batch.approvalId } : item.email,
      );
      run.emit({ kind: 'system' }, [failedEvent(key, err)]);
    } finally {
      run.mailInFlight = false;
    }
  }
}

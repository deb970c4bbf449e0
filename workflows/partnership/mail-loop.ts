import { ActivityFailure, condition } from '@temporalio/workflow';
import { awaitedApprovers, notificationKey } from '../../libs/domain';
import type { FollowUpEmail } from './partnership.activities.contract';
import { activities } from './activities';
import { EventDraft, PartnershipRun } from './partnership-run';

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

/** Sends e-mails in order, apart from the projector: a slow SMTP server delays no update. */
export async function mailLoop(run: PartnershipRun): Promise<void> {
  for (;;) {
    await condition(() => run.mailReady());
    const item = run.emails.shift()!;
    run.mailInFlight = true;
    try {
      if (item.batch) {
        await activities.sendApprovalEmails(item.batch);
      } else if (stillWanted(run, item.email)) {
        const { sent } = await activities.sendFollowUpEmail(item.email);
        const event = sentEvent(item.email);
        if (sent && event) run.emit({ kind: 'system' }, [event]);
      }
    } catch (err) {
      // Only a permanent refusal (SMTP 5xx) ends here; everything else is retried by Temporal.
      if (!(err instanceof ActivityFailure)) throw err;
      const key = notificationKey(
        item.batch ? { kind: 'approval-request', approvalId: item.batch.approvalId } : item.email,
      );
      run.emit({ kind: 'system' }, [
        {
          type: 'notification.failed',
          payload: { key, channel: 'email', error: err.cause?.message ?? err.message },
        },
      ]);
    } finally {
      run.mailInFlight = false;
    }
  }
}

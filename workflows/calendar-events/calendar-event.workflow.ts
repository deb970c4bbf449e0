import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  proxyActivities,
  setHandler,
} from '@temporalio/workflow';
import { EMAIL_ACTIVITY_TIMEOUTS } from '../partnership/activities';
import {
  answerCalendarEventUpdate,
  awaitCalendarEventRecordedUpdate,
  CalendarEventActivities,
  CalendarEventInput,
  CalendarEventView,
  cancelCalendarEventUpdate,
  editCalendarEventUpdate,
  getCalendarEventQuery,
} from './calendar-event.contract';
import { CalendarEventRun, initialCalendarEventState } from './calendar-event-run';

/** Recording and the follow-up task: short, retried until they succeed. */
const activities = proxyActivities<CalendarEventActivities>({
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** E-mail: above the SMTP worst case, heartbeating, like the partnership's e-mails. */
const mail = proxyActivities<CalendarEventActivities>({
  startToCloseTimeout: EMAIL_ACTIVITY_TIMEOUTS.startToCloseMs,
  heartbeatTimeout: EMAIL_ACTIVITY_TIMEOUTS.heartbeatMs,
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/**
 * One event of a partnership, from scheduling to the follow-up after it: projects each change,
 * mails each SEQUENCE's notice to every attendee, sleeps on durable timers until each attendee's
 * reminder and the end, then adds the coordinator's follow-up task. Ends once cancelled (after the
 * cancellations went out) or once the follow-up task is there.
 */
export async function calendarEventWorkflow(input: CalendarEventInput): Promise<CalendarEventView> {
  const run = new CalendarEventRun(initialCalendarEventState(input), activities, mail);
  // Handlers before any await: a message in the first activation must find them.
  setHandler(getCalendarEventQuery, () => run.view());
  setHandler(awaitCalendarEventRecordedUpdate, () => run.projected(1), {
    validator: (a) => {
      if (a.requestHash !== run.state.requestHash) {
        throw ApplicationFailure.create({
          type: 'IDEMPOTENCY_KEY_REUSED',
          message: 'This Idempotency-Key was already used with a different request body',
          nonRetryable: true,
        });
      }
    },
  });
  setHandler(editCalendarEventUpdate, (a) => run.edit(a), { validator: (a) => run.checkEdit(a) });
  setHandler(cancelCalendarEventUpdate, (a) => run.cancel(a), {
    validator: (a) => run.checkCancel(a),
  });
  setHandler(answerCalendarEventUpdate, (a) => run.answer(a), {
    validator: (a) => run.checkAnswer(a),
  });

  run.planReminders();
  run.note('scheduled', input.actor);
  for (;;) {
    // Project before mailing: an answer page opened from the e-mail finds the event recorded.
    await run.project();
    await run.notePartnership();
    await run.mailNotices();
    if (run.pending) continue; // a handler changed the event while this ran
    const wake = run.nextWake();
    if (wake === undefined) break;
    const changed = await condition(() => run.pending, Math.max(wake - Date.now(), 1));
    if (!changed) await run.wake();
  }
  // Updates still waiting for their projection get it above; none may be left unanswered.
  await condition(allHandlersFinished);
  return run.view();
}

import { CancellationScope, condition, sleep } from '@temporalio/workflow';
import { planFollowUps } from '../../libs/domain';
import { applyFollowUp, followUpWorld } from './follow-up-handlers';
import { PartnershipRun } from './partnership-run';

/**
 * One timer for all follow-ups, at the earliest planned one. Kept while the plan's earliest
 * instant stays the same, moved at once when a change moves it (an updatable timer).
 */
class FollowUpTimer {
  private armed: { at: number; scope: CancellationScope } | undefined;
  /** The armed timer fired and nobody has acted on it yet. */
  rang = false;

  arm(at: number | undefined): void {
    if (this.armed && this.armed.at === at) return;
    this.armed?.scope.cancel();
    this.armed = undefined;
    this.rang = false;
    if (at === undefined) return;
    const scope = new CancellationScope();
    const armed = { at, scope };
    this.armed = armed;
    scope
      .run(() => sleep(Math.max(1, at - Date.now())))
      .then(
        () => {
          if (this.armed === armed) this.rang = true;
        },
        () => undefined, // cancelled: the plan moved
      );
  }

  /** The ring was heard: the next plan arms a new timer. */
  reset(): void {
    this.armed = undefined;
    this.rang = false;
  }
}

/**
 * Plans follow-ups, applies the due ones, and sleeps until the next one or until a change
 * moves the plan. Ends when the partnership does.
 */
export async function followUpLoop(run: PartnershipRun): Promise<void> {
  const timer = new FollowUpTimer();
  let burst = 0;
  for (;;) {
    if (run.ended) {
      timer.arm(undefined);
      return;
    }
    const seen = run.planVersion;
    const now = new Date();
    const plan = planFollowUps(followUpWorld(run, now));
    const due = plan.filter((item) => item.at.getTime() <= now.getTime());
    if (due.length > 0 && burst < 100) {
      burst += 1;
      for (const item of due) applyFollowUp(run, item);
      continue;
    }
    burst = 0;
    // A due item that did not go away (a bug) waits a minute instead of spinning.
    timer.arm(due.length > 0 ? now.getTime() + 60_000 : plan[0]?.at.getTime());
    await condition(() => run.planVersion !== seen || timer.rang || run.ended);
    if (timer.rang) timer.reset();
  }
}

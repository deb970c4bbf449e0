import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const HISTORIES = join(__dirname, '..', 'histories');

/**
 * Saved histories (npm run histories:record) replayed through today's workflow code: a change
 * that would break running partnerships (non-determinism) fails here. Use patched() instead.
 */
describe('workflow replay of saved histories', () => {
  const files = readdirSync(HISTORIES)
    .filter((f) => f.endsWith('.json'))
    .sort();

  it('has the saved histories to replay', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'partnership-created.json',
        'partnership-agreed.json',
        'partnership-agreed-local-activities.json',
        'partnership-sent-back.json',
        'partnership-paused-resumed-closed.json',
        'partnership-continued-as-new.json',
        'partnership-gate-approval.json',
        'partnership-follow-ups.json',
        'partnership-task-report.json',
        'partnership-email-per-recipient.json',
        'partnership-closed-withdraws-pending.json',
        'partnership-reopened.json',
        'partnership-calendar-event-timeline.json',
        'calendar-event-lifecycle.json',
        'calendar-event-attendees.json',
        'calendar-refresh-retry.json',
        'weekly-digest.json',
        'partnership-gate-consent.json',
        'partnership-changes.json',
        'partnership-partner-changes.json',
        'partnership-comments.json',
        'partnership-template-move.json',
        'partnership-coordinator-calendar.json',
        'partnership-knowledge-sharing.json',
        'partnership-working-calendars.json',
      ]),
    );
  });

  it('replays every saved history deterministically', async () => {
    const workflowBundle = await bundleWorkflowCode({
      workflowsPath: require.resolve('../../workflows'),
      logger: { log() {}, info() {}, debug() {}, trace() {}, warn() {}, error: console.error },
    });
    const histories = files.map((f) => ({
      workflowId: f.replace(/\.json$/, ''),
      history: historyFromJSON(JSON.parse(readFileSync(join(HISTORIES, f), 'utf8'))),
    }));
    const failures: string[] = [];
    let replayed = 0;
    for await (const result of Worker.runReplayHistories({ workflowBundle }, histories)) {
      replayed += 1;
      if (result.error) failures.push(`${result.workflowId}: ${String(result.error)}`);
    }
    expect(failures).toEqual([]);
    expect(replayed).toBe(files.length);
  });

  /**
   * The negative control: the same histories through a bundle that issues one command more
   * (nondeterministic.workflows.ts, built here from source). Each must be rejected as
   * non-deterministic, so a green run above means the histories really check the commands.
   */
  it('rejects every saved history replayed through a non-deterministic bundle', async () => {
    const workflowBundle = await bundleWorkflowCode({
      workflowsPath: require.resolve('./nondeterministic.workflows'),
      logger: { log() {}, info() {}, debug() {}, trace() {}, warn() {}, error() {} },
    });
    const histories = files.map((f) => ({
      workflowId: f.replace(/\.json$/, ''),
      history: historyFromJSON(JSON.parse(readFileSync(join(HISTORIES, f), 'utf8'))),
    }));
    const outcomes: Record<string, string> = {};
    for await (const result of Worker.runReplayHistories({ workflowBundle }, histories)) {
      outcomes[result.workflowId] = result.error?.constructor.name ?? 'replayed';
      if (result.error) expect(result.error).toBeInstanceOf(DeterminismViolationError);
    }
    expect(outcomes).toEqual(
      Object.fromEntries(histories.map((h) => [h.workflowId, DeterminismViolationError.name])),
    );
  });
});

import { WorkflowHandle, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { randomUUID } from 'node:crypto';
import { TimelineEvent } from '@libs/domain';
import {
  addTaskUpdate,
  advanceUpdate,
  awaitRecordedUpdate,
  calendarEventNotedSignal,
  closeUpdate,
  completeTaskUpdate,
  getLiveStateQuery,
  getPartnershipQuery,
  PartnershipFailure,
  PartnershipSearchAttributes,
  PartnershipWorkflowInput,
} from '@workflows/partnership/partnership.contract';
import { partnershipWorkflow } from '@workflows/partnership/partnership.workflow';
import { workflowOrganisations } from '../support/fixtures';
import { waitFor } from '../support/stack';
import { partnershipActivities, useDevServerWorkflows } from '../support/workers';

/**
 * The history's length once the workflow has nothing in flight (no activity, no workflow task):
 * right after an update returns, the projection it scheduled may still be running and adding events.
 */
async function quietHistoryLength(handle: WorkflowHandle): Promise<number> {
  return waitFor(
    async () => {
      const { raw } = await handle.describe();
      if ((raw.pendingActivities?.length ?? 0) > 0 || raw.pendingWorkflowTask) return false;
      return (await handle.fetchHistory()).events?.length ?? 0;
    },
    { what: 'the workflow to have nothing in flight' },
  );
}

/** The workflow on the real dev server, with its activities mocked. */
describe('partnershipWorkflow', () => {
  const { client, withWorker } = useDevServerWorkflows();

  /** Starts a new partnership's workflow, as the API does, on the test's task queue. */
  function startNew(taskQueue: string, args: PartnershipWorkflowInput) {
    return client().workflow.start(partnershipWorkflow, {
      workflowId: `partnership-${args.partnershipId}`,
      taskQueue,
      args: [{ kind: 'new', input: args }],
    });
  }

  function input(overrides: Partial<PartnershipWorkflowInput> = {}): PartnershipWorkflowInput {
    const partnershipId = randomUUID();
    return {
      partnershipId,
      title: 'Valencia – Chengdu',
      areas: ['Clean energy'],
      coordinator: { name: 'Ana', email: 'ana@iurc.example' },
      organisations: workflowOrganisations(),
      requestHash: 'hash-1',
      requestedAt: '2026-11-29T09:00:00.000Z',
      actor: { kind: 'coordinator', email: 'ana@iurc.example' },
      ...overrides,
    };
  }

  it('records the partnership once, answers the update and exposes stage and status', async () => {
    const recorded: { input: PartnershipWorkflowInput; event: TimelineEvent }[] = [];
    const activities = partnershipActivities({
      async recordPartnership(i, event) {
        recorded.push({ input: i, event });
      },
    });
    const args = input();
    await withWorker(activities, async (taskQueue) => {
      const handle = await startNew(taskQueue, args);
      const view = await handle.executeUpdate(awaitRecordedUpdate, {
        args: [{ requestHash: 'hash-1' }],
      });
      expect(view).toEqual({
        id: args.partnershipId,
        title: 'Valencia – Chengdu',
        stage: 'introduction',
        status: 'active',
        recorded: true,
      });
      expect(await handle.query(getPartnershipQuery)).toEqual(view);

      // A reused Idempotency-Key with another body is rejected by the validator, outside history.
      const rejected = await handle
        .executeUpdate(awaitRecordedUpdate, { args: [{ requestHash: 'other' }] })
        .catch((e: unknown) => e);
      expect(rejected).toBeInstanceOf(WorkflowUpdateFailedError);
      const cause = (rejected as WorkflowUpdateFailedError).cause;
      expect(cause).toBeInstanceOf(ApplicationFailure);
      expect((cause as ApplicationFailure).type).toBe(PartnershipFailure.IDEMPOTENCY_KEY_REUSED);
      const history = await handle.fetchHistory();
      const updateEvents = (history.events ?? []).filter(
        (e) => e.workflowExecutionUpdateAcceptedEventAttributes,
      );
      expect(updateEvents).toHaveLength(1);

      const description = await handle.describe();
      expect(description.typedSearchAttributes.get(PartnershipSearchAttributes.stage)).toBe(
        'introduction',
      );
      expect(
        description.typedSearchAttributes.get(PartnershipSearchAttributes.organisations),
      ).toEqual(args.organisations.map((o) => o.id));
      await handle.terminate('test done');
    });
    expect(recorded).toHaveLength(1);
    expect(recorded[0].event).toEqual({
      sequence: 1,
      type: 'partnership.created',
      actor: { kind: 'coordinator', email: 'ana@iurc.example' },
      occurredAt: '2026-11-29T09:00:00.000Z',
      payload: {
        title: 'Valencia – Chengdu',
        organisationIds: args.organisations.map((o) => o.id),
        areas: ['Clean energy'],
        coordinator: { name: 'Ana', email: 'ana@iurc.example' },
        templateVersion: 1,
      },
    });
  });

  it('moves through stages by updates, refusing illegal ones outside history, projecting in order', async () => {
    const projected: { stage: string; status: string; sequences: number[] }[] = [];
    const activities = partnershipActivities({
      async projectChanges(snapshot, events) {
        projected.push({
          stage: snapshot.stage,
          status: snapshot.status,
          sequences: events.map((e) => e.sequence),
        });
      },
    });
    const args = input({
      template: {
        key: 'default',
        version: 1,
        tasks: [
          {
            key: 'meeting',
            stage: 'introduction',
            title: 'Hold the meeting',
            required: true,
            kind: 'task',
          },
        ],
      },
    });
    const actor = { kind: 'coordinator' as const, email: 'ana@iurc.example' };
    await withWorker(activities, async (taskQueue) => {
      const handle = await startNew(taskQueue, args);
      await handle.executeUpdate(awaitRecordedUpdate, { args: [{ requestHash: 'hash-1' }] });
      const eventsBefore = await quietHistoryLength(handle);

      const refused = await handle
        .executeUpdate(advanceUpdate, { args: [{ actor }] })
        .catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
      const cause = (refused as WorkflowUpdateFailedError).cause as ApplicationFailure;
      expect(cause.type).toBe('GATE_TASKS_OPEN');
      expect(cause.details?.[0]).toEqual({
        blockers: [
          {
            kind: 'task',
            taskId: 'introduction.meeting',
            title: 'Hold the meeting',
            stage: 'introduction',
          },
        ],
      });
      // A refused update leaves nothing in history: no update accepted, no command. (The server may
      // still persist the workflow task that ran the validator, which records no decision.)
      const added = ((await handle.fetchHistory()).events ?? []).slice(eventsBefore);
      // Each event's JSON form names its type (EVENT_TYPE_…).
      const types = added.map(
        (e) => (JSON.parse(JSON.stringify(e)) as { eventType: string }).eventType,
      );
      expect(types.filter((t) => !t.startsWith('EVENT_TYPE_WORKFLOW_TASK_'))).toEqual([]);

      await handle.executeUpdate(completeTaskUpdate, {
        args: [{ actor, taskId: 'introduction.meeting' }],
      });
      const advanced = await handle.executeUpdate(advanceUpdate, { args: [{ actor }] });
      expect(advanced).toMatchObject({
        stage: 'area_exploration',
        status: 'active',
        gate: { open: true },
      });
      expect(
        (await handle.describe()).typedSearchAttributes.get(PartnershipSearchAttributes.stage),
      ).toBe('area_exploration');
      const closed = await handle.executeUpdate(closeUpdate, {
        args: [{ actor, reason: 'Programme ended' }],
      });
      expect(closed.status).toBe('closed');
      expect(await handle.result()).toMatchObject({ status: 'closed', stage: 'area_exploration' });
    });
    expect(projected).toEqual([
      { stage: 'introduction', status: 'active', sequences: [2] },
      { stage: 'area_exploration', status: 'active', sequences: [3] },
      { stage: 'area_exploration', status: 'closed', sequences: [4] },
    ]);
  });

  it('records each change of one of its events once on the timeline (calendarEventNoted)', async () => {
    const events: TimelineEvent[] = [];
    const activities = partnershipActivities({
      async projectChanges(_snapshot, batch) {
        events.push(...batch);
      },
    });
    const actor = { kind: 'user' as const, name: 'Ana' };
    const note = {
      eventId: randomUUID(),
      kind: 'meeting',
      title: 'Introductory meeting',
      start: '2027-01-11T08:00:00.000Z',
      end: '2027-01-11T09:00:00.000Z',
      sequence: 0,
      actor,
    };
    await withWorker(activities, async (taskQueue) => {
      const handle = await startNew(taskQueue, input());
      await handle.executeUpdate(awaitRecordedUpdate, { args: [{ requestHash: 'hash-1' }] });
      const scheduled = { ...note, key: `${note.eventId}/1`, change: 'scheduled' as const };
      await handle.signal(calendarEventNotedSignal, scheduled);
      await handle.signal(calendarEventNotedSignal, scheduled); // told twice (a retried send)
      await handle.signal(calendarEventNotedSignal, {
        ...note,
        key: `${note.eventId}/2`,
        change: 'cancelled',
        sequence: 1,
      });
      await waitFor(() => events.length >= 2, { what: 'two calendar_event entries projected' });
      await handle.executeUpdate(closeUpdate, { args: [{ actor, reason: 'Done' }] });
    });
    const noted = events.filter((e) => e.type.startsWith('calendar_event.'));
    expect(noted.map((e) => [e.type, e.payload.sequence])).toEqual([
      ['calendar_event.scheduled', 0],
      ['calendar_event.cancelled', 1],
    ]);
    expect(noted[0].actor).toEqual(actor);
    expect(noted[0].payload).not.toHaveProperty('key');
  });

  it('continues as new with its full state and keeps answering updates', async () => {
    const activities = partnershipActivities();
    const args = input({ maxHistoryLength: 40 });
    const actor = { kind: 'coordinator' as const, email: 'ana@iurc.example' };
    await withWorker(activities, async (taskQueue) => {
      const handle = await startNew(taskQueue, args);
      const firstRun = (await handle.describe()).runId;
      for (let i = 0; i < 8; i++) {
        await handle.executeUpdate(addTaskUpdate, { args: [{ actor, title: `Task ${i}` }] });
      }
      const state = await handle.query(getLiveStateQuery);
      expect(state.tasks.map((t) => t.title)).toEqual([...Array(8).keys()].map((i) => `Task ${i}`));
      expect(state.lastSequence).toBe(9);
      expect((await client().workflow.getHandle(handle.workflowId).describe()).runId).not.toBe(
        firstRun,
      );
      await client().workflow.getHandle(handle.workflowId).terminate('test done');
    });
  });

  it('retries a failing recording until it succeeds, and the update waits for it', async () => {
    let attempts = 0;
    const activities = partnershipActivities({
      async recordPartnership() {
        attempts += 1;
        if (attempts < 3) throw new Error('database unavailable');
      },
    });
    const args = input();
    await withWorker(activities, async (taskQueue) => {
      const handle = await startNew(taskQueue, args);
      const view = await handle.executeUpdate(awaitRecordedUpdate, {
        args: [{ requestHash: 'hash-1' }],
      });
      expect(view.recorded).toBe(true);
      await handle.terminate('test done');
    });
    expect(attempts).toBe(3);
  });
});

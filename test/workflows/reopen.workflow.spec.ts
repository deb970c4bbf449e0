import { WithStartWorkflowOperation, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { randomUUID } from 'node:crypto';
import type { TimelineEvent } from '@libs/domain';
import {
  advanceUpdate,
  awaitRecordedUpdate,
  closeUpdate,
  completeTaskUpdate,
  getFollowUpsQuery,
  getLiveStateQuery,
  PartnershipWorkflowInput,
  PartnershipWorkflowResult,
  reopenPartnershipUpdate,
  requestApprovalUpdate,
} from '@workflows/partnership/partnership.contract';
import { partnershipWorkflow } from '@workflows/partnership/partnership.workflow';
import { workflowOrganisations } from '../support/fixtures';
import { partnershipActivities, useDevServerWorkflows } from '../support/workers';

/**
 * Reopening a closed partnership on the real dev server: the run that closes it returns its state
 * (`carried`); an update-with-start starts a run from it that reopens it in the stage it was
 * closed in (tasks as they were, the request the close withdrew still withdrawn), runs as a live
 * run again (follow-ups, further actions), and a second reopen is refused. A reopened run whose
 * reopen never comes ends, closed, after a minute.
 */
describe('partnershipWorkflow: reopening a closed partnership', () => {
  const { client, withWorker } = useDevServerWorkflows();
  const actor = { kind: 'coordinator' as const, email: 'ana@iurc.example' };
  const admin = {
    kind: 'user' as const,
    id: randomUUID(),
    name: 'Admin',
    email: 'admin@x.example',
  };
  const ES = randomUUID();
  const CN = randomUUID();
  const [esContact, cnContact] = [randomUUID(), randomUUID()];
  const contactsByOrganisation = { [ES]: [esContact], [CN]: [cnContact] };
  const code = (err: unknown): string =>
    ((err as WorkflowUpdateFailedError).cause as ApplicationFailure).type ?? '';

  function input(): PartnershipWorkflowInput {
    return {
      partnershipId: randomUUID(),
      title: 'Valencia – Chengdu',
      areas: [],
      coordinator: { name: 'Ana', email: 'ana@iurc.example' },
      organisations: workflowOrganisations({ id: ES }, { id: CN }),
      requestHash: 'hash',
      requestedAt: new Date().toISOString(),
      actor,
      contactIds: [esContact, cnContact],
      template: {
        key: 'default',
        version: 1,
        tasks: [
          { key: 'meet', stage: 'introduction', title: 'Meet', required: true, kind: 'task' },
          { key: 'areas', stage: 'area_exploration', title: 'Areas', required: true, kind: 'task' },
        ],
      },
    };
  }

  /** Starts a partnership, takes it to area exploration with an approval pending, and closes it. */
  async function closedPartnership(taskQueue: string, args: PartnershipWorkflowInput) {
    const handle = await client().workflow.start(partnershipWorkflow, {
      workflowId: `partnership-${args.partnershipId}`,
      taskQueue,
      args: [{ kind: 'new', input: args }],
    });
    await handle.executeUpdate(awaitRecordedUpdate, { args: [{ requestHash: 'hash' }] });
    await handle.executeUpdate(completeTaskUpdate, {
      args: [{ actor, taskId: 'introduction.meet' }],
    });
    await handle.executeUpdate(advanceUpdate, { args: [{ actor }] });
    await handle.executeUpdate(requestApprovalUpdate, {
      args: [
        {
          actor,
          approvalId: randomUUID(),
          subject: { kind: 'gate', stage: 'area_exploration', title: 'Leave area exploration' },
          deadline: new Date(Date.now() + 7 * 86_400_000).toISOString(),
          organisations: [ES, CN].map((organisationId) => ({
            organisationId,
            rule: { kind: 'any' as const },
            approverContactIds: contactsByOrganisation[organisationId],
          })),
          contactsByOrganisation,
        },
      ],
    });
    await handle.executeUpdate(closeUpdate, { args: [{ actor, reason: 'Funding ended' }] });
    return (await handle.result()) as PartnershipWorkflowResult;
  }

  function reopenWith(
    taskQueue: string,
    partnershipId: string,
    carried: NonNullable<PartnershipWorkflowResult['carried']>,
    updateId: string,
  ) {
    return client().workflow.executeUpdateWithStart(reopenPartnershipUpdate, {
      args: [{ actor: admin, reason: 'Funding renewed' }],
      updateId,
      startWorkflowOperation: new WithStartWorkflowOperation(partnershipWorkflow, {
        workflowId: `partnership-${partnershipId}`,
        taskQueue,
        args: [{ kind: 'reopened', state: carried }],
        workflowIdConflictPolicy: 'USE_EXISTING',
      }),
    });
  }

  it('returns its state when closed, and an update-with-start reopens it as a live run', async () => {
    const events: TimelineEvent[] = [];
    const activities = partnershipActivities({
      async projectChanges(_snapshot, batch) {
        events.push(...batch);
      },
    });
    const args = input();
    await withWorker(activities, async (taskQueue) => {
      const closed = await closedPartnership(taskQueue, args);
      expect(closed).toMatchObject({ status: 'closed', stage: 'area_exploration' });
      expect(closed.carried).toMatchObject({
        partnershipId: args.partnershipId,
        status: 'closed',
        stage: 'area_exploration',
      });
      const carried = closed.carried!;
      const withdrawn = events.filter((e) => e.type === 'approval.withdrawn');
      expect(withdrawn).toHaveLength(1);

      const reopened = await reopenWith(taskQueue, args.partnershipId, carried, 'reopen-1');
      expect(reopened).toMatchObject({ status: 'active', stage: 'area_exploration' });
      expect(reopened.tasks.map((t) => [t.id, t.status])).toEqual([
        ['introduction.meet', 'done'],
        ['area_exploration.areas', 'open'],
      ]);
      const handle = client().workflow.getHandle(`partnership-${args.partnershipId}`);
      // The same update id again (a retried call) is answered the first one's result.
      const again = await reopenWith(taskQueue, args.partnershipId, carried, 'reopen-1');
      expect(again.lastSequence).toBe(reopened.lastSequence);
      // Another reopen is refused by the rule book: the partnership is active again.
      const refused = await reopenWith(taskQueue, args.partnershipId, carried, 'reopen-2').catch(
        (e: unknown) => e,
      );
      expect(code(refused)).toBe('PARTNERSHIP_NOT_CLOSED');
      expect(events.filter((e) => e.type === 'partnership.reopened')).toEqual([
        expect.objectContaining({
          actor: admin,
          payload: { stage: 'area_exploration', reason: 'Funding renewed' },
        }),
      ]);
      // A live run: follow-ups are planned, and the coordinator acts again.
      expect((await handle.query(getFollowUpsQuery)).enabled).toBe(true);
      const live = await handle.query(getLiveStateQuery);
      // The request the close withdrew stays withdrawn: no consent is pending.
      expect(live.gate.consent).toMatchObject({ required: false, status: 'not_requested' });
      await handle.executeUpdate(completeTaskUpdate, {
        args: [{ actor, taskId: 'area_exploration.areas' }],
      });
      await handle.executeUpdate(closeUpdate, { args: [{ actor, reason: 'Again' }] });
      const closedAgain = (await handle.result()) as PartnershipWorkflowResult;
      expect(closedAgain.carried).toMatchObject({ status: 'closed' });
    });
    const types = events.map((e) => e.type);
    expect(types.slice(types.indexOf('partnership.closed'))).toEqual([
      'partnership.closed',
      'approval.withdrawn',
      'partnership.reopened',
      'task.completed',
      'partnership.closed',
    ]);
    // Sequence numbers go on from the closed run's.
    const sequences = events.map((e) => e.sequence);
    expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
    expect(new Set(sequences).size).toBe(sequences.length);
  });

  it('a reopened run whose reopen is refused ends closed again after a minute', async () => {
    const activities = partnershipActivities();
    const args = input();
    await withWorker(activities, async (taskQueue) => {
      const closed = await closedPartnership(taskQueue, args);
      const started = Date.now();
      const refused = await client()
        .workflow.executeUpdateWithStart(reopenPartnershipUpdate, {
          args: [{ actor: admin, reason: '   ' }],
          updateId: 'blank',
          startWorkflowOperation: new WithStartWorkflowOperation(partnershipWorkflow, {
            workflowId: `partnership-${args.partnershipId}`,
            taskQueue,
            args: [{ kind: 'reopened', state: closed.carried! }],
            workflowIdConflictPolicy: 'USE_EXISTING',
          }),
        })
        .catch((e: unknown) => e);
      expect(code(refused)).toBe('REASON_REQUIRED');
      const handle = client().workflow.getHandle(`partnership-${args.partnershipId}`);
      expect((await handle.describe()).status.name).toBe('RUNNING');
      const result = (await handle.result()) as PartnershipWorkflowResult;
      expect(Date.now() - started).toBeGreaterThanOrEqual(55_000);
      expect(result).toMatchObject({ status: 'closed', carried: { status: 'closed' } });
      expect((await handle.describe()).status.name).toBe('COMPLETED');
    });
  }, 120_000);
});

import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { randomUUID } from 'node:crypto';
import { DEFAULT_FOLLOW_UP_POLICY, dueDateAfter, type TemplateTask } from '@libs/domain';
import type { ProjectionSnapshot } from '@workflows/partnership/partnership.activities.contract';
import {
  advanceUpdate,
  awaitRecordedUpdate,
  completeTaskUpdate,
  getLiveStateQuery,
  moveTemplateUpdate,
  PartnershipWorkflowInput,
} from '@workflows/partnership/partnership.contract';
import { partnershipWorkflow } from '@workflows/partnership/partnership.workflow';
import { workflowOrganisations } from '../support/fixtures';
import { partnershipActivities, useDevServerWorkflows } from '../support/workers';

/**
 * Template due offsets and a move to a newer version in the workflow, on the real dev server: the
 * first stage's task is due from the start in the coordinator's zone and calendar; a move drops
 * a task, adds one dated from the stage's entry and brings a consent gate to the current stage,
 * which then refuses to advance; a move that is not newer is refused and changes nothing.
 */
describe('partnershipWorkflow: due offsets and moving to a newer template version', () => {
  const { client, withWorker } = useDevServerWorkflows();
  const actor = { kind: 'coordinator' as const, email: 'ana@iurc.example' };
  const ES = randomUUID();
  const CN = randomUUID();
  const V1: TemplateTask[] = [
    {
      key: 'meet',
      stage: 'introduction',
      title: 'Meet',
      required: true,
      kind: 'task',
      dueOffsetDays: 2,
    },
    { key: 'areas', stage: 'area_exploration', title: 'Areas', required: true, kind: 'task' },
    { key: 'visit', stage: 'area_exploration', title: 'Visit', required: false, kind: 'task' },
  ];
  const V2: TemplateTask[] = [
    V1[0],
    { ...V1[1], title: 'Areas of common interest' },
    {
      key: 'budget',
      stage: 'area_exploration',
      title: 'Budget',
      required: false,
      kind: 'task',
      dueOffsetDays: 3,
    },
  ];

  const code = (err: unknown): string =>
    ((err as WorkflowUpdateFailedError).cause as ApplicationFailure).type ?? '';

  it('dates tasks from their offsets and moves to version 2', async () => {
    const snapshots: ProjectionSnapshot[] = [];
    const activities = partnershipActivities({
      async projectChanges(snapshot) {
        snapshots.push(snapshot);
      },
    });
    const input: PartnershipWorkflowInput = {
      partnershipId: randomUUID(),
      title: 'Valencia – Chengdu',
      areas: [],
      coordinator: { name: 'Ana', email: 'ana@iurc.example' },
      organisations: workflowOrganisations({ id: ES }, { id: CN }),
      requestHash: 'hash',
      // Thursday 23:30 UTC: Friday already in Madrid.
      requestedAt: '2026-11-26T23:30:00.000Z',
      actor,
      contactIds: [],
      template: { key: 'default', version: 1, tasks: V1 },
      followUpPolicy: {
        ...DEFAULT_FOLLOW_UP_POLICY,
        coordinator: { timeZone: 'Europe/Madrid', language: 'es', country: 'ES' },
      },
      coordinatorCalendar: {
        offDays: [{ date: '2026-11-30', name: 'Cierre de la oficina', kind: 'closure' }],
        workingDays: [],
      },
    };
    await withWorker(activities, async (taskQueue) => {
      const handle = await client().workflow.start(partnershipWorkflow, {
        workflowId: `partnership-${input.partnershipId}`,
        taskQueue,
        args: [{ kind: 'new', input }],
      });
      await handle.executeUpdate(awaitRecordedUpdate, { args: [{ requestHash: 'hash' }] });
      // From Friday 27 in Madrid: (Monday 30 closed) Tuesday 1, Wednesday 2. In UTC, or without
      // the closure, it would be Tuesday 1.
      const started = async () => (await handle.query(getLiveStateQuery)).tasks[0].dueDate;
      for (let i = 0; i < 50 && (await started()) === null; i += 1) {
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(await started()).toBe('2026-12-02');

      await handle.executeUpdate(completeTaskUpdate, {
        args: [{ actor, taskId: 'introduction.meet' }],
      });
      await handle.executeUpdate(advanceUpdate, { args: [{ actor }] });
      const entered = (await handle.query(getLiveStateQuery)).stage;
      expect(entered).toBe('area_exploration');

      const template = {
        key: 'default',
        version: 2,
        tasks: V2,
        gates: {
          area_exploration: { consent: 'partners' as const, organisationRule: 'any' as const },
        },
      };
      const refused = await handle
        .executeUpdate(moveTemplateUpdate, {
          args: [{ actor, template: { ...template, version: 1 } }],
        })
        .catch((e: unknown) => e);
      expect(code(refused)).toBe('TEMPLATE_NOT_NEWER');
      const before = snapshots.length;

      const moved = await handle.executeUpdate(moveTemplateUpdate, { args: [{ actor, template }] });
      expect(moved.tasks.map((t) => [t.id, t.title, t.dueDate !== null])).toEqual([
        ['introduction.meet', 'Meet', true],
        ['area_exploration.areas', 'Areas of common interest', false],
        ['area_exploration.budget', 'Budget', true],
      ]);
      const last = snapshots.at(-1)!;
      expect(snapshots.length).toBe(before + 1);
      expect(last.template).toEqual({ version: 2, removedTaskIds: ['area_exploration.visit'] });
      expect(last.tasks.find((t) => t.id === 'area_exploration.budget')?.dueDate).toBe(
        dueDateAfter(last.stageEnteredAt!, 3, 'Europe/Madrid', input.coordinatorCalendar),
      );

      // The new version's gate rule holds in the current stage at once.
      await handle.executeUpdate(completeTaskUpdate, {
        args: [{ actor, taskId: 'area_exploration.areas' }],
      });
      expect(
        code(await handle.executeUpdate(advanceUpdate, { args: [{ actor }] }).catch((e) => e)),
      ).toBe('GATE_CONSENT_MISSING');
      await handle.terminate('test done');
    });
  });
});

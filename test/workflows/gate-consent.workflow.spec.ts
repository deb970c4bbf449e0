import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { randomUUID } from 'node:crypto';
import type { ProjectionSnapshot } from '@workflows/partnership/partnership.activities.contract';
import {
  advanceUpdate,
  awaitRecordedUpdate,
  completeTaskUpdate,
  decideApprovalUpdate,
  getLiveStateQuery,
  PartnershipWorkflowInput,
  requestApprovalUpdate,
  sendBackUpdate,
} from '@workflows/partnership/partnership.contract';
import { partnershipWorkflow } from '@workflows/partnership/partnership.workflow';
import { workflowOrganisations } from '../support/fixtures';
import { partnershipActivities, useDevServerWorkflows } from '../support/workers';

/** Gates and templates in the workflow (GATE_CONSENT_PATCH), on the real dev server. */
describe('partnershipWorkflow: gate consent and tasks the partners answer', () => {
  const { client, withWorker } = useDevServerWorkflows();
  const actor = { kind: 'coordinator' as const, email: 'ana@iurc.example' };
  const ES = randomUUID();
  const CN = randomUUID();
  const [esContact, cnContact] = [randomUUID(), randomUUID()];
  const contactsByOrganisation = { [ES]: [esContact], [CN]: [cnContact] };

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
        version: 2,
        tasks: [
          {
            key: 'review',
            stage: 'introduction',
            title: 'Partners review',
            required: true,
            kind: 'approval',
            answeredBy: 'partners',
          },
        ],
        gates: { introduction: { consent: 'partners', organisationRule: 'any' } },
      },
    };
  }

  const code = (err: unknown): string =>
    ((err as WorkflowUpdateFailedError).cause as ApplicationFailure).type ?? '';

  it('completes a task from its approval, refuses to advance without both partners, and asks again after a send-back', async () => {
    const snapshots: ProjectionSnapshot[] = [];
    const activities = partnershipActivities({
      async projectChanges(snapshot) {
        snapshots.push(snapshot);
      },
    });
    const args = input();
    await withWorker(activities, async (taskQueue) => {
      const handle = await client().workflow.start(partnershipWorkflow, {
        workflowId: `partnership-${args.partnershipId}`,
        taskQueue,
        args: [{ kind: 'new', input: args }],
      });
      await handle.executeUpdate(awaitRecordedUpdate, { args: [{ requestHash: 'hash' }] });
      const ask = (approvalId: string, subject: Parameters<typeof askArgs>[1]) =>
        handle.executeUpdate(requestApprovalUpdate, { args: [askArgs(approvalId, subject)] });
      const decide = (approvalId: string, contactId: string, outcome: 'approved' | 'rejected') =>
        handle.executeUpdate(decideApprovalUpdate, {
          args: [
            {
              actor,
              approvalId,
              contactId,
              outcome,
              comment: outcome === 'rejected' ? 'redo' : null,
            },
          ],
        });

      const taskId = 'introduction.review';
      const ticked = await handle
        .executeUpdate(completeTaskUpdate, { args: [{ actor, taskId }] })
        .catch((e: unknown) => e);
      expect(code(ticked)).toBe('TASK_NEEDS_APPROVAL');

      const task = { kind: 'task' as const, taskId, title: 'Partners review' };
      const first = randomUUID();
      await ask(first, task);
      await decide(first, esContact, 'approved');
      await decide(first, cnContact, 'rejected');
      let live = await handle.query(getLiveStateQuery);
      expect(live.tasks[0].status).toBe('open');
      const second = randomUUID();
      await ask(second, task);
      await decide(second, esContact, 'approved');
      await decide(second, cnContact, 'approved');
      live = await handle.query(getLiveStateQuery);
      expect(live.tasks[0].status).toBe('done');

      // Every task done: the gate still wants both partners.
      expect(
        code(await handle.executeUpdate(advanceUpdate, { args: [{ actor }] }).catch((e) => e)),
      ).toBe('GATE_CONSENT_MISSING');
      const gate = { kind: 'gate' as const, stage: 'introduction' as const, title: 'Leave' };
      const consent = randomUUID();
      await ask(consent, gate);
      await decide(consent, esContact, 'approved');
      expect(
        code(await handle.executeUpdate(advanceUpdate, { args: [{ actor }] }).catch((e) => e)),
      ).toBe('GATE_CONSENT_MISSING');
      await decide(consent, cnContact, 'approved');
      expect((await handle.executeUpdate(advanceUpdate, { args: [{ actor }] })).stage).toBe(
        'area_exploration',
      );

      // Sent back into introduction: the consent given before counts no more.
      const back = await handle.executeUpdate(sendBackUpdate, {
        args: [{ actor, reason: 'again' }],
      });
      expect(back.stage).toBe('introduction');
      expect(back.gate.consent).toMatchObject({
        required: true,
        approvalId: null,
        status: 'not_requested',
      });
      const refused = await handle
        .executeUpdate(advanceUpdate, { args: [{ actor }] })
        .catch((e) => e);
      expect(code(refused)).toBe('GATE_CONSENT_MISSING');
      // The projection carries when the stage was entered, for the API's gate.
      expect(snapshots.at(-1)?.stageEnteredAt).toEqual(expect.any(String));
      await handle.terminate('test done');
    });
  });

  function askArgs(
    approvalId: string,
    subject:
      | { kind: 'task'; taskId: string; title: string }
      | { kind: 'gate'; stage: 'introduction'; title: string },
  ) {
    return {
      actor,
      approvalId,
      subject,
      deadline: new Date(Date.now() + 86_400_000).toISOString(),
      organisations: [ES, CN].map((organisationId) => ({
        organisationId,
        rule: { kind: 'any' as const },
        approverContactIds: contactsByOrganisation[organisationId],
      })),
      contactsByOrganisation,
    };
  }
});

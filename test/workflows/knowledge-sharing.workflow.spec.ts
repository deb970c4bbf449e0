import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { randomUUID } from 'node:crypto';
import { TimelineEvent } from '@libs/domain';
import {
  advanceUpdate,
  awaitRecordedUpdate,
  getLiveStateQuery,
  PartnershipWorkflowInput,
  shareKnowledgeUpdate,
  ShareKnowledgeArgs,
} from '@workflows/partnership/partnership.contract';
import { partnershipWorkflow } from '@workflows/partnership/partnership.workflow';
import { workflowOrganisations } from '../support/fixtures';
import { partnershipActivities, useDevServerWorkflows } from '../support/workers';

/** Knowledge sharing on the real dev server, activities mocked: the gate, revisions, the task. */
describe('partnershipWorkflow: knowledge sharing', () => {
  const { client, withWorker } = useDevServerWorkflows();
  const actor = { kind: 'coordinator' as const, email: 'ana@iurc.example' };

  it('refuses to leave knowledge sharing while an organisation has not contributed, then opens', async () => {
    const projected: TimelineEvent[] = [];
    const activities = partnershipActivities({
      async projectChanges(_snapshot, events) {
        projected.push(...events);
      },
    });
    const organisations = workflowOrganisations();
    const [es, cn] = organisations.map((o) => o.id);
    const input: PartnershipWorkflowInput = {
      partnershipId: randomUUID(),
      title: 'Valencia – Chengdu',
      areas: ['Clean energy'],
      coordinator: { name: 'Ana', email: 'ana@iurc.example' },
      organisations,
      requestHash: 'hash-1',
      requestedAt: '2026-11-29T09:00:00.000Z',
      actor,
      template: {
        key: 'default',
        version: 1,
        tasks: [
          {
            key: 'funding_environment',
            stage: 'knowledge_sharing',
            title: 'Share the funding environment',
            required: true,
            kind: 'task',
          },
        ],
      },
    };
    await withWorker(activities, async (taskQueue) => {
      const handle = await client().workflow.start(partnershipWorkflow, {
        workflowId: `partnership-${input.partnershipId}`,
        taskQueue,
        args: [{ kind: 'new', input }],
      });
      await handle.executeUpdate(awaitRecordedUpdate, { args: [{ requestHash: 'hash-1' }] });
      await handle.executeUpdate(advanceUpdate, { args: [{ actor }] });
      await handle.executeUpdate(advanceUpdate, { args: [{ actor }] });
      const share = (action: ShareKnowledgeArgs['action']) =>
        handle.executeUpdate(shareKnowledgeUpdate, { args: [{ actor, action }] });
      expect(await share({ type: 'setGate', requireContributions: true })).toMatchObject({
        changed: true,
        requireContributions: true,
      });
      // Only the funding topic stays required, so that two contributions open the gate.
      const refuseAdvance = () =>
        handle.executeUpdate(advanceUpdate, { args: [{ actor }] }).catch((e: unknown) => e);
      const refused = await refuseAdvance();
      expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
      const cause = (refused as WorkflowUpdateFailedError).cause as ApplicationFailure;
      expect(cause.type).toBe('GATE_TASKS_OPEN');

      const contribute = (organisationId: string, text: string, language: 'es' | 'zh') =>
        share({
          type: 'contribute',
          topicKey: 'funding_environment',
          organisationId,
          text,
          language,
          links: [],
        });
      for (const key of ['entrepreneurship_culture', 'startup_regulations']) {
        for (const [o, language] of [
          [es, 'es'],
          [cn, 'zh'],
        ] as const)
          await share({
            type: 'contribute',
            topicKey: key,
            organisationId: o,
            text: `${key} ${language}`,
            language,
            links: [],
          });
      }
      expect(await contribute(es, 'Fondos IVACE', 'es')).toMatchObject({
        revision: 1,
        changed: true,
      });
      // The same again records nothing; an edit is revision 2.
      expect(await contribute(es, 'Fondos IVACE', 'es')).toMatchObject({
        revision: 1,
        changed: false,
      });
      expect(await contribute(es, 'Fondos IVACE y CDTI', 'es')).toMatchObject({ revision: 2 });

      const missing = (await refuseAdvance()) as WorkflowUpdateFailedError;
      const missingCause = missing.cause as ApplicationFailure;
      expect(missingCause.type).toBe('GATE_TASKS_OPEN');
      const state = await handle.query(getLiveStateQuery);
      expect(state.gate.blockers).toEqual([
        expect.objectContaining({ kind: 'task', taskId: 'knowledge_sharing.funding_environment' }),
        {
          kind: 'knowledge',
          topicKey: 'funding_environment',
          title: 'Funding environment',
          organisationId: cn,
        },
      ]);

      // Chengdu's contribution completes the topic: its template task is done and the gate opens.
      await contribute(cn, '成都天使投资引导基金', 'zh');
      const open = await handle.query(getLiveStateQuery);
      // Open, and no consent asked of anyone: this template's knowledge-sharing gate needs none.
      expect(open.gate).toMatchObject({
        open: true,
        blockers: [],
        consent: { required: false, status: 'not_requested' },
      });
      expect(open.tasks.find((t) => t.id === 'knowledge_sharing.funding_environment')?.status).toBe(
        'done',
      );
      expect((await handle.executeUpdate(advanceUpdate, { args: [{ actor }] })).stage).toBe(
        'project_proposal',
      );
      await handle.terminate('test done');
    });
    const types = projected.map((e) => e.type);
    expect(types.filter((t) => t === 'knowledge.contributed')).toHaveLength(7);
    expect(types.slice(-3)).toEqual(['knowledge.contributed', 'task.completed', 'stage.advanced']);
    expect(
      projected.find(
        (e) =>
          e.type === 'knowledge.contributed' &&
          e.payload.language === 'zh' &&
          e.payload.topicKey === 'funding_environment',
      )?.payload,
    ).toMatchObject({ text: '成都天使投资引导基金', organisationId: cn, revision: 1 });
  });
});

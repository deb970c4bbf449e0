import { Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import type { TimelineEvent } from '@libs/domain';
import type { ProjectionSnapshot } from '@workflows/partnership/partnership.activities.contract';
import {
  addTaskUpdate,
  advanceUpdate,
  awaitRecordedUpdate,
  closeUpdate,
  getPartnershipQuery,
  PartnershipSearchAttributes,
  PartnershipWorkflowInput,
  requestApprovalUpdate,
} from '@workflows/partnership/partnership.contract';
import { partnershipWorkflow } from '@workflows/partnership/partnership.workflow';
import { waitFor } from '../support/stack';
import { useTimeSkipping } from '../support/time-skipping';
import { partnershipActivities } from '../support/workers';

const DAY = 24 * 60 * 60 * 1000;

/**
 * Probe: the real partnership workflow, with mocked activities, on the Java time-skipping test
 * server: updates answer, search attribute upserts pass, and days of workflow time pass in moments.
 */
describe('partnershipWorkflow on the time-skipping test server', () => {
  const { env, bundle } = useTimeSkipping();

  it('answers updates, upserts its search attributes and expires an approval after 3 skipped days', async () => {
    const projected: { snapshot: ProjectionSnapshot; events: TimelineEvent[] }[] = [];
    const activities = partnershipActivities({
      async projectChanges(snapshot, events) {
        projected.push({ snapshot, events });
      },
    });
    const partnershipId = randomUUID();
    const [es, cn] = [randomUUID(), randomUUID()];
    const org = (id: string, name: string, country: string) => ({
      id,
      isNew: true,
      name,
      region: null,
      country,
      kind: 'agency' as const,
      contacts: [],
    });
    const input: PartnershipWorkflowInput = {
      partnershipId,
      title: 'Valencia – Chengdu',
      areas: ['Clean energy'],
      coordinator: { name: 'Ana', email: 'ana@iurc.example' },
      organisations: [org(es, 'IVACE', 'ES'), org(cn, 'EIRI', 'CN')],
      requestHash: 'hash-1',
      requestedAt: '2026-11-29T09:00:00.000Z',
      actor: { kind: 'coordinator', email: 'ana@iurc.example' },
      template: { key: 'default', version: 1, tasks: [] },
    };
    const actor = { kind: 'coordinator' as const, name: 'Ana', email: 'ana@iurc.example' };
    const taskQueue = `time-skipping-${randomUUID()}`;
    const worker = await Worker.create({
      connection: env().nativeConnection,
      taskQueue,
      workflowBundle: bundle(),
      activities,
    });

    await worker.runUntil(async () => {
      const handle = await env().client.workflow.start(partnershipWorkflow, {
        workflowId: `partnership-${partnershipId}`,
        taskQueue,
        args: [{ kind: 'new', input }],
      });
      expect(
        await handle.executeUpdate(awaitRecordedUpdate, { args: [{ requestHash: 'hash-1' }] }),
      ).toMatchObject({ id: partnershipId, stage: 'introduction', recorded: true });

      // (a) Updates: each answers the live state once the change is projected.
      const withTask = await handle.executeUpdate(addTaskUpdate, {
        args: [{ actor, title: 'Hold the kick-off meeting', required: false }],
      });
      expect(withTask.tasks.map((t) => t.title)).toEqual(['Hold the kick-off meeting']);
      const advanced = await handle.executeUpdate(advanceUpdate, { args: [{ actor }] });
      expect(advanced.stage).toBe('area_exploration');

      // (b) Search attributes: upserted at start and on the stage change, no workflow task failed.
      const attributes = (await handle.describe()).typedSearchAttributes;
      expect(attributes.get(PartnershipSearchAttributes.id)).toBe(partnershipId);
      expect(attributes.get(PartnershipSearchAttributes.stage)).toBe('area_exploration');
      expect(attributes.get(PartnershipSearchAttributes.organisations)).toEqual([es, cn]);

      // (c) Time skipping: a request due in 2 days expires when 3 days are skipped.
      const now = await env().currentTimeMs();
      const approvalId = randomUUID();
      const requested = await handle.executeUpdate(requestApprovalUpdate, {
        args: [
          {
            actor,
            approvalId,
            subject: { kind: 'document', title: 'MoU draft' },
            deadline: new Date(now + 2 * DAY).toISOString(),
            organisations: [
              { organisationId: es, rule: { kind: 'any' }, approverContactIds: ['es-1'] },
            ],
            contactsByOrganisation: { [es]: ['es-1'], [cn]: ['cn-1'] },
          },
        ],
      });
      expect(requested.status).toBe('pending');

      const started = Date.now();
      await env().sleep('3 days');
      const expired = await waitFor(
        () => projected.find((p) => p.events.some((e) => e.type === 'approval.expired')),
        { timeoutMs: 60_000, what: 'approval.expired to be projected' },
      );
      // Skipped, not waited: 3 days of workflow time in a thousandth of that on the wall clock
      // (four minutes; a busy machine takes seconds, real waiting would take days).
      expect(await env().currentTimeMs()).toBeGreaterThanOrEqual(now + 3 * DAY);
      expect(Date.now() - started).toBeLessThan((3 * DAY) / 1000);
      expect(expired.snapshot.approvals?.find((a) => a.id === approvalId)?.status).toBe('expired');
      expect(await handle.query(getPartnershipQuery)).toMatchObject({
        stage: 'area_exploration',
        status: 'active',
      });

      await handle.executeUpdate(closeUpdate, { args: [{ actor, reason: 'Probe done' }] });
      expect(await handle.result()).toMatchObject({ status: 'closed' });
      const history = await handle.fetchHistory();
      const events = history.events ?? [];
      expect(events.filter((e) => e.workflowTaskFailedEventAttributes)).toEqual([]);
      expect(events.some((e) => e.timerFiredEventAttributes)).toBe(true);
    });
  });
});

import { WorkflowHandle, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { randomUUID } from 'node:crypto';
import {
  ApprovalSubject,
  DEFAULT_WORKING_HOURS,
  MAX_OPEN_APPROVAL_REQUESTS,
  TimelineEvent,
} from '@libs/domain';
import type { ProjectionSnapshot } from '@workflows/partnership/partnership.activities.contract';
import {
  advanceUpdate,
  awaitRecordedUpdate,
  completeTaskUpdate,
  decideApprovalUpdate,
  getLiveStateQuery,
  PartnershipWorkflowInput,
  requestApprovalUpdate,
  withdrawApprovalUpdate,
} from '@workflows/partnership/partnership.contract';
import { partnershipWorkflow } from '@workflows/partnership/partnership.workflow';
import { workflowOrganisations } from '../support/fixtures';
import { partnershipActivities, useDevServerWorkflows } from '../support/workers';

const actor = { kind: 'coordinator' as const, email: 'ana@iurc.example' };

/** The refusal of an update that reached a run draining to continue as new (`refuseWhileContinuing`). */
function refusedWhileContinuing(err: unknown): boolean {
  return (
    err instanceof WorkflowUpdateFailedError &&
    err.cause instanceof ApplicationFailure &&
    err.cause.type === 'DEPENDENCY_UNAVAILABLE'
  );
}

/**
 * The handle with its updates tried again while the run drains to continue as new, as the API
 * does (PartnershipUpdatesService): the workflow refuses them then, and the next run takes them.
 */
function retryingWhileContinuing<H extends WorkflowHandle>(handle: H): H {
  const once = handle.executeUpdate.bind(handle) as (...args: unknown[]) => Promise<unknown>;
  const executeUpdate = async (...args: unknown[]): Promise<unknown> => {
    for (;;) {
      try {
        return await once(...args);
      } catch (err) {
        if (!refusedWhileContinuing(err)) throw err;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  };
  return Object.assign(Object.create(handle) as H, { executeUpdate });
}
/** The most document text a request may hold (20,000 characters). */
const DOCUMENT_TEXT = 'Both parties agree to share their programmes. '.repeat(435).slice(0, 20_000);

/**
 * What the partnership workflow carries of its approval requests, on the real dev server with
 * its activities mocked: closed requests and document text stay in PostgreSQL (the projection),
 * the workflow keeps only what it decides on, open requests are capped, and each projection
 * writes only the requests that changed.
 */
describe('partnership workflow: approval state', () => {
  const { client, withWorker } = useDevServerWorkflows();

  /** A partnership of two organisations with a few contacts each , and its projections. */
  function partnership(maxHistoryLength?: number, approversPerOrganisation = 2) {
    const es = randomUUID();
    const cn = randomUUID();
    const contacts = (n: number) => Array.from({ length: n }, () => randomUUID());
    const esContacts = contacts(approversPerOrganisation);
    const cnContacts = contacts(approversPerOrganisation);
    const input: PartnershipWorkflowInput = {
      partnershipId: randomUUID(),
      title: 'Valencia – Chengdu',
      areas: ['Clean energy'],
      coordinator: { name: 'Ana', email: 'ana@iurc.example' },
      organisations: workflowOrganisations({ id: es }, { id: cn }),
      requestHash: 'hash',
      requestedAt: new Date().toISOString(),
      actor,
      template: {
        key: 'default',
        version: 1,
        tasks: [
          { key: 'meeting', stage: 'introduction', title: 'Meet', required: true, kind: 'task' },
        ],
      },
      contactIds: [...esContacts, ...cnContacts],
      ...(maxHistoryLength ? { maxHistoryLength } : {}),
    };
    const projected: { snapshot: ProjectionSnapshot; events: TimelineEvent[] }[] = [];
    const activities = partnershipActivities({
      async projectChanges(snapshot, events) {
        projected.push({ snapshot, events });
      },
    });
    const profile = { timeZone: 'Europe/Madrid', workingHours: DEFAULT_WORKING_HOURS };
    /** The update arguments of a request to every contact of both organisations. */
    const ask = (subject: ApprovalSubject, rule: 'all' | 'any' = 'any') => ({
      actor,
      approvalId: randomUUID(),
      subject,
      deadline: new Date(Date.now() + 30 * 24 * 3600_000).toISOString(),
      organisations: [
        { organisationId: es, rule: { kind: rule }, approverContactIds: esContacts },
        { organisationId: cn, rule: { kind: rule }, approverContactIds: cnContacts },
      ],
      contactsByOrganisation: { [es]: esContacts, [cn]: cnContacts },
      approverProfiles: Object.fromEntries([...esContacts, ...cnContacts].map((c) => [c, profile])),
    });
    const start = async (taskQueue: string) => {
      const handle = await client().workflow.start(partnershipWorkflow, {
        workflowId: `partnership-${input.partnershipId}`,
        taskQueue,
        args: [{ kind: 'new', input }],
      });
      await handle.executeUpdate(awaitRecordedUpdate, { args: [{ requestHash: 'hash' }] });
      return handle;
    };
    return { input, projected, activities, ask, start, esContacts, cnContacts };
  }

  it('continues as new after 300 closed requests with a payload under 100 KB', async () => {
    const p = partnership(600);
    const document = (i: number): ApprovalSubject => ({
      kind: 'document',
      title: `Document ${i}`,
      text: DOCUMENT_TEXT,
    });
    await withWorker(p.activities, async (taskQueue) => {
      const handle = await p.start(taskQueue);
      const workflow = () =>
        retryingWhileContinuing(client().workflow.getHandle(handle.workflowId));
      // Two requests stay open throughout, with their full text.
      for (const i of [1, 2]) {
        await handle.executeUpdate(requestApprovalUpdate, { args: [p.ask(document(-i), 'all')] });
      }
      // 300 requests closed: approved, rejected or withdrawn, a third each.
      const close = async (i: number) => {
        const args = p.ask(document(i));
        await workflow().executeUpdate(requestApprovalUpdate, { args: [args] });
        const { approvalId } = args;
        const decide = (contactId: string, outcome: 'approved' | 'rejected') =>
          workflow().executeUpdate(decideApprovalUpdate, {
            args: [{ actor, approvalId, contactId, outcome, comment: 'Seen' }],
          });
        if (i % 3 === 0) {
          await decide(p.esContacts[0], 'approved');
          await decide(p.cnContacts[0], 'approved');
        } else if (i % 3 === 1) {
          await decide(p.esContacts[0], 'rejected');
        } else {
          await workflow().executeUpdate(withdrawApprovalUpdate, { args: [{ actor, approvalId }] });
        }
      };
      let closed = 0;
      // Eight at a time, as a busy partnership sends them: the run continues as new only once
      // no update is in flight, refusing new ones meanwhile (they retry against the next run).
      while (closed < 300) {
        const batch = Array.from({ length: Math.min(8, 300 - closed) }, (_, k) => closed + k);
        await Promise.all(batch.map(close));
        closed += batch.length;
      }
      // Then until the run that held the 300th closed request has continued as new.
      const runAfter300 = (await workflow().describe()).runId;
      while ((await workflow().describe()).runId === runAfter300) await close(closed++);

      const history = await client()
        .workflow.getHandle(handle.workflowId, runAfter300)
        .fetchHistory();
      const continued = history.events?.find(
        (e) => e.workflowExecutionContinuedAsNewEventAttributes,
      )?.workflowExecutionContinuedAsNewEventAttributes;
      expect(continued).toBeDefined();
      const bytes = (continued!.input?.payloads ?? []).reduce(
        (sum, payload) => sum + (payload.data?.length ?? 0),
        0,
      );
      expect(bytes).toBeGreaterThan(0);
      expect(bytes).toBeLessThan(100 * 1024);

      // Every request was projected, each closed one with its text; and the open two still
      // answer decisions in the new run.
      const requests = new Map(
        p.projected.flatMap((r) => r.snapshot.approvals ?? []).map((a) => [a.id, a]),
      );
      expect([...requests.values()].filter((a) => a.status !== 'pending').length).toBe(closed);
      const open = [...requests.values()].filter((a) => a.status === 'pending');
      expect(open).toHaveLength(2);
      const firstProjection = p.projected.find((r) =>
        r.snapshot.approvals?.some((a) => a.id === open[0].id),
      )!;
      const asFirstProjected = firstProjection.snapshot.approvals!.find(
        (a) => a.id === open[0].id,
      )!;
      expect(asFirstProjected.subject).toMatchObject({ kind: 'document', text: DOCUMENT_TEXT });
      const decided = await workflow().executeUpdate(decideApprovalUpdate, {
        args: [{ actor, approvalId: open[0].id, contactId: p.cnContacts[1], outcome: 'approved' }],
      });
      expect(decided.status).toBe('pending');
      await workflow().terminate('test done');
    });
  }, 900_000);

  it('projects only the requests a change touched', async () => {
    const p = partnership();
    await withWorker(p.activities, async (taskQueue) => {
      const handle = await p.start(taskQueue);
      const asked = [1, 2, 3].map((i) => p.ask({ kind: 'document', title: `Document ${i}` }));
      for (const args of asked) await handle.executeUpdate(requestApprovalUpdate, { args: [args] });
      const before = p.projected.length;
      await handle.executeUpdate(decideApprovalUpdate, {
        args: [
          {
            actor,
            approvalId: asked[1].approvalId,
            contactId: p.esContacts[0],
            outcome: 'approved',
          },
        ],
      });
      await handle.executeUpdate(completeTaskUpdate, {
        args: [{ actor, taskId: 'introduction.meeting' }],
      });
      const [decision, task] = p.projected.slice(before);
      expect(
        decision.snapshot.approvals?.map((a) => [a.id, a.organisations[0].approvers[0].decision]),
      ).toEqual([[asked[1].approvalId, expect.objectContaining({ outcome: 'approved' })]]);
      expect(task.snapshot.approvals).toEqual([]);
      // The first projection of each request wrote it; none wrote another's again.
      const writes = p.projected.flatMap((r) => (r.snapshot.approvals ?? []).map((a) => a.id));
      expect(writes.sort()).toEqual(
        [asked[0].approvalId, asked[1].approvalId, asked[1].approvalId, asked[2].approvalId].sort(),
      );
      await handle.terminate('test done');
    });
  });

  it(`refuses a request past ${MAX_OPEN_APPROVAL_REQUESTS} open ones, outside history`, async () => {
    const p = partnership();
    await withWorker(p.activities, async (taskQueue) => {
      const handle = await p.start(taskQueue);
      const asked: ReturnType<typeof p.ask>[] = [];
      for (let i = 0; i < MAX_OPEN_APPROVAL_REQUESTS; i++) {
        const args = p.ask({ kind: 'document', title: `Document ${i}` });
        asked.push(args);
        await handle.executeUpdate(requestApprovalUpdate, { args: [args] });
      }
      const refused = await handle
        .executeUpdate(requestApprovalUpdate, {
          args: [p.ask({ kind: 'document', title: 'One more' })],
        })
        .catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
      const cause = (refused as WorkflowUpdateFailedError).cause as ApplicationFailure;
      expect(cause).toBeInstanceOf(ApplicationFailure);
      expect(cause.type).toBe('TOO_MANY_OPEN_APPROVALS');
      expect(cause.details).toEqual([{ limit: MAX_OPEN_APPROVAL_REQUESTS }]);
      const accepted = (await handle.fetchHistory()).events?.filter(
        (e) =>
          e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name ===
          'requestApproval',
      );
      expect(accepted).toHaveLength(MAX_OPEN_APPROVAL_REQUESTS);

      // One closes: there is room for one more.
      await handle.executeUpdate(withdrawApprovalUpdate, {
        args: [{ actor, approvalId: asked[0].approvalId }],
      });
      const again = await handle.executeUpdate(requestApprovalUpdate, {
        args: [p.ask({ kind: 'document', title: 'One more' })],
      });
      expect(again.status).toBe('pending');
      await handle.terminate('test done');
    });
  });

  it('keeps the gate rule across continue-as-new: an approved gate request counts after it', async () => {
    const p = partnership(60);
    await withWorker(p.activities, async (taskQueue) => {
      const handle = await p.start(taskQueue);
      const gate = p.ask({ kind: 'gate', stage: 'introduction', title: 'Leave introduction' });
      await handle.executeUpdate(requestApprovalUpdate, { args: [gate] });
      await handle.executeUpdate(decideApprovalUpdate, {
        args: [
          { actor, approvalId: gate.approvalId, contactId: p.esContacts[0], outcome: 'approved' },
        ],
      });
      await handle.executeUpdate(decideApprovalUpdate, {
        args: [
          { actor, approvalId: gate.approvalId, contactId: p.cnContacts[0], outcome: 'approved' },
        ],
      });
      // A second gate request, pending, holds the gate until it is withdrawn.
      const second = p.ask({ kind: 'gate', stage: 'introduction', title: 'Leave introduction' });
      const workflow = () =>
        retryingWhileContinuing(client().workflow.getHandle(handle.workflowId));
      const firstRun = (await workflow().describe()).runId;
      await workflow().executeUpdate(requestApprovalUpdate, { args: [second] });
      while ((await workflow().describe()).runId === firstRun) {
        await workflow().executeUpdate(awaitRecordedUpdate, { args: [{ requestHash: 'hash' }] });
      }
      await workflow().executeUpdate(completeTaskUpdate, {
        args: [{ actor, taskId: 'introduction.meeting' }],
      });
      expect((await workflow().query(getLiveStateQuery)).gate.blockers).toEqual([
        expect.objectContaining({ kind: 'consent', approvalId: second.approvalId }),
      ]);
      await workflow().executeUpdate(withdrawApprovalUpdate, {
        args: [{ actor, approvalId: second.approvalId }],
      });
      // The first request, approved before continue-as-new, is the consent the gate counts.
      expect((await workflow().query(getLiveStateQuery)).gate).toMatchObject({
        open: true,
        blockers: [],
        consent: { required: true, status: 'approved', approvalId: gate.approvalId },
      });
      const advanced = await workflow().executeUpdate(advanceUpdate, { args: [{ actor }] });
      expect(advanced.stage).toBe('area_exploration');
      await workflow().terminate('test done');
    });
  });
});

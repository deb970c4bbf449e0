import {
  Client,
  Connection,
  WorkflowHandle,
  WorkflowHandleWithFirstExecutionRunId,
  WithStartWorkflowOperation,
} from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PartnershipActivities } from '@workflows/partnership/partnership.activities.contract';
import type { CalendarRefreshActivities } from '@workflows/calendars/calendar-refresh.contract';
import type { WeeklyDigestActivities } from '@workflows/digest/weekly-digest.contract';
import {
  answerCalendarEventUpdate,
  awaitCalendarEventRecordedUpdate,
  CalendarEventActivities,
  calendarEventWorkflowId,
  editCalendarEventUpdate,
} from '@workflows/calendar-events/calendar-event.contract';
import {
  addTaskUpdate,
  advanceUpdate,
  awaitRecordedUpdate,
  calendarEventNotedSignal,
  changePartnershipUpdate,
  moveTemplateUpdate,
  addCommentUpdate,
  ChangePartnershipArgs,
  closeUpdate,
  completeTaskUpdate,
  decideApprovalUpdate,
  getLiveStateQuery,
  RequestApprovalArgs,
  requestApprovalUpdate,
  reviseApprovalUpdate,
  setFollowUpPolicyUpdate,
  setWorkingCalendarsUpdate,
  shareKnowledgeUpdate,
  ShareKnowledgeArgs,
  withdrawApprovalUpdate,
  pauseUpdate,
  reopenTaskUpdate,
  reportTaskUpdate,
  resumeUpdate,
  sendBackUpdate,
  updateTaskUpdate,
  PartnershipWorkflowInput,
  PartnershipWorkflowResult,
  reopenPartnershipUpdate,
  ReportTaskArgs,
} from '@workflows/partnership/partnership.contract';
import { ApplicationFailure } from '@temporalio/common';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { DEFAULT_FOLLOW_UP_POLICY, DEFAULT_WORKING_HOURS, mergeFollowUpPolicy } from '@libs/domain';
import type { ApprovalSubject, TemplateTask } from '@libs/domain';
import { createTimeSkippingEnv, ensureTimeSkippingServer } from '../lib/time-skipping';
import { startTestStack } from '../lib/test-stack';

const OUT = join(__dirname, '..', '..', '..', 'test', 'histories');

/**
 * `npm run histories:record`: runs each scenario on a throw-away dev server with the current
 * workflow code and saves its history to test/histories/. The replay test runs these histories
 * through the workflow code of every later commit, so a non-deterministic change fails CI.
 * Record again only for a new scenario; never re-record to make a replay failure go away.
 */
/** A scenario returns the run whose history is saved (the latest run when runId is absent). */
type Scenario = (
  client: Client,
  taskQueue: string,
) => Promise<{ workflowId: string; runId?: string }>;

const fixedIds = {
  partnership: '6f1d2c3b-0000-4000-8000-000000000001',
  orgEs: '6f1d2c3b-0000-4000-8000-0000000000e5',
  orgCn: '6f1d2c3b-0000-4000-8000-0000000000c4',
  contact: '6f1d2c3b-0000-4000-8000-0000000000cc',
  contact2: '6f1d2c3b-0000-4000-8000-0000000000cd',
};

/** The approver whose approval e-mail the SMTP server refuses (5xx) while recording. */
const REFUSED_CONTACT = '6f1d2c3b-0000-4000-8000-0000000000ce';

/** A partner contact of the recorded scenarios, named and addressed after its id. */
function recordedContact(contactId: string, timeZone: string) {
  return {
    id: contactId,
    name: `Contact ${contactId.slice(-2)}`,
    email: `c${contactId.slice(-2)}@example.org`,
    role: null,
    language: 'en' as const,
    timeZone,
    workingHours: DEFAULT_WORKING_HOURS,
  };
}

const TEMPLATE: TemplateTask[] = [
  {
    key: 'meeting',
    stage: 'introduction',
    title: 'Hold the introductory meeting',
    required: true,
    kind: 'task',
  },
  {
    key: 'areas',
    stage: 'area_exploration',
    title: 'Propose candidate cooperation areas',
    required: true,
    kind: 'task',
  },
  {
    key: 'priority',
    stage: 'area_exploration',
    title: 'Agree priority areas',
    required: true,
    kind: 'approval',
  },
  {
    key: 'funding',
    stage: 'knowledge_sharing',
    title: 'Share the funding environment',
    required: true,
    kind: 'task',
  },
  {
    key: 'proposal',
    stage: 'project_proposal',
    title: 'Draft the proposal',
    required: true,
    kind: 'task',
  },
];
const actor = { kind: 'coordinator' as const, email: 'ana@iurc.example' };

function id(n: number): string {
  return `6f1d2c3b-0000-4000-8000-${String(n).padStart(12, '0')}`;
}

/**
 * Asks for an approval from both organisations of the fixtures: orgEs (its first contact, every
 * approver must approve) and orgCn (the second contact, under `cnRule`); the deadline is in 2030
 * unless given, and `extra` adds the approvers' profiles.
 */
function askBothOrganisations(handle: WorkflowHandle, cnRule: 'all' | 'any') {
  const contactsByOrganisation = {
    [fixedIds.orgEs]: [fixedIds.contact],
    [fixedIds.orgCn]: [fixedIds.contact2],
  };
  const organisations = [
    {
      organisationId: fixedIds.orgEs,
      rule: { kind: 'all' as const },
      approverContactIds: [fixedIds.contact],
    },
    {
      organisationId: fixedIds.orgCn,
      rule: { kind: cnRule },
      approverContactIds: [fixedIds.contact2],
    },
  ];
  return (
    approvalId: string,
    subject: ApprovalSubject,
    deadline = '2030-01-01T00:00:00.000Z',
    extra: Pick<RequestApprovalArgs, 'approverProfiles'> = {},
  ) =>
    handle.executeUpdate(requestApprovalUpdate, {
      args: [
        { actor, approvalId, subject, deadline, organisations, contactsByOrganisation, ...extra },
      ],
    });
}

async function startRecorded(
  client: Client,
  taskQueue: string,
  partnershipId: string,
  extra: Partial<PartnershipWorkflowInput> = {},
): Promise<WorkflowHandleWithFirstExecutionRunId> {
  const handle = await client.workflow.start('partnershipWorkflow', {
    workflowId: `partnership-${partnershipId}`,
    taskQueue,
    args: [
      {
        kind: 'new',
        input: {
          ...input(partnershipId),
          template: { key: 'default', version: 1, tasks: TEMPLATE },
          contactIds: [fixedIds.contact],
          ...extra,
        },
      },
    ],
  });
  await handle.executeUpdate(awaitRecordedUpdate, { args: [{ requestHash: 'recorded-hash' }] });
  return handle;
}

async function completeStage(handle: WorkflowHandle): Promise<void> {
  const state = await handle.query(getLiveStateQuery);
  for (const b of state.gate.blockers) {
    if (b.kind === 'task')
      await handle.executeUpdate(completeTaskUpdate, { args: [{ actor, taskId: b.taskId }] });
  }
  await handle.executeUpdate(advanceUpdate, {
    args: [{ actor, comment: `leaving ${state.stage}` }],
  });
}

/** Both contacts approve the request, then the partnership is closed and its run ends. */
async function approvedByBothThenClosed<H extends WorkflowHandle>(
  handle: H,
  approvalId: string,
): Promise<H> {
  for (const contactId of [fixedIds.contact, fixedIds.contact2]) {
    await handle.executeUpdate(decideApprovalUpdate, {
      args: [{ actor, approvalId, contactId, outcome: 'approved' }],
    });
  }
  await handle.executeUpdate(closeUpdate, { args: [{ actor, reason: 'Recorded' }] });
  await handle.result();
  return handle;
}

function input(partnershipId: string): PartnershipWorkflowInput {
  return {
    partnershipId,
    title: 'Valencia – Chengdu: clean-energy entrepreneurship',
    areas: ['Clean energy entrepreneurship', 'Internationalisation', 'Events and training'],
    coordinator: { name: 'Ana', email: 'ana@iurc.example' },
    organisations: [
      {
        id: fixedIds.orgEs,
        isNew: true,
        name: 'IVACE',
        region: 'Valencian Community',
        country: 'ES',
        kind: 'agency',
        contacts: [],
      },
      {
        id: fixedIds.orgCn,
        isNew: true,
        name: 'EIRI',
        region: 'Sichuan',
        country: 'CN',
        kind: 'institute',
        contacts: [],
      },
    ],
    requestHash: 'recorded-hash',
    requestedAt: '2026-11-29T09:00:00.000Z',
    actor: { kind: 'coordinator', email: 'ana@iurc.example' },
  };
}

export const scenarios: Record<string, Scenario> = {
  /** Created, recorded, the create endpoint's update answered, then a rejected reuse of the key. */
  async 'partnership-created'(client, taskQueue) {
    const handle = await client.workflow.start('partnershipWorkflow', {
      workflowId: `partnership-${fixedIds.partnership}`,
      taskQueue,
      args: [{ kind: 'new', input: input(fixedIds.partnership) }],
    });
    await handle.executeUpdate(awaitRecordedUpdate, { args: [{ requestHash: 'recorded-hash' }] });
    await handle
      .executeUpdate(awaitRecordedUpdate, { args: [{ requestHash: 'other' }] })
      .catch(() => undefined);
    return handle;
  },

  /** A full run to agreed: tasks added, assigned, completed, a refused advance, four advances. */
  async 'partnership-agreed'(client, taskQueue) {
    const handle = await startRecorded(client, taskQueue, id(2));
    await handle.executeUpdate(advanceUpdate, { args: [{ actor }] }).catch(() => undefined); // gate closed
    await handle.executeUpdate(addTaskUpdate, {
      args: [{ actor, title: 'Exchange organisation profiles' }],
    });
    const added = (await handle.query(getLiveStateQuery)).tasks.at(-1)!;
    await handle.executeUpdate(updateTaskUpdate, {
      args: [
        { actor, taskId: added.id, assigneeContactId: fixedIds.contact, dueDate: '2027-01-15' },
      ],
    });
    for (let i = 0; i < 4; i++) await completeStage(handle);
    await handle.result();
    return handle;
  },

  /**
   * The full run again, recorded after LOCAL_ACTIVITIES_PATCH: recording and projection as local
   * activities (markers in history). The older histories keep the pre-patch path under test.
   */
  async 'partnership-agreed-local-activities'(client, taskQueue) {
    return scenarios['partnership-agreed'](client, taskQueue);
  },

  /**
   * Gate consent: a gate request rejected with a comment (advance refused), asked again,
   * approved by both organisations, then advanced; plus a withdrawn document request and a
   * request that expires at its deadline.
   */
  async 'partnership-gate-approval'(client, taskQueue) {
    const handle = await startRecorded(client, taskQueue, id(6), {
      contactIds: [fixedIds.contact, fixedIds.contact2],
    });
    const ask = askBothOrganisations(handle, 'any');
    const gate: ApprovalSubject = {
      kind: 'gate',
      stage: 'introduction',
      title: 'Leave introduction',
    };
    await handle.executeUpdate(completeTaskUpdate, {
      args: [{ actor, taskId: 'introduction.meeting' }],
    });
    await ask(id(7), gate);
    await handle.executeUpdate(decideApprovalUpdate, {
      args: [{ actor, approvalId: id(7), contactId: fixedIds.contact, outcome: 'approved' }],
    });
    await handle.executeUpdate(decideApprovalUpdate, {
      args: [
        {
          actor,
          approvalId: id(7),
          contactId: fixedIds.contact2,
          outcome: 'rejected',
          comment: '请补充',
        },
      ],
    });
    await handle.executeUpdate(advanceUpdate, { args: [{ actor }] }).catch(() => undefined); // consent missing
    await ask(id(8), gate);
    for (const contactId of [fixedIds.contact, fixedIds.contact2]) {
      await handle.executeUpdate(decideApprovalUpdate, {
        args: [{ actor, approvalId: id(8), contactId, outcome: 'approved' }],
      });
    }
    await handle.executeUpdate(advanceUpdate, { args: [{ actor }] });
    await ask(id(9), { kind: 'document', title: 'Proposal v1' });
    await handle.executeUpdate(withdrawApprovalUpdate, { args: [{ actor, approvalId: id(9) }] });
    await ask(
      id(10),
      { kind: 'document', title: 'Minutes' },
      new Date(Date.now() + 1500).toISOString(),
    );
    await new Promise((r) => setTimeout(r, 3000)); // the deadline passes: expired
    return handle;
  },

  /**
   * Changes to a running partnership (PARTNERSHIP_CHANGES_PATCH), on three partners: its title,
   * areas and coordinator in one update; the same again refused (no change: no event); a
   * contact's new zone while an approval is pending (its reminder re-planned); the third partner
   * removed, withdrawing the request that asks it; removing another refused (two must stay);
   * closed.
   */
  async 'partnership-changes'(client, taskQueue) {
    const third = id(72);
    const contact3 = id(73);
    const base = input(id(70));
    const handle = await startRecorded(client, taskQueue, id(70), {
      organisations: [
        {
          ...base.organisations[0],
          contacts: [recordedContact(fixedIds.contact, 'Europe/Madrid')],
        },
        {
          ...base.organisations[1],
          contacts: [recordedContact(fixedIds.contact2, 'Asia/Shanghai')],
        },
        {
          ...base.organisations[1],
          id: third,
          name: 'Tianfu',
          contacts: [recordedContact(contact3, 'Asia/Shanghai')],
        },
      ],
      contactIds: [fixedIds.contact, fixedIds.contact2, contact3],
      calendars: {},
    });
    await handle.executeUpdate(requestApprovalUpdate, {
      args: [
        {
          actor,
          approvalId: id(71),
          subject: { kind: 'gate', stage: 'introduction', title: 'Leave introduction' },
          deadline: '2030-01-01T00:00:00.000Z',
          organisations: [
            {
              organisationId: fixedIds.orgEs,
              rule: { kind: 'all' },
              approverContactIds: [fixedIds.contact],
            },
            { organisationId: third, rule: { kind: 'any' }, approverContactIds: [contact3] },
          ],
          contactsByOrganisation: { [fixedIds.orgEs]: [fixedIds.contact], [third]: [contact3] },
        },
      ],
    });
    const details = {
      kind: 'details' as const,
      title: 'Valencia – Chengdu: energy and mobility',
      areas: ['Clean energy', 'Mobility'],
      coordinator: { name: 'Beatriz', email: 'beatriz@iurc.example' },
    };
    await handle.executeUpdate(changePartnershipUpdate, {
      args: [{ actor, change: details, comment: 'Steering committee' }],
    });
    await handle
      .executeUpdate(changePartnershipUpdate, { args: [{ actor, change: details }] })
      .catch(() => undefined); // nothing to change
    await handle.executeUpdate(changePartnershipUpdate, {
      args: [
        {
          actor,
          change: {
            kind: 'updateContact',
            contactId: fixedIds.contact,
            contactName: 'Contact cc',
            timeZone: 'America/Mexico_City',
          },
        },
      ],
    });
    await handle.executeUpdate(changePartnershipUpdate, {
      args: [
        {
          actor,
          change: {
            kind: 'removeOrganisation',
            organisationId: third,
            organisationName: 'Tianfu',
            reason: 'Left the programme',
          },
        },
      ],
    });
    await handle
      .executeUpdate(changePartnershipUpdate, {
        args: [
          {
            actor,
            change: { kind: 'removeOrganisation', organisationId: fixedIds.orgCn, reason: 'x' },
          },
        ],
      })
      .catch(() => undefined); // two partners must stay
    await handle.executeUpdate(closeUpdate, { args: [{ actor, reason: 'Recorded' }] });
    await handle.result();
    return handle;
  },

  /**
   * Partners joining and leaving (PARTNER_CHANGES_PATCH): a gate request pending with the
   * Spanish contact; a new organisation joins with its contact and calendar; a colleague joins
   * the Spanish partner; the Spanish contact is deactivated, handing the request to the colleague;
   * the same again refused (inactive); reactivated; closed.
   */
  async 'partnership-partner-changes'(client, taskQueue) {
    const third = id(74);
    const contact3 = id(75);
    const colleague = id(76);
    const base = input(id(77));
    const handle = await startRecorded(client, taskQueue, id(77), {
      organisations: [
        {
          ...base.organisations[0],
          contacts: [recordedContact(fixedIds.contact, 'Europe/Madrid')],
        },
        {
          ...base.organisations[1],
          contacts: [recordedContact(fixedIds.contact2, 'Asia/Shanghai')],
        },
      ],
      contactIds: [fixedIds.contact, fixedIds.contact2],
      calendars: {},
    });
    await handle.executeUpdate(requestApprovalUpdate, {
      args: [
        {
          actor,
          approvalId: id(78),
          subject: { kind: 'gate', stage: 'introduction', title: 'Leave introduction' },
          deadline: '2030-01-01T00:00:00.000Z',
          organisations: [
            {
              organisationId: fixedIds.orgEs,
              rule: { kind: 'all' },
              approverContactIds: [fixedIds.contact],
            },
          ],
          contactsByOrganisation: { [fixedIds.orgEs]: [fixedIds.contact] },
        },
      ],
    });
    const change = (c: ChangePartnershipArgs['change']) =>
      handle.executeUpdate(changePartnershipUpdate, { args: [{ actor, change: c }] });
    await change({
      kind: 'addOrganisation',
      organisation: {
        id: third,
        isNew: true,
        name: 'Tianfu',
        region: 'Sichuan',
        country: 'CN',
        kind: 'agency',
        contacts: [recordedContact(contact3, 'Asia/Shanghai')],
      },
      calendar: { offDays: [], workingDays: [] },
    });
    await change({
      kind: 'addContact',
      organisationId: fixedIds.orgEs,
      organisationName: 'IVACE',
      contact: recordedContact(colleague, 'Europe/Madrid'),
    });
    const deactivation = {
      kind: 'deactivateContact' as const,
      contactId: fixedIds.contact,
      contactName: 'Contact cc',
      organisationId: fixedIds.orgEs,
      colleagueIds: [colleague],
      reason: 'Left IVACE',
      delegateTo: colleague,
      delegateProfile: { timeZone: 'Europe/Madrid', workingHours: DEFAULT_WORKING_HOURS },
    };
    await change(deactivation);
    await change(deactivation).catch(() => undefined); // inactive already
    await change({ kind: 'reactivateContact', contactId: fixedIds.contact });
    await handle.executeUpdate(closeUpdate, { args: [{ actor, reason: 'Recorded' }] });
    await handle.result();
    return handle;
  },

  /**
   * Comments (every run takes them; no patch): one on a task assigned to the Chinese contact (e-mailed to them),
   * the same again (a retry: recorded once), one on the partnership (e-mailed to both contacts),
   * the contact's own on the task (e-mailed to the coordinator), an empty one refused; closed.
   */
  async 'partnership-comments'(client, taskQueue) {
    const handle = await startRecorded(client, taskQueue, id(79), {
      contactIds: [fixedIds.contact, fixedIds.contact2],
    });
    await handle.executeUpdate(updateTaskUpdate, {
      args: [
        {
          actor,
          taskId: 'introduction.meeting',
          assigneeContactId: fixedIds.contact2,
        },
      ],
    });
    const comment = {
      actor,
      commentId: id(81),
      text: 'The meeting moves to Tuesday',
      taskId: 'introduction.meeting',
    };
    await handle.executeUpdate(addCommentUpdate, { args: [comment] });
    await handle.executeUpdate(addCommentUpdate, { args: [comment] }); // a retry: recorded once
    await handle.executeUpdate(addCommentUpdate, {
      args: [{ actor, commentId: id(82), text: 'Minutes are on the shared drive' }],
    });
    await handle.executeUpdate(addCommentUpdate, {
      args: [
        {
          actor: { kind: 'contact', id: fixedIds.contact2, name: 'Li', email: 'li@example.org' },
          commentId: id(84),
          text: 'Tuesday suits us',
          taskId: 'introduction.meeting',
        },
      ],
    }); // a partner's, from their task page: e-mailed to the coordinator
    await handle
      .executeUpdate(addCommentUpdate, { args: [{ actor, commentId: id(83), text: ' ' }] })
      .catch(() => undefined); // empty: refused
    await handle.executeUpdate(closeUpdate, { args: [{ actor, reason: 'Recorded' }] });
    await handle.result();
    return handle;
  },

  /**
   * A move to a newer template version, with due offsets: the first stage's task is due from the
   * start; the approval task asked of the partners goes (its pending request withdrawn), a task is
   * added to the current stage (dated from its entry), one to a stage ahead, one to a stage left
   * behind (skipped), a title changes and the proposal's gate needs consent; a second move to the
   * same version is refused; knowledge sharing entered dates its task; closed.
   */
  async 'partnership-template-move'(client, taskQueue) {
    const handle = await startRecorded(client, taskQueue, id(80), {
      contactIds: [fixedIds.contact, fixedIds.contact2],
      // Due offsets (DUE_DATES_PATCH): the meeting is due from the start.
      template: {
        key: 'default',
        version: 1,
        tasks: TEMPLATE.map((t) => (t.key === 'meeting' ? { ...t, dueOffsetDays: 3 } : t)),
      },
    });
    await completeStage(handle);
    await askBothOrganisations(handle, 'any')(id(81), {
      kind: 'task',
      taskId: 'area_exploration.priority',
      title: 'Agree priority areas',
    });
    const next: TemplateTask[] = [
      ...TEMPLATE.filter((t) => t.key !== 'priority').map((t) =>
        t.key === 'funding' ? { ...t, title: 'Map the funding environment', dueOffsetDays: 4 } : t,
      ),
      {
        key: 'thanks',
        stage: 'introduction',
        title: 'Thank the hosts',
        required: false,
        kind: 'task',
      },
      {
        key: 'budget',
        stage: 'area_exploration',
        title: 'Sketch a budget',
        required: true,
        kind: 'task',
        dueOffsetDays: 5,
      },
      {
        key: 'letter',
        stage: 'project_proposal',
        title: 'Letter of intent',
        required: true,
        kind: 'task',
      },
    ];
    const template = {
      key: 'default',
      version: 2,
      tasks: next,
      gates: {
        project_proposal: { consent: 'partners' as const, organisationRule: 'all' as const },
      },
    };
    await handle.executeUpdate(moveTemplateUpdate, {
      args: [{ actor, template, comment: 'Programme rules of 2027' }],
    });
    await handle
      .executeUpdate(moveTemplateUpdate, { args: [{ actor, template }] })
      .catch(() => undefined); // not newer any more
    await completeStage(handle);
    await handle.executeUpdate(closeUpdate, { args: [{ actor, reason: 'Recorded' }] });
    await handle.result();
    return handle;
  },

  /**
   * Gates and templates (GATE_CONSENT_PATCH), on a template like the default's version 2: the
   * coordinator's completion of an approval task refused; its approval request rejected (the task
   * reopened with the comment), asked again and approved (the task completed); the proposal's
   * gate refused without consent, approved by both; a send-back and re-entry that clear it, the
   * advance refused again, consent asked again and given; agreed.
   */
  async 'partnership-gate-consent'(client, taskQueue) {
    const handle = await startRecorded(client, taskQueue, id(60), {
      template: {
        key: 'default',
        version: 2,
        tasks: TEMPLATE.map((t) => (t.kind === 'approval' ? { ...t, answeredBy: 'partners' } : t)),
        gates: { project_proposal: { consent: 'partners', organisationRule: 'any' } },
      },
      contactIds: [fixedIds.contact, fixedIds.contact2],
    });
    const ask = askBothOrganisations(handle, 'any');
    const both = async (approvalId: string, cnOutcome: 'approved' | 'rejected' = 'approved') => {
      await handle.executeUpdate(decideApprovalUpdate, {
        args: [{ actor, approvalId, contactId: fixedIds.contact, outcome: 'approved' }],
      });
      await handle.executeUpdate(decideApprovalUpdate, {
        args: [
          {
            actor,
            approvalId,
            contactId: fixedIds.contact2,
            outcome: cnOutcome,
            ...(cnOutcome === 'rejected' ? { comment: '请补充' } : {}),
          },
        ],
      });
    };
    await completeStage(handle);
    await handle.executeUpdate(completeTaskUpdate, {
      args: [{ actor, taskId: 'area_exploration.areas' }],
    });
    const priority = { kind: 'task' as const, taskId: 'area_exploration.priority', title: 'Agree' };
    await handle
      .executeUpdate(completeTaskUpdate, { args: [{ actor, taskId: priority.taskId }] })
      .catch(() => undefined); // only the partners' approval completes it
    await ask(id(61), priority);
    await both(id(61), 'rejected');
    await ask(id(62), priority);
    await both(id(62));
    await handle.executeUpdate(advanceUpdate, { args: [{ actor }] });
    await completeStage(handle);
    await handle.executeUpdate(completeTaskUpdate, {
      args: [{ actor, taskId: 'project_proposal.proposal' }],
    });
    await handle.executeUpdate(advanceUpdate, { args: [{ actor }] }).catch(() => undefined); // no consent
    const gate: ApprovalSubject = {
      kind: 'gate',
      stage: 'project_proposal',
      title: 'Leave project proposal',
    };
    await ask(id(63), gate);
    await both(id(63));
    await handle.executeUpdate(sendBackUpdate, { args: [{ actor, reason: 'Budget changed' }] });
    await handle.executeUpdate(advanceUpdate, { args: [{ actor }] });
    await handle.executeUpdate(advanceUpdate, { args: [{ actor }] }).catch(() => undefined); // cleared
    await ask(id(64), gate);
    await both(id(64));
    await handle.executeUpdate(advanceUpdate, { args: [{ actor, comment: 'Agreed' }] });
    await handle.result();
    return handle;
  },

  /** Sent back a stage with a reason, a task reopened, then advanced again. */
  async 'partnership-sent-back'(client, taskQueue) {
    const handle = await startRecorded(client, taskQueue, id(3));
    await completeStage(handle);
    await completeStage(handle);
    await handle.executeUpdate(sendBackUpdate, {
      args: [{ actor, reason: 'Priority areas need rework' }],
    });
    await handle.executeUpdate(reopenTaskUpdate, {
      args: [{ actor, taskId: 'area_exploration.priority' }],
    });
    await completeStage(handle);
    return handle;
  },

  /** Paused (advance refused while paused), resumed, then closed with a reason. */
  async 'partnership-paused-resumed-closed'(client, taskQueue) {
    const handle = await startRecorded(client, taskQueue, id(4));
    await handle.executeUpdate(pauseUpdate, { args: [{ actor, comment: 'Summer break' }] });
    await handle.executeUpdate(advanceUpdate, { args: [{ actor }] }).catch(() => undefined);
    await handle.executeUpdate(resumeUpdate, { args: [{ actor }] });
    await completeStage(handle);
    await handle.executeUpdate(closeUpdate, { args: [{ actor, reason: 'Funding withdrawn' }] });
    await handle.result();
    return handle;
  },

  /**
   * An ended partnership asks nobody anything: closed with two requests still pending (one with
   * a decision already taken) and one approved; the close withdraws exactly the pending two.
   */
  async 'partnership-closed-withdraws-pending'(client, taskQueue) {
    const handle = await startRecorded(client, taskQueue, id(21), {
      contactIds: [fixedIds.contact, fixedIds.contact2],
    });
    const ask = askBothOrganisations(handle, 'all');
    const decide = (approvalId: string, contactId: string) =>
      handle.executeUpdate(decideApprovalUpdate, {
        args: [{ actor, approvalId, contactId, outcome: 'approved' }],
      });
    await ask(id(22), { kind: 'document', title: 'Memorandum', text: 'Both parties agree…' });
    await decide(id(22), fixedIds.contact);
    await decide(id(22), fixedIds.contact2); // approved: stays approved at the close
    await ask(id(23), { kind: 'gate', stage: 'introduction', title: 'Leave introduction' });
    await decide(id(23), fixedIds.contact); // still pending: the other side has not decided
    await ask(id(24), { kind: 'document', title: 'Work plan' });
    await handle.executeUpdate(closeUpdate, { args: [{ actor, reason: 'Funding withdrawn' }] });
    await handle.result();
    return handle;
  },

  /**
   * Reopening a closed partnership (REOPEN_CLOSED_PATCH): closed with a gate request pending (the
   * close withdraws it) and the run returns its state; an admin's update-with-start starts a
   * reopened run from it, a second reopen is refused, the coordinator adds a task, and it is
   * closed again. The reopened run is saved.
   */
  async 'partnership-reopened'(client, taskQueue) {
    const first = await startRecorded(client, taskQueue, id(90), {
      contactIds: [fixedIds.contact, fixedIds.contact2],
    });
    await askBothOrganisations(first, 'any')(id(91), {
      kind: 'gate',
      stage: 'introduction',
      title: 'Leave introduction',
    });
    await first.executeUpdate(closeUpdate, { args: [{ actor, reason: 'Funding withdrawn' }] });
    const { carried } = (await first.result()) as PartnershipWorkflowResult;
    const admin = { kind: 'user' as const, id: id(92), name: 'Admin', email: 'admin@x.example' };
    const reopen = (updateId: string) =>
      client.workflow.executeUpdateWithStart(reopenPartnershipUpdate, {
        args: [{ actor: admin, reason: 'Funding renewed' }],
        updateId,
        startWorkflowOperation: new WithStartWorkflowOperation('partnershipWorkflow', {
          workflowId: first.workflowId,
          taskQueue,
          args: [{ kind: 'reopened', state: carried! }],
          workflowIdConflictPolicy: 'USE_EXISTING',
        }),
      });
    await reopen('reopen-1');
    await reopen('reopen-2').catch(() => undefined); // refused: not closed any more
    const handle = client.workflow.getHandle(first.workflowId);
    await handle.executeUpdate(addTaskUpdate, { args: [{ actor, title: 'Fresh budget' }] });
    await handle.executeUpdate(closeUpdate, { args: [{ actor, reason: 'Closed again' }] });
    await handle.result();
    return { workflowId: first.workflowId };
  },

  /** Continues as new mid-life (a low history limit), then takes more updates in the new run. */
  async 'partnership-continued-as-new'(client, taskQueue) {
    const handle = await startRecorded(client, taskQueue, id(5), { maxHistoryLength: 40 });
    for (let i = 0; i < 8; i++) {
      await handle.executeUpdate(addTaskUpdate, {
        args: [{ actor, title: `Shared document ${i}` }],
      });
    }
    // The first run's history ends with continue-as-new; save that run.
    return { workflowId: handle.workflowId, runId: handle.firstExecutionRunId };
  },

  /**
   * Approval e-mails one recipient per activity (EMAIL_PER_RECIPIENT_PATCH): a request to three
   * approvers, one of whom the SMTP server refuses (one notification.failed, for that one), the
   * others sent; one approves, and the coordinator's closed-request e-mail goes; then closed.
   */
  async 'partnership-email-per-recipient'(client, taskQueue) {
    const approvers = [fixedIds.contact, fixedIds.contact2, REFUSED_CONTACT];
    const handle = await startRecorded(client, taskQueue, id(30), { contactIds: approvers });
    await handle.executeUpdate(requestApprovalUpdate, {
      args: [
        {
          actor,
          approvalId: id(31),
          subject: { kind: 'document', title: 'Joint seminar programme' },
          deadline: '2030-01-01T00:00:00.000Z',
          organisations: [
            {
              organisationId: fixedIds.orgEs,
              rule: { kind: 'all' },
              approverContactIds: [fixedIds.contact],
            },
            {
              organisationId: fixedIds.orgCn,
              rule: { kind: 'any' },
              approverContactIds: [REFUSED_CONTACT, fixedIds.contact2],
            },
          ],
          contactsByOrganisation: {
            [fixedIds.orgEs]: [fixedIds.contact],
            [fixedIds.orgCn]: [fixedIds.contact2, REFUSED_CONTACT],
          },
        },
      ],
    });
    return approvedByBothThenClosed(handle, id(31));
  },

  /**
   * A partner contact's reports from their task link (reportTask): what blocks the task, the same
   * block again (refused), done with a comment, done again (refused); then closed.
   */
  async 'partnership-task-report'(client, taskQueue) {
    const handle = await startRecorded(client, taskQueue, id(20));
    const taskId = 'introduction.meeting';
    const contact = {
      kind: 'contact' as const,
      id: fixedIds.contact,
      name: 'Raquel',
      email: 'raquel@ivace.example',
    };
    await handle.executeUpdate(updateTaskUpdate, {
      args: [{ actor, taskId, assigneeContactId: fixedIds.contact, dueDate: '2026-11-20' }],
    });
    const report = (r: ReportTaskArgs['report']) =>
      handle.executeUpdate(reportTaskUpdate, { args: [{ actor: contact, report: r }] });
    await report({ kind: 'blocked', taskId, reason: 'Waiting for the agenda' });
    await report({ kind: 'blocked', taskId, reason: 'Waiting for the agenda' }).catch(
      () => undefined,
    );
    await report({ kind: 'done', taskId, comment: 'Held on Monday' });
    await report({ kind: 'done', taskId, comment: null }).catch(() => undefined);
    await handle.executeUpdate(closeUpdate, { args: [{ actor, reason: 'Recorded' }] });
    await handle.result();
    return handle;
  },

  /**
   * Events on the timeline (calendar-events-timeline patch): an event's workflow tells of its
   * scheduling and an answer; the same change told twice is recorded once; then it closes.
   */
  async 'partnership-calendar-event-timeline'(client, taskQueue) {
    const handle = await startRecorded(client, taskQueue, id(50));
    const eventId = id(51);
    const note = {
      eventId,
      kind: 'meeting',
      title: 'Introductory meeting',
      start: '2027-01-11T08:00:00.000Z',
      end: '2027-01-11T09:00:00.000Z',
      sequence: 0,
    };
    await handle.signal(calendarEventNotedSignal, {
      ...note,
      key: `${eventId}/1`,
      change: 'scheduled',
      actor,
    });
    await handle.signal(calendarEventNotedSignal, {
      ...note,
      key: `${eventId}/1`,
      change: 'scheduled',
      actor,
    });
    await handle.signal(calendarEventNotedSignal, {
      ...note,
      key: `${eventId}/2`,
      change: 'answered',
      actor: { kind: 'contact', id: fixedIds.contact, name: 'Raquel' },
      attendee: { kind: 'contact', id: fixedIds.contact, name: 'Raquel' },
      answer: 'accepted',
    });
    await handle.executeUpdate(closeUpdate, { args: [{ actor, reason: 'Recorded' }] });
    await handle.result();
    return handle;
  },

  /**
   * Knowledge sharing: the gate asks for contributions, a topic is added, advancing is refused
   * while contributions are missing; both organisations contribute (one repeat, one edit), which
   * completes the funding topic's template task; then the stage is left.
   */
  async 'partnership-knowledge-sharing'(client, taskQueue) {
    const tasks = TEMPLATE.map((t) =>
      t.key === 'funding' ? { ...t, key: 'funding_environment' } : t,
    );
    const handle = await startRecorded(client, taskQueue, id(21), {
      template: { key: 'default', version: 1, tasks },
    });
    await completeStage(handle);
    await completeStage(handle);
    const share = (action: ShareKnowledgeArgs['action']) =>
      handle.executeUpdate(shareKnowledgeUpdate, { args: [{ actor, action }] });
    await share({ type: 'setGate', requireContributions: true });
    const { topicKey } = await share({
      type: 'addTopic',
      title: 'Public procurement',
      required: true,
    });
    await handle
      .executeUpdate(advanceUpdate, { args: [{ actor, comment: 'too early' }] })
      .catch(() => undefined);
    const keys = [
      'entrepreneurship_culture',
      'funding_environment',
      'startup_regulations',
      topicKey!,
    ];
    for (const key of keys) {
      await share({
        type: 'contribute',
        topicKey: key,
        organisationId: fixedIds.orgEs,
        text: `Valencia: ${key}`,
        language: 'es',
        links: ['https://www.ivace.es/'],
      });
      await share({
        type: 'contribute',
        topicKey: key,
        organisationId: fixedIds.orgCn,
        text: `成都：${key}`,
        language: 'zh',
        links: [],
      });
    }
    await share({
      type: 'contribute',
      topicKey: keys[0],
      organisationId: fixedIds.orgCn,
      text: `成都：${keys[0]}`,
      language: 'zh',
      links: [],
    });
    await share({
      type: 'contribute',
      topicKey: keys[0],
      organisationId: fixedIds.orgCn,
      text: '成都：第二版',
      language: 'zh',
      links: [],
    });
    await handle.executeUpdate(advanceUpdate, { args: [{ actor, comment: 'shared' }] });
    await handle.executeUpdate(closeUpdate, { args: [{ actor, reason: 'Recorded' }] });
    await handle.result();
    return handle;
  },
};

/**
 * Scenarios whose timers must fire (reminders days apart): run on the time-skipping test server,
 * which moves workflow time on with `env.sleep`.
 */
type TimeSkippingScenario = (
  env: TestWorkflowEnvironment,
  taskQueue: string,
) => Promise<WorkflowHandle>;

/** An attendee of a recorded event, in Spanish, on the default hours, not yet answered. */
function recordedAttendee(kind: 'contact' | 'user', id: string, name: string, timeZone: string) {
  return {
    kind,
    id,
    name,
    email: `${name.toLowerCase()}@example.org`,
    language: 'es' as const,
    timeZone,
    workingHours: DEFAULT_WORKING_HOURS,
    answer: 'pending' as const,
    answeredAt: null,
  };
}

export const timeSkippingScenarios: Record<string, TimeSkippingScenario> = {
  /**
   * Follow-ups: a gate request followed up by reminders in Madrid's and Shanghai's working hours,
   * a policy change, a snooze, an escalation and an overdue task; then decisions close it.
   */
  async 'partnership-follow-ups'(env, taskQueue) {
    const madrid = { timeZone: 'Europe/Madrid', workingHours: DEFAULT_WORKING_HOURS };
    const shanghai = { timeZone: 'Asia/Shanghai', workingHours: DEFAULT_WORKING_HOURS };
    const start = new Date(await env.currentTimeMs()).toISOString();
    const handle = await startRecorded(env.client, taskQueue, id(8), {
      requestedAt: start,
      contactIds: [fixedIds.contact, fixedIds.contact2],
    });
    const day = 24 * 60 * 60 * 1000;
    const now = await env.currentTimeMs();
    await handle.executeUpdate(addTaskUpdate, {
      args: [
        {
          actor,
          title: 'Share the funding landscape',
          assigneeContactId: fixedIds.contact2,
          dueDate: new Date(now + 2 * day).toISOString().slice(0, 10),
        },
      ],
    });
    await askBothOrganisations(handle, 'any')(
      id(9),
      { kind: 'gate', stage: 'introduction', title: 'Leave introduction' },
      new Date(now + 40 * day).toISOString(),
      { approverProfiles: { [fixedIds.contact]: madrid, [fixedIds.contact2]: shanghai } },
    );
    await env.sleep(4 * day);
    await handle.executeUpdate(setFollowUpPolicyUpdate, {
      args: [{ actor, patch: { approvals: { repeatEveryWorkingMinutes: 240 } } }],
    });
    await handle.executeUpdate(reviseApprovalUpdate, {
      args: [{ actor, approvalId: id(9), snoozedUntil: new Date(now + 6 * day).toISOString() }],
    });
    await env.sleep(12 * day);
    return approvedByBothThenClosed(handle, id(9));
  },

  /**
   * Working calendars: started with both organisations' calendars, a gate request followed up in
   * them; a holiday-data update (setWorkingCalendars) moves the Spanish reminder off a new
   * holiday, a refused update names an unknown organisation; then decisions close it.
   */
  async 'partnership-working-calendars'(env, taskQueue) {
    const madrid = { timeZone: 'Europe/Madrid', workingHours: DEFAULT_WORKING_HOURS };
    const shanghai = { timeZone: 'Asia/Shanghai', workingHours: DEFAULT_WORKING_HOURS };
    const day = 24 * 60 * 60 * 1000;
    const now = await env.currentTimeMs();
    const date = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    const handle = await startRecorded(env.client, taskQueue, id(40), {
      requestedAt: new Date(now).toISOString(),
      contactIds: [fixedIds.contact, fixedIds.contact2],
      calendars: {
        [fixedIds.orgEs]: {
          offDays: [{ date: date(now + 5 * day), name: 'Festivo', kind: 'public_holiday' }],
          workingDays: [],
        },
        [fixedIds.orgCn]: {
          offDays: [{ date: date(now + 3 * day), name: '假日', kind: 'public_holiday' }],
          workingDays: [{ date: date(now + 6 * day), name: '补班', kind: 'adjusted_working_day' }],
        },
      },
    });
    await askBothOrganisations(handle, 'any')(
      id(41),
      { kind: 'gate', stage: 'introduction', title: 'Leave introduction' },
      new Date(now + 40 * day).toISOString(),
      { approverProfiles: { [fixedIds.contact]: madrid, [fixedIds.contact2]: shanghai } },
    );
    await env.sleep(day);
    await handle
      .executeUpdate(setWorkingCalendarsUpdate, {
        args: [{ calendars: { 'not-an-organisation': { offDays: [], workingDays: [] } } }],
      })
      .catch(() => undefined);
    await handle.executeUpdate(setWorkingCalendarsUpdate, {
      args: [
        {
          calendars: {
            [fixedIds.orgEs]: {
              offDays: [2, 3, 5].map((n) => ({
                date: date(now + n * day),
                name: 'Festivo',
                kind: 'public_holiday' as const,
              })),
              workingDays: [],
            },
          },
        },
      ],
    });
    await env.sleep(10 * day);
    return approvedByBothThenClosed(handle, id(41));
  },

  /** The coordinator's calendar: given at the start, then with a policy change and a refresh. */
  async 'partnership-coordinator-calendar'(env, taskQueue) {
    const day = 24 * 60 * 60 * 1000;
    const now = await env.currentTimeMs();
    const date = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    const off = (...days: number[]) => ({
      offDays: days.map((n) => ({
        date: date(now + n * day),
        name: 'Festivo',
        kind: 'public_holiday' as const,
      })),
      workingDays: [],
    });
    const handle = await startRecorded(env.client, taskQueue, id(60), {
      requestedAt: new Date(now).toISOString(),
      followUpPolicy: mergeFollowUpPolicy(DEFAULT_FOLLOW_UP_POLICY, {
        stalledStage: { afterWorkingDays: 1, maxReminders: 3 },
        coordinator: { timeZone: 'Europe/Madrid', country: 'ES', region: 'VC' },
      }),
      coordinatorCalendar: off(1, 2),
    });
    await env.sleep(6 * day); // the first reminder goes out on Monday 7, after the two days off
    await handle.executeUpdate(setFollowUpPolicyUpdate, {
      args: [
        {
          actor,
          patch: { coordinator: { timeZone: 'Asia/Shanghai', country: 'CN', region: '' } },
          coordinatorCalendar: off(8, 9),
        },
      ],
    });
    await env.sleep(4 * day);
    await handle.executeUpdate(setWorkingCalendarsUpdate, {
      args: [{ calendars: {}, coordinator: off(13) }],
    });
    await env.sleep(5 * day);
    await handle.executeUpdate(closeUpdate, { args: [{ actor, reason: 'Recorded' }] });
    return handle;
  },

  /**
   * An event's whole life (calendarEventWorkflow): scheduled with a contact and a user, a refused
   * request hash, an answer, a reschedule (new reminders), the reminders on their timers, the end
   * and the follow-up task.
   */
  async 'calendar-event-lifecycle'(env, taskQueue) {
    const hour = 60 * 60 * 1000;
    const now = await env.currentTimeMs();
    const start = Math.ceil((now + 10 * 24 * hour) / hour) * hour;
    const eventId = id(60);
    const handle = await env.client.workflow.start('calendarEventWorkflow', {
      workflowId: calendarEventWorkflowId(eventId),
      taskQueue,
      args: [
        {
          eventId,
          partnershipId: fixedIds.partnership,
          partnershipTitle: 'Valencia – Chengdu',
          details: {
            kind: 'meeting',
            title: 'Introductory meeting',
            start: new Date(start).toISOString(),
            end: new Date(start + hour).toISOString(),
            onlineUrl: 'https://meet.example/intro',
            place: null,
            taskId: null,
          },
          organiser: { userId: id(61), name: 'Ana', email: 'ana@iurc.example', language: 'es' },
          attendees: [
            recordedAttendee('contact', fixedIds.contact, 'Raquel', 'Europe/Madrid'),
            recordedAttendee('user', id(61), 'Ana', 'Europe/Madrid'),
          ],
          requestHash: 'recorded-hash',
          requestedAt: new Date(now).toISOString(),
          actor,
        },
      ],
    });
    await handle.executeUpdate(awaitCalendarEventRecordedUpdate, {
      args: [{ requestHash: 'recorded-hash' }],
    });
    await handle
      .executeUpdate(awaitCalendarEventRecordedUpdate, { args: [{ requestHash: 'other' }] })
      .catch(() => undefined);
    const at = new Date(now).toISOString();
    await handle.executeUpdate(answerCalendarEventUpdate, {
      args: [
        {
          attendeeKey: `contact:${fixedIds.contact}`,
          answer: 'accepted',
          actor: { kind: 'contact', id: fixedIds.contact, name: 'Raquel' },
          at,
        },
      ],
    });
    await handle.executeUpdate(editCalendarEventUpdate, {
      args: [
        {
          actor,
          details: {
            start: new Date(start + 24 * hour).toISOString(),
            end: new Date(start + 25 * hour).toISOString(),
          },
          at,
        },
      ],
    });
    await handle.result();
    return handle;
  },

  /**
   * Attendees edited (calendar-event-attendees patch): scheduled with two contacts and the
   * organiser; one contact answers, the other is taken off and a third invited with a calendar of
   * her own; a refused edit (no one left but the organiser); a change of the title; the reminders
   * of those who attend, the end and the follow-up task.
   */
  async 'calendar-event-attendees'(env, taskQueue) {
    const hour = 60 * 60 * 1000;
    const now = await env.currentTimeMs();
    const start = Math.ceil((now + 10 * 24 * hour) / hour) * hour;
    const eventId = id(70);
    const raquel = recordedAttendee('contact', fixedIds.contact, 'Raquel', 'Europe/Madrid');
    const li = recordedAttendee('contact', fixedIds.contact2, 'Li', 'Asia/Shanghai');
    const ana = {
      ...recordedAttendee('user', id(71), 'Ana', 'Europe/Madrid'),
      answer: 'accepted' as const,
    };
    const closedOn = new Date(start - 24 * hour).toISOString().slice(0, 10);
    const marta = {
      ...recordedAttendee('contact', id(72), 'Marta', 'Europe/Madrid'),
      calendar: {
        offDays: [{ date: closedOn, name: 'Cierre', kind: 'closure' as const }],
        workingDays: [],
      },
    };
    const handle = await env.client.workflow.start('calendarEventWorkflow', {
      workflowId: calendarEventWorkflowId(eventId),
      taskQueue,
      args: [
        {
          eventId,
          partnershipId: fixedIds.partnership,
          partnershipTitle: 'Valencia – Chengdu',
          details: {
            kind: 'seminar',
            title: 'Funding seminar',
            start: new Date(start).toISOString(),
            end: new Date(start + hour).toISOString(),
            onlineUrl: null,
            place: 'IVACE, València',
            taskId: null,
          },
          organiser: { userId: ana.id, name: 'Ana', email: 'ana@example.org', language: 'es' },
          attendees: [raquel, li, ana],
          requestHash: 'recorded-hash',
          requestedAt: new Date(now).toISOString(),
          actor,
        },
      ],
    });
    await handle.executeUpdate(awaitCalendarEventRecordedUpdate, {
      args: [{ requestHash: 'recorded-hash' }],
    });
    const at = new Date(now).toISOString();
    await handle.executeUpdate(answerCalendarEventUpdate, {
      args: [
        {
          attendeeKey: `contact:${fixedIds.contact}`,
          answer: 'accepted',
          actor: { kind: 'contact', id: fixedIds.contact, name: 'Raquel' },
          at,
        },
      ],
    });
    await handle.executeUpdate(editCalendarEventUpdate, {
      args: [{ actor, details: {}, attendees: [raquel, marta, ana], at }],
    });
    await handle
      .executeUpdate(editCalendarEventUpdate, {
        args: [{ actor, details: {}, attendees: [ana], at }],
      })
      .catch(() => undefined);
    await handle.executeUpdate(editCalendarEventUpdate, {
      args: [{ actor, details: { title: 'Funding seminar (agenda)' }, at }],
    });
    await handle.result();
    return handle;
  },

  /**
   * A daily calendar refresh that reaches one partnership only on its second try: the first
   * activity, the pause on a durable timer, the second activity with `only`, the result.
   */
  async 'calendar-refresh-retry'(env, taskQueue) {
    const handle = await env.client.workflow.start('calendarRefreshWorkflow', {
      workflowId: 'calendar-refresh-recorded',
      taskQueue,
      args: [],
    });
    await handle.result();
    return handle;
  },

  /**
   * A weekly digest run for a given instant (a run by hand, as the e2e test starts it): the slot
   * it covers handed to the activity once, and the activity's count as the result.
   */
  async 'weekly-digest'(env, taskQueue) {
    const handle = await env.client.workflow.start('weeklyDigestWorkflow', {
      workflowId: 'weekly-digest-recorded',
      taskQueue,
      args: [{ at: '2026-12-07T03:30:00.000Z' }],
    });
    await handle.result();
    return handle;
  },
};

/** Every activity the recorded workflows call. */
type RecordedActivities = PartnershipActivities &
  CalendarEventActivities &
  CalendarRefreshActivities &
  WeeklyDigestActivities;

async function recordTimeSkipping(only: string[], activities: RecordedActivities): Promise<void> {
  const names = Object.keys(timeSkippingScenarios).filter((n) => !only.length || only.includes(n));
  if (names.length === 0) return;
  const env = await createTimeSkippingEnv(await ensureTimeSkippingServer());
  try {
    for (const name of names) {
      const taskQueue = `record-${name}`;
      const worker = await Worker.create({
        connection: env.nativeConnection,
        taskQueue,
        workflowsPath: require.resolve('../../workflows'),
        activities,
      });
      await worker.runUntil(async () => {
        const handle = await timeSkippingScenarios[name](env, taskQueue);
        const history = await handle.fetchHistory();
        writeFileSync(join(OUT, `${name}.json`), historyToJSON(history));
        console.log(`recorded ${name} (${history.events?.length ?? 0} events)`);
      });
    }
  } finally {
    await env.teardown();
  }
}

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const stack = await startTestStack({ postgres: false, mailpit: false });
  const address = process.env.TEST_TEMPORAL_ADDRESS!;
  const client = new Client({ connection: await Connection.connect({ address }) });
  const native = await NativeConnection.connect({ address });
  const activities: RecordedActivities = {
    async sendWeeklyDigests({ slot }) {
      return { slot, due: 2, sent: 2 };
    },
    async refreshOpenPartnershipCalendars({ only }) {
      // The first try misses one partnership; the second, for it alone, reaches it.
      return only ? { updated: only.length, failed: [] } : { updated: 2, failed: [id(70)] };
    },
    async recordCalendarEvent() {},
    async sendCalendarEventEmail() {
      return { sent: true };
    },
    async addCalendarEventFollowUpTask() {
      return 'follow-up-task';
    },
    async recordPartnership() {},
    async projectChanges() {},
    async sendApprovalEmails() {},
    async sendApprovalEmail(email) {
      if (email.contactId === REFUSED_CONTACT) {
        throw ApplicationFailure.nonRetryable(
          'SMTP server refused the message (550)',
          'SMTP_PERMANENT_FAILURE',
        );
      }
      return { sent: true };
    },
    async sendFollowUpEmail() {
      return { sent: true };
    },
    async sendKnowledgeRequestEmail() {
      return { sent: true };
    },
  };
  mkdirSync(OUT, { recursive: true });
  try {
    await recordTimeSkipping(only, activities);
    for (const [name, scenario] of Object.entries(scenarios)) {
      if (only.length && !only.includes(name)) continue;
      const taskQueue = `record-${name}`;
      const worker = await Worker.create({
        connection: native,
        taskQueue,
        workflowsPath: require.resolve('../../workflows'),
        activities,
      });
      await worker.runUntil(async () => {
        const handle = await scenario(client, taskQueue);
        // The CLI's JSON is the format Temporal's tools and historyFromJSON share.
        const json = execFileSync(
          process.env.TEST_TEMPORAL_CLI!,
          [
            'workflow',
            'show',
            '--workflow-id',
            handle.workflowId,
            ...(handle.runId ? ['--run-id', handle.runId] : []),
            '--address',
            address,
            '--output',
            'json',
          ],
          { encoding: 'utf8' },
        );
        writeFileSync(join(OUT, `${name}.json`), json);
        console.log(
          `recorded ${name} (${(JSON.parse(json) as { events: unknown[] }).events.length} events)`,
        );
      });
    }
  } finally {
    await native.close();
    await client.connection.close();
    await stack.stop();
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}

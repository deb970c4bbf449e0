import { ApprovalRequest, OrganisationRule, decideApproval } from './approvals';
import {
  GateConsentRule,
  gateConsent,
  gateConsentBlockerOf,
  gateRequestProblems,
  gateRulesOf,
  partnerTaskRequestProblems,
} from './gates';
import { decide, LifecycleState, Task, tasksFromTemplate } from './lifecycle';

const ES = 'org-valencia';
const CN = 'org-chengdu';
const ORGS = [ES, CN];
const CONTACTS: Record<string, string[]> = { [ES]: ['es-ana', 'es-luis'], [CN]: ['cn-li'] };
const ENTERED = '2026-11-01T09:00:00.000Z';
const BEFORE = '2026-10-20T09:00:00.000Z';
const AFTER = '2026-11-02T09:00:00.000Z';
const NOW = '2026-11-03T09:00:00.000Z';
const PARTNERS_ANY: GateConsentRule = { consent: 'partners', organisationRule: 'any' };
const PARTNERS_ALL: GateConsentRule = { consent: 'partners', organisationRule: 'all' };
const NONE: GateConsentRule = { consent: 'none' };

function gate(
  id: string,
  requestedAt = AFTER,
  rule: OrganisationRule = { kind: 'any' },
  extra: Partial<ApprovalRequest> = {},
): ApprovalRequest {
  return {
    id,
    subject: { kind: 'gate', stage: 'project_proposal', title: 'Leave project proposal' },
    status: 'pending',
    requestedAt,
    deadline: '2026-12-01T00:00:00.000Z',
    requestedBy: {},
    organisations: ORGS.map((organisationId) => ({
      organisationId,
      rule,
      approvers: CONTACTS[organisationId].map((contactId) => ({
        contactId,
        delegatedFrom: null,
        delegated: false,
        decision: null,
      })),
    })),
    closedAt: null,
    ...extra,
  };
}

type Step = [contactId: string, outcome: 'approved' | 'rejected'];
function decided(request: ApprovalRequest, steps: Step[]): ApprovalRequest {
  return steps.reduce((r, [contactId, outcome]) => {
    const result = decideApproval(r, { contactId, outcome, comment: 'because' }, NOW);
    if (!result.ok) throw new Error(result.rejection.message);
    return result.request;
  }, request);
}

const summary = (r: ApprovalRequest): ApprovalRequest => ({
  ...r,
  organisations: [],
  requestedBy: {},
});

describe(gateConsentBlockerOf.name, () => {
  const pending = gate('g-1');
  const esOnly = decided(pending, [['es-ana', 'approved']]);
  const both = decided(pending, [
    ['es-ana', 'approved'],
    ['cn-li', 'approved'],
  ]);
  const rejected = decided(pending, [['cn-li', 'rejected']]);
  const beforeSendBack = decided(gate('g-old', BEFORE), [
    ['es-ana', 'approved'],
    ['cn-li', 'approved'],
  ]);

  it.each<[string, GateConsentRule, ApprovalRequest[], ReturnType<typeof gateConsentBlockerOf>]>([
    ['no rule and no request', NONE, [], undefined],
    [
      'the partners’ consent is required and not requested',
      PARTNERS_ANY,
      [],
      {
        kind: 'consent',
        approvalId: null,
        status: 'not_requested',
        awaiting: [],
        organisationIds: ORGS,
      },
    ],
    [
      'one partner of two consented',
      PARTNERS_ANY,
      [esOnly],
      {
        kind: 'consent',
        approvalId: 'g-1',
        status: 'pending',
        awaiting: ['cn-li'],
        organisationIds: [CN],
      },
    ],
    ['both partners consented', PARTNERS_ANY, [both], undefined],
    [
      'a request stricter than the template (all of each partner’s contacts): one of Valencia’s two is not consent yet',
      PARTNERS_ANY,
      [
        decided(gate('g-all', AFTER, { kind: 'all' }), [
          ['es-ana', 'approved'],
          ['cn-li', 'approved'],
        ]),
      ],
      {
        kind: 'consent',
        approvalId: 'g-all',
        status: 'pending',
        awaiting: ['es-luis'],
        organisationIds: [ES],
      },
    ],
    [
      'both consented, as a summary of the closed request',
      PARTNERS_ANY,
      [summary(both)],
      undefined,
    ],
    [
      'a partner rejected',
      PARTNERS_ANY,
      [rejected],
      {
        kind: 'consent',
        approvalId: 'g-1',
        status: 'rejected',
        awaiting: [],
        organisationIds: ORGS,
      },
    ],
    [
      'a partner rejected, as a summary',
      PARTNERS_ANY,
      [summary(rejected)],
      {
        kind: 'consent',
        approvalId: 'g-1',
        status: 'rejected',
        awaiting: [],
        organisationIds: ORGS,
      },
    ],
    [
      'the consent was given before the stage was entered again (a send-back)',
      PARTNERS_ANY,
      [beforeSendBack],
      {
        kind: 'consent',
        approvalId: null,
        status: 'not_requested',
        awaiting: [],
        organisationIds: ORGS,
      },
    ],
    [
      'no rule, but consent was asked before the send-back: asked again',
      NONE,
      [summary(beforeSendBack)],
      {
        kind: 'consent',
        approvalId: null,
        status: 'not_requested',
        awaiting: [],
        organisationIds: ORGS,
      },
    ],
    ['no rule, consent asked and given in this visit', NONE, [both], undefined],
    [
      'asked again after the send-back and given',
      PARTNERS_ANY,
      [beforeSendBack, { ...both, id: 'g-2' }],
      undefined,
    ],
    [
      'the template asks all contacts: one of two Spanish contacts is not enough',
      PARTNERS_ALL,
      [
        decided(gate('g-1', AFTER, { kind: 'all' }), [
          ['es-ana', 'approved'],
          ['cn-li', 'approved'],
        ]),
      ],
      {
        kind: 'consent',
        approvalId: 'g-1',
        status: 'pending',
        awaiting: ['es-luis'],
        organisationIds: [ES],
      },
    ],
    [
      'the template asks all contacts and all approved',
      PARTNERS_ALL,
      [
        decided(gate('g-1', AFTER, { kind: 'all' }), [
          ['es-ana', 'approved'],
          ['es-luis', 'approved'],
          ['cn-li', 'approved'],
        ]),
      ],
      undefined,
    ],
    [
      'a withdrawn request does not count',
      PARTNERS_ANY,
      [{ ...both, status: 'withdrawn' }],
      {
        kind: 'consent',
        approvalId: null,
        status: 'not_requested',
        awaiting: [],
        organisationIds: ORGS,
      },
    ],
  ])('%s', (_name, rule, approvals, expected) => {
    expect(
      gateConsentBlockerOf(approvals, 'project_proposal', {
        rule,
        organisationIds: ORGS,
        since: ENTERED,
      }),
    ).toEqual(expected);
  });

  it('counts every request when the run has no stage entry time (runs from before)', () => {
    expect(
      gateConsentBlockerOf([beforeSendBack], 'project_proposal', {
        rule: PARTNERS_ANY,
        organisationIds: ORGS,
      }),
    ).toBeUndefined();
  });
});

describe(gateConsent.name, () => {
  it('says who has given the consent, per partner', () => {
    const request = decided(gate('g-1'), [['es-luis', 'approved']]);
    expect(
      gateConsent([request], 'project_proposal', {
        rule: PARTNERS_ANY,
        organisationIds: ORGS,
        since: ENTERED,
      }),
    ).toEqual({
      required: true,
      rule: PARTNERS_ANY,
      approvalId: 'g-1',
      status: 'pending',
      organisations: [
        { organisationId: ES, consented: true, consentedBy: ['es-luis'] },
        { organisationId: CN, consented: false, consentedBy: [] },
      ],
    });
  });
});

describe(gateRequestProblems.name, () => {
  const asked = (rule: OrganisationRule, es = CONTACTS[ES]) => [
    { organisationId: ES, rule, approverContactIds: es },
    { organisationId: CN, rule, approverContactIds: CONTACTS[CN] },
  ];
  it.each<[string, GateConsentRule, ReturnType<typeof asked>, number]>([
    ['no rule: any request', NONE, asked({ kind: 'any' }, ['es-ana']), 0],
    ['any: rule any is enough', PARTNERS_ANY, asked({ kind: 'any' }, ['es-ana']), 0],
    ['all: every contact with rule all', PARTNERS_ALL, asked({ kind: 'all' }), 0],
    ['all: rule any is too weak', PARTNERS_ALL, asked({ kind: 'any' }), 2],
    ['all: a contact left out', PARTNERS_ALL, asked({ kind: 'all' }, ['es-ana']), 1],
  ])('%s', (_name, rule, organisations, count) => {
    expect(gateRequestProblems(rule, organisations, CONTACTS)).toHaveLength(count);
  });
});

describe('tasks the partners answer', () => {
  const [review] = tasksFromTemplate([
    {
      key: 'review_proposal',
      stage: 'project_proposal',
      title: 'Partners review and approve the proposal',
      required: true,
      kind: 'approval',
      answeredBy: 'partners',
    },
  ]);
  const state = (task: Task): LifecycleState => ({
    stage: 'project_proposal',
    status: 'active',
    tasks: [task],
    contactIds: [],
  });
  const ctx = { now: NOW, newTaskId: 'x', actor: { kind: 'system' } as const };

  it.each<[string, Task, Parameters<typeof decide>[1], string]>([
    [
      'the coordinator completes it',
      review,
      { type: 'completeTask', taskId: review.id },
      'TASK_NEEDS_APPROVAL',
    ],
    [
      'an approved request completes it',
      review,
      { type: 'completeTask', taskId: review.id, approvalId: 'a-1' },
      'task.completed',
    ],
    [
      'a rejected request sends the open task back for rework',
      review,
      { type: 'reopenTask', taskId: review.id, approvalId: 'a-1', comment: 'add the budget' },
      'task.reopened',
    ],
    [
      'the coordinator reopens an open task',
      review,
      { type: 'reopenTask', taskId: review.id },
      'TASK_NOT_DONE',
    ],
  ])('%s', (_name, task, action, outcome) => {
    const d = decide(state(task), action, ctx);
    expect(d.ok ? d.events[0].type : d.rejection.code).toBe(outcome);
  });

  it('a rejection records its comment', () => {
    const d = decide(
      state(review),
      { type: 'reopenTask', taskId: review.id, approvalId: 'a-1', comment: 'add the budget' },
      ctx,
    );
    expect(d.ok && d.events[0].payload).toMatchObject({
      comment: 'add the budget',
      approvalId: 'a-1',
    });
    expect(d.ok && d.state.tasks[0].status).toBe('open');
  });

  it.each<[string, Task, ApprovalRequest[], number]>([
    ['an open task', review, [], 0],
    ['a done task', { ...review, status: 'done' }, [], 1],
    [
      'a task already asked',
      review,
      [{ ...gate('t-1'), subject: { kind: 'task', taskId: review.id, title: review.title } }],
      1,
    ],
    [
      'a task the coordinator completes',
      { ...review, answeredBy: undefined, status: 'done' },
      [],
      0,
    ],
  ])('asking the partners for %s', (_name, task, approvals, count) => {
    expect(partnerTaskRequestProblems(task, approvals)).toHaveLength(count);
  });
});

describe(gateRulesOf.name, () => {
  it('reads the template rows', () => {
    expect(
      gateRulesOf([
        { stage: 'project_proposal', consent: 'partners', organisationRule: 'all' },
        { stage: 'introduction', consent: 'none', organisationRule: null },
      ]),
    ).toEqual({ project_proposal: PARTNERS_ALL, introduction: NONE });
  });
});

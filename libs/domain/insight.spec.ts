import {
  foldInsight,
  InsightContext,
  InsightEvent,
  insightAt,
  partnershipInsight,
  percentile,
  stageDurations,
} from './insight';

const ES = 'org-valencia';
const CN = 'org-chengdu';
const HOUR = 3_600_000;
const T0 = Date.parse('2026-11-02T09:00:00.000Z');
/** The instant `h` hours after T0. */
const at = (h: number): string => new Date(T0 + h * HOUR).toISOString();
const ev = (h: number, type: string, payload: Record<string, unknown> = {}): InsightEvent => ({
  type,
  occurredAt: at(h),
  payload,
});

const context: InsightContext = {
  contactOrganisations: { 'es-ana': ES, 'es-luis': ES, 'cn-li': CN },
  approvals: {
    gate: [
      {
        organisationId: ES,
        rule: { kind: 'all' },
        approvers: [
          { contactId: 'es-ana', delegated: false },
          { contactId: 'es-luis', delegated: false },
        ],
      },
      {
        organisationId: CN,
        rule: { kind: 'any' },
        approvers: [{ contactId: 'cn-li', delegated: false }],
      },
    ],
  },
  tasks: {
    'introduction.meeting': { stage: 'introduction', assigneeContactId: null },
    'area_exploration.visit': { stage: 'area_exploration', assigneeContactId: 'cn-li' },
  },
};

describe('partnershipInsight', () => {
  it('times each stay without its paused time, and leaves the current one open', () => {
    const insight = partnershipInsight(
      [
        ev(0, 'partnership.created'),
        ev(10, 'partnership.paused'),
        ev(14, 'partnership.resumed'),
        ev(20, 'stage.advanced', { from: 'introduction', to: 'area_exploration' }),
        ev(26, 'stage.sent_back', { from: 'area_exploration', to: 'introduction' }),
      ],
      context,
      at(30),
    );
    expect(insight.stays.map((s) => [s.stage, s.ms / HOUR, s.leftBy])).toEqual([
      ['introduction', 16, 'advanced'],
      ['area_exploration', 6, 'sent_back'],
      ['introduction', 4, null],
    ]);
    expect(insight.currentStageMs).toBe(4 * HOUR);
  });

  it('answers an organisation when its rule is met, or at its first rejection', () => {
    const insight = partnershipInsight(
      [
        ev(0, 'partnership.created'),
        ev(1, 'approval.requested', { approvalId: 'gate' }),
        ev(3, 'approval.decided', { approvalId: 'gate', contactId: 'es-ana', outcome: 'approved' }),
        ev(5, 'approval.decided', { approvalId: 'gate', contactId: 'cn-li', outcome: 'approved' }),
        ev(9, 'approval.decided', {
          approvalId: 'gate',
          contactId: 'es-luis',
          outcome: 'approved',
        }),
        ev(9, 'approval.approved', { approvalId: 'gate' }),
      ],
      context,
      at(10),
    );
    expect(insight.turnarounds.map((t) => [t.organisationId, t.ms / HOUR])).toEqual([
      [CN, 4],
      [ES, 8],
    ]);
    // Waited on both from 1 to 5, on Valencia alone from 5 to 9; the coordinator before and after.
    expect(insight.waitingMs.organisations).toEqual({ [ES]: 8 * HOUR, [CN]: 4 * HOUR });
    expect(insight.waitingMs.coordinator).toBe(2 * HOUR);
    expect(insight.waitingOn).toBe('coordinator');
    expect(insight.waitingSince).toBe(at(9));
  });

  it('waits on the assignee’s organisation for an open task of the current stage only', () => {
    const events = [
      ev(0, 'partnership.created'),
      ev(2, 'stage.advanced', { from: 'introduction', to: 'area_exploration' }),
    ];
    const assigned = partnershipInsight(events, context, at(5));
    expect(assigned.waitingOn).toBe('partners');
    expect(assigned.waitingOnOrganisationIds).toEqual([CN]);
    expect(assigned.waitingMs).toEqual({
      coordinator: 2 * HOUR,
      organisations: { [CN]: 3 * HOUR },
    });

    const done = partnershipInsight(
      [...events, ev(4, 'task.completed', { taskId: 'area_exploration.visit' })],
      context,
      at(5),
    );
    expect(done.waitingOn).toBe('coordinator');
    expect(done.waitingMs.organisations).toEqual({ [CN]: 2 * HOUR });
  });

  it('counts a reassigned task from its task.assigned on', () => {
    const insight = partnershipInsight(
      [
        ev(0, 'partnership.created'),
        ev(1, 'task.assigned', { taskId: 'introduction.meeting', assigneeContactId: 'es-ana' }),
        ev(3, 'task.assigned', { taskId: 'introduction.meeting', assigneeContactId: null }),
      ],
      {
        ...context,
        tasks: { 'introduction.meeting': { stage: 'introduction', assigneeContactId: null } },
      },
      at(4),
    );
    expect(insight.waitingMs).toEqual({ coordinator: 2 * HOUR, organisations: { [ES]: 2 * HOUR } });
  });

  it('waits on an organisation asked for knowledge until it contributes', () => {
    const insight = partnershipInsight(
      [
        ev(0, 'partnership.created'),
        ev(1, 'knowledge.requested', { requestId: 'k', contactIds: ['es-ana', 'cn-li'] }),
        ev(2, 'knowledge.contributed', { topicKey: 'k', organisationId: CN }),
      ],
      { ...context, tasks: {} },
      at(6),
    );
    expect(insight.waitingOnOrganisationIds).toEqual([ES]);
    expect(insight.waitingMs).toEqual({
      coordinator: HOUR,
      organisations: { [ES]: 5 * HOUR, [CN]: HOUR },
    });
  });

  it('waits on nobody while paused, closed or agreed', () => {
    const paused = partnershipInsight(
      [ev(0, 'partnership.created'), ev(1, 'partnership.paused')],
      { ...context, tasks: {} },
      at(5),
    );
    expect(paused.waitingOn).toBe('nobody');
    expect(paused.waitingSince).toBeNull();
    expect(paused.waitingMs.coordinator).toBe(HOUR);

    const closed = partnershipInsight(
      [ev(0, 'partnership.created'), ev(2, 'partnership.closed', { reason: 'x' })],
      { ...context, tasks: {} },
      at(5),
    );
    expect(closed.waitingOn).toBe('nobody');
    expect(closed.currentStageMs).toBeNull();
    expect(closed.stays[0]).toMatchObject({ leftBy: 'closed', ms: 2 * HOUR });

    const agreed = partnershipInsight(
      [
        ev(0, 'partnership.created'),
        ev(1, 'stage.advanced', { to: 'area_exploration' }),
        ev(2, 'stage.advanced', { to: 'knowledge_sharing' }),
        ev(3, 'stage.advanced', { to: 'project_proposal' }),
        ev(4, 'stage.advanced', { to: 'agreed' }),
        ev(4, 'partnership.agreed'),
      ],
      { ...context, tasks: {} },
      at(9),
    );
    expect(agreed.status).toBe('agreed');
    expect(agreed.waitingOn).toBe('nobody');
    expect(agreed.waitingMs.coordinator).toBe(4 * HOUR);
    expect(agreed.stays.map((s) => s.stage)).toEqual([
      'introduction',
      'area_exploration',
      'knowledge_sharing',
      'project_proposal',
    ]);
  });

  it('starts a new stay in the stage it was closed in when it is reopened', () => {
    const insight = partnershipInsight(
      [
        ev(0, 'partnership.created'),
        ev(1, 'stage.advanced', { to: 'area_exploration' }),
        ev(2, 'partnership.closed', { reason: 'x' }),
        ev(6, 'partnership.reopened', { stage: 'area_exploration', reason: 'y' }),
      ],
      { ...context, tasks: {} },
      at(9),
    );
    expect(insight.status).toBe('active');
    expect(insight.stays.map((s) => [s.stage, s.leftBy, s.ms])).toEqual([
      ['introduction', 'advanced', HOUR],
      ['area_exploration', 'closed', HOUR],
      ['area_exploration', null, 3 * HOUR],
    ]);
    expect(insight.currentStageMs).toBe(3 * HOUR);
    expect(insight.waitingOn).not.toBe('nobody');
  });

  it('ends an organisation’s wait without an answer when the request closes', () => {
    const insight = partnershipInsight(
      [
        ev(0, 'partnership.created'),
        ev(1, 'approval.requested', { approvalId: 'gate' }),
        ev(2, 'approval.decided', { approvalId: 'gate', contactId: 'cn-li', outcome: 'rejected' }),
        ev(2, 'approval.rejected', { approvalId: 'gate' }),
      ],
      { ...context, tasks: {} },
      at(3),
    );
    expect(insight.turnarounds.map((t) => t.organisationId)).toEqual([CN]);
    expect(insight.waitingMs).toEqual({
      coordinator: 2 * HOUR,
      organisations: { [ES]: HOUR, [CN]: HOUR },
    });
  });
});

describe('foldInsight and insightAt', () => {
  /** Every kind of event the fold reads, waits on each side in turn, pauses, closes and reopens. */
  const timeline: InsightEvent[] = [
    ev(0, 'partnership.created'),
    ev(1, 'task.assigned', { taskId: 'introduction.meeting', assigneeContactId: 'es-ana' }),
    ev(2, 'approval.requested', { approvalId: 'gate' }),
    ev(3, 'approval.decided', { approvalId: 'gate', contactId: 'cn-li', outcome: 'approved' }),
    ev(4, 'partnership.paused'),
    ev(6, 'partnership.resumed'),
    ev(7, 'approval.decided', { approvalId: 'gate', contactId: 'es-ana', outcome: 'approved' }),
    ev(8, 'approval.decided', { approvalId: 'gate', contactId: 'es-luis', outcome: 'approved' }),
    ev(8, 'approval.approved', { approvalId: 'gate' }),
    ev(9, 'task.completed', { taskId: 'introduction.meeting' }),
    ev(10, 'stage.advanced', { from: 'introduction', to: 'area_exploration' }),
    ev(12, 'knowledge.requested', { requestId: 'k', contactIds: ['es-ana'] }),
    ev(13, 'task.completed', { taskId: 'area_exploration.visit' }),
    ev(15, 'knowledge.contributed', { topicKey: 'k', organisationId: ES }),
    ev(16, 'partnership.closed', { reason: 'x' }),
    ev(20, 'partnership.reopened', { stage: 'area_exploration', reason: 'y' }),
    ev(21, 'stage.sent_back', { from: 'area_exploration', to: 'introduction' }),
    ev(22, 'task.reopened', { taskId: 'introduction.meeting' }),
  ];

  it('carries the fold through every prefix of a timeline to any later instant exactly', () => {
    for (let n = 0; n <= timeline.length; n++) {
      const events = timeline.slice(0, n);
      // As the read model keeps it: through JSON.
      const folded = JSON.parse(JSON.stringify(foldInsight(events, context))) as ReturnType<
        typeof foldInsight
      >;
      for (const later of [0, 0.5, 3, 40]) {
        const now = at((n === 0 ? 0 : Date.parse(timeline[n - 1].occurredAt) - T0) / HOUR + later);
        expect({ n, later, insight: insightAt(folded, now) }).toEqual({
          n,
          later,
          insight: partnershipInsight(events, context, now),
        });
      }
    }
  });

  it('adds nothing for an instant before the last event (a clock behind the worker’s)', () => {
    const folded = foldInsight(timeline.slice(0, 3), context);
    expect(insightAt(folded, at(1))).toEqual(
      partnershipInsight(timeline.slice(0, 3), context, at(1)),
    );
    expect(folded.throughMs).toBe(Date.parse(at(2)));
  });
});

describe('percentile', () => {
  it('interpolates between closest ranks as percentile_cont does', () => {
    expect(percentile([], 0.5)).toBeNull();
    expect(percentile([7], 0.9)).toBe(7);
    expect(percentile([4, 1, 3, 2], 0.5)).toBe(2.5);
    expect(percentile([10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 0.9)).toBe(91);
  });
});

describe('stageDurations', () => {
  it('count ended stays only and keep open ones apart', () => {
    const one = partnershipInsight(
      [ev(0, 'partnership.created'), ev(2, 'stage.advanced', { to: 'area_exploration' })],
      { ...context, tasks: {} },
      at(3),
    );
    const two = partnershipInsight(
      [ev(0, 'partnership.created'), ev(6, 'stage.advanced', { to: 'area_exploration' })],
      { ...context, tasks: {} },
      at(7),
    );
    const closed = partnershipInsight(
      [ev(0, 'partnership.created'), ev(50, 'partnership.closed')],
      { ...context, tasks: {} },
      at(51),
    );
    const intro = stageDurations([one, two, closed]).find((s) => s.stage === 'introduction');
    expect(intro).toEqual({
      stage: 'introduction',
      endedStays: 2,
      medianMs: 4 * HOUR,
      p90Ms: 5.6 * HOUR,
      openStays: 0,
    });
    const exploring = stageDurations([one, two]).find((s) => s.stage === 'area_exploration');
    expect(exploring).toMatchObject({ endedStays: 0, medianMs: null, openStays: 2 });
  });
});

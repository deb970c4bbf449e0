import {
  decide,
  DecisionContext,
  decideReopen,
  endedRejection,
  gateBlockers,
  LifecycleState,
  tasksFromTemplate,
} from './lifecycle';

const ctx: DecisionContext = {
  now: '2026-11-29T10:00:00.000Z',
  newTaskId: 'new-task',
  actor: { kind: 'coordinator' },
};

function state(overrides: Partial<LifecycleState> = {}): LifecycleState {
  return {
    stage: 'introduction',
    status: 'active',
    contactIds: ['contact-es', 'contact-cn'],
    tasks: tasksFromTemplate([
      {
        key: 'meeting',
        stage: 'introduction',
        title: 'Hold the introductory meeting',
        required: true,
        kind: 'task',
      },
      {
        key: 'profiles',
        stage: 'introduction',
        title: 'Exchange organisation profiles',
        required: true,
        kind: 'task',
      },
      {
        key: 'optional',
        stage: 'introduction',
        title: 'Optional extra',
        required: false,
        kind: 'task',
      },
      {
        key: 'areas',
        stage: 'area_exploration',
        title: 'Propose areas',
        required: true,
        kind: 'task',
      },
    ]),
    ...overrides,
  };
}

function done(s: LifecycleState, ...ids: string[]): LifecycleState {
  return { ...s, tasks: s.tasks.map((t) => (ids.includes(t.id) ? { ...t, status: 'done' } : t)) };
}

describe(endedRejection.name, () => {
  it.each([
    ['closed', 'PARTNERSHIP_CLOSED'],
    ['agreed', 'PARTNERSHIP_AGREED'],
  ] as const)('a %s partnership refuses every change with %s', (status, code) => {
    expect(endedRejection(status)).toEqual({ code, message: expect.any(String), blockers: [] });
    // decide() asks the same rule before anything else, whatever the action.
    for (const action of [
      { type: 'advance' },
      { type: 'resume' },
      { type: 'addTask', title: 'One more' },
    ] as const) {
      const decision = decide(state({ status }), action, ctx);
      expect(decision).toEqual({ ok: false, rejection: endedRejection(status) });
    }
  });
  it.each(['active', 'paused'] as const)('a %s partnership is not ended', (status) => {
    expect(endedRejection(status)).toBeUndefined();
  });
});

describe(gateBlockers.name, () => {
  it('lists the open required tasks of the current stage only', () => {
    expect(gateBlockers(state()).map((b) => (b.kind === 'task' ? b.taskId : b.kind))).toEqual([
      'introduction.meeting',
      'introduction.profiles',
    ]);
  });
  it('is empty when every required task of the stage is done', () => {
    expect(gateBlockers(done(state(), 'introduction.meeting', 'introduction.profiles'))).toEqual(
      [],
    );
  });
});

describe(decide.name, () => {
  it('refuses to advance while required tasks are open, naming them', () => {
    const d = decide(state(), { type: 'advance' }, ctx);
    expect(d).toMatchObject({ ok: false, rejection: { code: 'GATE_TASKS_OPEN' } });
    if (!d.ok)
      expect(d.rejection.blockers.map((b) => (b.kind === 'task' ? b.title : b.kind))).toEqual([
        'Hold the introductory meeting',
        'Exchange organisation profiles',
      ]);
  });

  it('advances through every stage to agreed', () => {
    let s: LifecycleState = { ...state(), tasks: [] };
    const seen: string[] = [];
    for (let i = 0; i < 4; i++) {
      const d = decide(s, { type: 'advance' }, ctx);
      if (!d.ok) throw new Error(d.rejection.code);
      s = d.state;
      seen.push(`${s.stage}/${s.status}`);
    }
    expect(seen).toEqual([
      'area_exploration/active',
      'knowledge_sharing/active',
      'project_proposal/active',
      'agreed/agreed',
    ]);
    expect(decide(s, { type: 'advance' }, ctx)).toMatchObject({
      ok: false,
      rejection: { code: 'PARTNERSHIP_AGREED' },
    });
  });

  it('emits stage.advanced and partnership.agreed on the last step', () => {
    const d = decide(
      { ...state(), stage: 'project_proposal', tasks: [] },
      { type: 'advance' },
      ctx,
    );
    expect(d.ok && d.events.map((e) => e.type)).toEqual(['stage.advanced', 'partnership.agreed']);
  });

  it('sends back one stage with a reason, never before the first', () => {
    expect(
      decide(state({ stage: 'knowledge_sharing' }), { type: 'sendBack', reason: ' ' }, ctx),
    ).toMatchObject({
      ok: false,
      rejection: { code: 'REASON_REQUIRED' },
    });
    const d = decide(
      state({ stage: 'knowledge_sharing' }),
      { type: 'sendBack', reason: 'Areas need rework' },
      ctx,
    );
    expect(d).toMatchObject({ ok: true, state: { stage: 'area_exploration' } });
    expect(decide(state(), { type: 'sendBack', reason: 'x' }, ctx)).toMatchObject({
      ok: false,
      rejection: { code: 'NO_PREVIOUS_STAGE' },
    });
  });

  it('pauses and resumes, refusing stage changes while paused', () => {
    const paused = decide(state(), { type: 'pause' }, ctx);
    if (!paused.ok) throw new Error();
    expect(paused.state.status).toBe('paused');
    expect(decide({ ...paused.state, tasks: [] }, { type: 'advance' }, ctx)).toMatchObject({
      ok: false,
      rejection: { code: 'PARTNERSHIP_PAUSED' },
    });
    expect(decide(paused.state, { type: 'pause' }, ctx)).toMatchObject({
      ok: false,
      rejection: { code: 'PARTNERSHIP_PAUSED' },
    });
    expect(decide(state(), { type: 'resume' }, ctx)).toMatchObject({
      ok: false,
      rejection: { code: 'PARTNERSHIP_NOT_PAUSED' },
    });
    expect(decide(paused.state, { type: 'resume' }, ctx)).toMatchObject({
      ok: true,
      state: { status: 'active' },
    });
  });

  it('closes with a reason from any stage, after which every action is refused', () => {
    expect(decide(state(), { type: 'close', reason: '' }, ctx)).toMatchObject({
      ok: false,
      rejection: { code: 'REASON_REQUIRED' },
    });
    const closed = decide(
      state({ stage: 'knowledge_sharing' }),
      { type: 'close', reason: 'Funding withdrawn' },
      ctx,
    );
    if (!closed.ok) throw new Error();
    for (const action of [
      { type: 'advance' as const },
      { type: 'resume' as const },
      { type: 'completeTask' as const, taskId: 'introduction.meeting' },
      { type: 'addTask' as const, title: 'x' },
    ]) {
      expect(decide(closed.state, action, ctx)).toMatchObject({
        ok: false,
        rejection: { code: 'PARTNERSHIP_CLOSED' },
      });
    }
  });

  it('completes and reopens tasks, refusing unknown or repeated ones', () => {
    expect(decide(state(), { type: 'completeTask', taskId: 'nope' }, ctx)).toMatchObject({
      ok: false,
      rejection: { code: 'TASK_NOT_FOUND' },
    });
    const d = decide(state(), { type: 'completeTask', taskId: 'introduction.meeting' }, ctx);
    if (!d.ok) throw new Error();
    expect(d.state.tasks[0]).toMatchObject({ status: 'done', completedAt: ctx.now });
    expect(
      decide(d.state, { type: 'completeTask', taskId: 'introduction.meeting' }, ctx),
    ).toMatchObject({
      ok: false,
      rejection: { code: 'TASK_ALREADY_DONE' },
    });
    expect(
      decide(state(), { type: 'reopenTask', taskId: 'introduction.meeting' }, ctx),
    ).toMatchObject({
      ok: false,
      rejection: { code: 'TASK_NOT_DONE' },
    });
    expect(
      decide(d.state, { type: 'reopenTask', taskId: 'introduction.meeting' }, ctx),
    ).toMatchObject({ ok: true });
  });

  it('adds custom tasks to the current or a later stage, assigned to partner contacts only', () => {
    const d = decide(
      state(),
      { type: 'addTask', title: ' Share SME maturity report ', dueDate: '2027-01-15' },
      ctx,
    );
    expect(d.ok && d.state.tasks.at(-1)).toMatchObject({
      id: 'new-task',
      stage: 'introduction',
      title: 'Share SME maturity report',
      required: true,
      source: 'custom',
      dueDate: '2027-01-15',
    });
    expect(
      decide(
        state({ stage: 'knowledge_sharing' }),
        { type: 'addTask', title: 'x', stage: 'introduction' },
        ctx,
      ),
    ).toMatchObject({
      ok: false,
      rejection: { code: 'TASK_STAGE_PASSED' },
    });
    expect(
      decide(state(), { type: 'addTask', title: 'x', assigneeContactId: 'stranger' }, ctx),
    ).toMatchObject({
      ok: false,
      rejection: { code: 'ASSIGNEE_NOT_A_CONTACT' },
    });
    expect(
      decide(state(), { type: 'addTask', title: 'x', dueDate: '2027-02-30' }, ctx),
    ).toMatchObject({
      ok: false,
      rejection: { code: 'INVALID_DUE_DATE' },
    });
  });

  it('assigns and dates a task, one event per change, and refuses a no-op', () => {
    const d = decide(
      state(),
      {
        type: 'updateTask',
        taskId: 'introduction.meeting',
        assigneeContactId: 'contact-cn',
        dueDate: '2027-01-10',
      },
      ctx,
    );
    expect(d.ok && d.events.map((e) => e.type)).toEqual(['task.assigned', 'task.due_date_set']);
    if (!d.ok) throw new Error();
    expect(
      decide(
        d.state,
        { type: 'updateTask', taskId: 'introduction.meeting', assigneeContactId: 'contact-cn' },
        ctx,
      ),
    ).toMatchObject({ ok: false, rejection: { code: 'NOTHING_TO_CHANGE' } });
  });
});

describe(decideReopen.name, () => {
  it('reopens a closed partnership in the stage it was closed in, with the reason', () => {
    const decision = decideReopen(state({ stage: 'knowledge_sharing', status: 'closed' }), {
      reason: '  Funding came back  ',
    });
    expect(decision).toEqual({
      ok: true,
      status: 'active',
      events: [
        {
          type: 'partnership.reopened',
          payload: { stage: 'knowledge_sharing', reason: 'Funding came back' },
        },
      ],
    });
  });
  it.each([
    ['agreed', 'PARTNERSHIP_AGREED'],
    ['active', 'PARTNERSHIP_NOT_CLOSED'],
    ['paused', 'PARTNERSHIP_NOT_CLOSED'],
  ] as const)('refuses a %s partnership with %s', (status, code) => {
    expect(decideReopen(state({ status }), { reason: 'why' })).toEqual({
      ok: false,
      rejection: { code, message: expect.any(String), blockers: [] },
    });
  });
  it.each(['', '   '])('refuses a reason of %j with REASON_REQUIRED', (reason) => {
    const decision = decideReopen(state({ status: 'closed' }), { reason });
    expect(decision).toMatchObject({ ok: false, rejection: { code: 'REASON_REQUIRED' } });
  });
});

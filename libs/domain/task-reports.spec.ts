import { LifecycleState, Task, tasksFromTemplate } from './lifecycle';
import { blocksAfterReport, decideTaskReport, TaskBlock } from './task-reports';
import { contactActor } from './timeline';

const RAQUEL = contactActor({
  id: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
  name: 'Raquel Aguado Muñoz',
  email: 'raquel@ivace.example',
});
const LI = contactActor({
  id: '11111111-2222-4333-8444-555555555555',
  name: '李伟',
  email: 'li.wei@eiri.example',
});
const TASK = 'introduction.introductory_meeting';
const NOW = '2026-12-03T09:00:00.000Z';

function world(overrides: Partial<LifecycleState> = {}, task: Partial<Task> = {}): LifecycleState {
  const tasks = tasksFromTemplate([
    {
      key: 'introductory_meeting',
      stage: 'introduction',
      title: 'Hold the introductory meeting',
      required: true,
      kind: 'task',
    },
  ]).map((t) => ({ ...t, assigneeContactId: RAQUEL.id, dueDate: '2026-12-01', ...task }));
  return {
    stage: 'introduction',
    status: 'active',
    tasks,
    contactIds: [RAQUEL.id, LI.id],
    approvals: [],
    ...overrides,
  };
}
const ctx = (actor = RAQUEL) => ({ now: NOW, newTaskId: 'unused', actor });

describe(decideTaskReport.name, () => {
  it('completes the task for its assignee, with the comment, as the lifecycle does', () => {
    const decision = decideTaskReport(
      world(),
      {},
      { kind: 'done', taskId: TASK, comment: '  Met on 2 December  ' },
      ctx(),
    );
    expect(decision.ok && decision.state.tasks[0]).toMatchObject({
      status: 'done',
      completedAt: NOW,
    });
    expect(decision.ok && decision.events).toEqual([
      {
        type: 'task.completed',
        payload: {
          taskId: TASK,
          title: 'Hold the introductory meeting',
          comment: 'Met on 2 December',
        },
      },
    ]);
  });

  it('records what blocks the task, and changes no task', () => {
    const state = world();
    const decision = decideTaskReport(
      state,
      {},
      { kind: 'blocked', taskId: TASK, reason: 'Waiting for the visa' },
      ctx(),
    );
    expect(decision).toEqual({
      ok: true,
      state,
      events: [
        {
          type: 'task.blocked',
          payload: {
            taskId: TASK,
            title: 'Hold the introductory meeting',
            reason: 'Waiting for the visa',
          },
        },
      ],
    });
  });

  it.each([
    ['another contact', world(), ctx(LI), 'TASK_NOT_ASSIGNED'],
    ['an unassigned task', world({}, { assigneeContactId: null }), ctx(), 'TASK_NOT_ASSIGNED'],
    ['a done task', world({}, { status: 'done', completedAt: NOW }), ctx(), 'TASK_ALREADY_DONE'],
    ['a closed partnership', world({ status: 'closed' }), ctx(), 'PARTNERSHIP_CLOSED'],
    ['an agreed partnership', world({ status: 'agreed' }), ctx(), 'PARTNERSHIP_AGREED'],
  ])('refuses a report on %s', (_label, state, context, code) => {
    for (const report of [
      { kind: 'done' as const, taskId: TASK },
      { kind: 'blocked' as const, taskId: TASK, reason: 'x' },
    ]) {
      const decision = decideTaskReport(state, {}, report, context);
      expect(decision.ok ? 'ok' : decision.rejection.code).toBe(code);
    }
  });

  it('refuses an unknown task, an empty reason and the same block twice', () => {
    const code = (d: ReturnType<typeof decideTaskReport>) => (d.ok ? 'ok' : d.rejection.code);
    expect(code(decideTaskReport(world(), {}, { kind: 'done', taskId: 'nope.nope' }, ctx()))).toBe(
      'TASK_NOT_FOUND',
    );
    expect(
      code(decideTaskReport(world(), {}, { kind: 'blocked', taskId: TASK, reason: '  ' }, ctx())),
    ).toBe('REASON_REQUIRED');
    const blocks: Record<string, TaskBlock> = {
      [TASK]: { reason: 'Waiting for the visa', contactId: RAQUEL.id, at: NOW },
    };
    const again = { kind: 'blocked' as const, taskId: TASK, reason: ' Waiting for the visa ' };
    expect(code(decideTaskReport(world(), blocks, again, ctx()))).toBe('NOTHING_TO_CHANGE');
    // Another reason is news.
    expect(
      code(decideTaskReport(world(), blocks, { ...again, reason: 'Visa refused' }, ctx())),
    ).toBe('ok');
  });
});

describe(blocksAfterReport.name, () => {
  it('keeps the last block per task and drops it once the task is done', () => {
    const blocked = blocksAfterReport(
      {},
      { kind: 'blocked', taskId: TASK, reason: ' Visa ' },
      RAQUEL.id,
      NOW,
    );
    expect(blocked).toEqual({ [TASK]: { reason: 'Visa', contactId: RAQUEL.id, at: NOW } });
    expect(blocksAfterReport(blocked, { kind: 'done', taskId: TASK }, RAQUEL.id, NOW)).toEqual({});
  });
});

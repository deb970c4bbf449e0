import type { ApprovalRequest } from './approvals';
import { tasksFromTemplate, type Task, type TemplateTask } from './lifecycle';
import {
  decideTemplateMove,
  type MovablePartnership,
  type TemplateMoveTarget,
} from './template-move';

const V1: TemplateTask[] = [
  { key: 'intro_call', stage: 'introduction', title: 'Intro call', required: true, kind: 'task' },
  { key: 'mou', stage: 'introduction', title: 'MoU', required: false, kind: 'task' },
  { key: 'areas', stage: 'area_exploration', title: 'Areas', required: true, kind: 'task' },
  { key: 'visit', stage: 'area_exploration', title: 'Visit', required: false, kind: 'task' },
  { key: 'review', stage: 'project_proposal', title: 'Review', required: true, kind: 'task' },
];

function target(tasks: TemplateTask[], version = 3): TemplateMoveTarget {
  return {
    key: 'default',
    version,
    tasks,
    gates: { project_proposal: { consent: 'partners', organisationRule: 'any' } },
  };
}

function partnership(over: Partial<MovablePartnership> = {}): MovablePartnership {
  return {
    status: 'active',
    stage: 'area_exploration',
    templateKey: 'default',
    templateVersion: 2,
    tasks: tasksFromTemplate(V1),
    approvals: [],
    ...over,
  };
}

function pendingAbout(taskId: string, id = 'a1'): ApprovalRequest {
  return {
    id,
    subject: { kind: 'task', taskId, title: 'x' },
    status: 'pending',
    requestedAt: '2026-11-02T09:00:00Z',
    deadline: '2026-11-20T09:00:00Z',
    requestedBy: {},
    organisations: [],
    closedAt: null,
  };
}

const ids = (tasks: Task[]): string[] => tasks.map((t) => t.id);

describe(decideTemplateMove.name, () => {
  it('keeps the state of tasks both versions have, and takes their new fields', () => {
    const done = partnership({
      tasks: tasksFromTemplate(V1).map((t) =>
        t.id === 'introduction.intro_call'
          ? { ...t, status: 'done', completedAt: '2026-11-01T10:00:00Z' }
          : t.id === 'area_exploration.areas'
            ? { ...t, assigneeContactId: 'c1', dueDate: '2026-12-10' }
            : t,
      ),
    });
    const next = V1.map((t) =>
      t.key === 'areas'
        ? {
            ...t,
            title: 'Areas of common interest',
            kind: 'approval' as const,
            answeredBy: 'partners' as const,
          }
        : t,
    );
    const d = decideTemplateMove(done, target(next));
    if (!d.ok) throw new Error(d.message);
    expect(d.changed).toEqual(['area_exploration.areas']);
    expect(d.added).toEqual([]);
    expect(d.removed).toEqual([]);
    const areas = d.tasks.find((t) => t.id === 'area_exploration.areas');
    expect(areas).toMatchObject({
      title: 'Areas of common interest',
      kind: 'approval',
      answeredBy: 'partners',
      assigneeContactId: 'c1',
      dueDate: '2026-12-10',
      status: 'open',
    });
    expect(d.tasks.find((t) => t.id === 'introduction.intro_call')).toMatchObject({
      status: 'done',
      completedAt: '2026-11-01T10:00:00Z',
    });
    expect(d.gates).toEqual({ project_proposal: { consent: 'partners', organisationRule: 'any' } });
  });

  it('drops an open task the new version drops, keeps a done one, and withdraws its pending request', () => {
    const p = partnership({
      tasks: tasksFromTemplate(V1).map((t) =>
        t.id === 'introduction.mou'
          ? { ...t, status: 'done', completedAt: '2026-11-01T10:00:00Z' }
          : t,
      ),
      approvals: [
        pendingAbout('area_exploration.visit'),
        { ...pendingAbout('area_exploration.areas', 'a2') },
        { ...pendingAbout('area_exploration.visit', 'a3'), status: 'approved' },
      ],
    });
    const d = decideTemplateMove(p, target(V1.filter((t) => t.key !== 'visit' && t.key !== 'mou')));
    if (!d.ok) throw new Error(d.message);
    expect(d.removed).toEqual(['area_exploration.visit']);
    expect(ids(d.tasks)).toContain('introduction.mou');
    expect(ids(d.tasks)).not.toContain('area_exploration.visit');
    expect(d.withdrawApprovalIds).toEqual(['a1']);
  });

  it('adds new tasks in the current stage and later ones, none in stages already left', () => {
    const next: TemplateTask[] = [
      ...V1.slice(0, 2),
      { key: 'thanks', stage: 'introduction', title: 'Thanks', required: true, kind: 'task' },
      V1[2],
      { key: 'budget', stage: 'area_exploration', title: 'Budget', required: true, kind: 'task' },
      V1[3],
      { key: 'sheet', stage: 'knowledge_sharing', title: 'Sheet', required: false, kind: 'task' },
      V1[4],
    ];
    const d = decideTemplateMove(partnership(), target(next));
    if (!d.ok) throw new Error(d.message);
    expect(d.added).toEqual(['area_exploration.budget', 'knowledge_sharing.sheet']);
    expect(d.skipped).toEqual(['introduction.thanks']);
    expect(ids(d.tasks)).toEqual([
      'introduction.intro_call',
      'introduction.mou',
      'area_exploration.areas',
      'area_exploration.budget',
      'area_exploration.visit',
      'knowledge_sharing.sheet',
      'project_proposal.review',
    ]);
    expect(d.tasks.find((t) => t.id === 'area_exploration.budget')).toMatchObject({
      status: 'open',
      source: 'template',
      required: true,
    });
  });

  it('leaves the coordinator’s own tasks where they are, after the stage’s template tasks', () => {
    const custom: Task = {
      id: 'custom-1',
      stage: 'area_exploration',
      title: 'Ask about visas',
      required: false,
      kind: 'task',
      status: 'open',
      assigneeContactId: null,
      dueDate: null,
      source: 'custom',
      completedAt: null,
    };
    const tasks = tasksFromTemplate(V1);
    tasks.splice(2, 0, custom);
    const d = decideTemplateMove(partnership({ tasks }), target(V1));
    if (!d.ok) throw new Error(d.message);
    expect(ids(d.tasks).slice(2, 5)).toEqual([
      'area_exploration.areas',
      'area_exploration.visit',
      'custom-1',
    ]);
    expect(d.changed).toEqual([]);
  });

  it('refuses an ended partnership, another template and a version not newer than its own', () => {
    const code = (p: MovablePartnership, t: TemplateMoveTarget): string => {
      const d = decideTemplateMove(p, t);
      return d.ok ? 'accepted' : d.code;
    };
    expect(code(partnership({ status: 'closed' }), target(V1))).toBe('PARTNERSHIP_CLOSED');
    expect(code(partnership({ status: 'agreed' }), target(V1))).toBe('PARTNERSHIP_AGREED');
    expect(code(partnership(), { ...target(V1), key: 'other' })).toBe('TEMPLATE_KEY_DIFFERS');
    expect(code(partnership(), target(V1, 2))).toBe('TEMPLATE_NOT_NEWER');
    expect(code(partnership(), target(V1, 1))).toBe('TEMPLATE_NOT_NEWER');
    expect(code(partnership({ status: 'paused' }), target(V1))).toBe('accepted');
  });

  it('gives no gate rules when the new version asks no consent', () => {
    const d = decideTemplateMove(partnership(), {
      key: 'default',
      version: 3,
      tasks: V1,
      gates: {},
    });
    if (!d.ok) throw new Error(d.message);
    expect(d.gates).toBeUndefined();
  });
});

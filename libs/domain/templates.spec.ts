import type { GateConsentRule } from './gates';
import {
  TemplateVersionContent,
  TemplateVersionStage,
  TemplateVersionTask,
  templateDiff,
  templateProblems,
  templateTitle,
} from './templates';

const PARTNERS_ANY: GateConsentRule = { consent: 'partners', organisationRule: 'any' };
const NONE: GateConsentRule = { consent: 'none' };

function task(key: string, extra: Partial<TemplateVersionTask> = {}): TemplateVersionTask {
  return {
    key,
    kind: 'task',
    required: true,
    dueOffsetDays: null,
    titles: { en: `Do ${key}`, es: `Hacer ${key}`, zh: `完成${key}` },
    ...extra,
  };
}

function stage(
  name: TemplateVersionStage['stage'],
  tasks: TemplateVersionTask[],
  gate: GateConsentRule = NONE,
): TemplateVersionStage {
  return { stage: name, gate, tasks };
}

const VALID: TemplateVersionContent = {
  stages: [
    stage('introduction', [task('meeting'), task('profiles', { required: false })]),
    stage('area_exploration', [task('areas', { dueOffsetDays: 10 })]),
    stage('knowledge_sharing', [task('funding')]),
    stage(
      'project_proposal',
      [task('review', { kind: 'approval', answeredBy: 'partners', required: false })],
      PARTNERS_ANY,
    ),
  ],
};

const codes = (content: TemplateVersionContent, toPublish = true): string[] =>
  templateProblems(content, { toPublish }).map((p) => `${p.code} ${p.stage}.${p.taskKey ?? ''}`);

describe(templateProblems.name, () => {
  it('finds nothing wrong with a complete version', () => {
    expect(templateProblems(VALID, { toPublish: true })).toEqual([]);
  });

  it('refuses two tasks with the same key in a stage, but not in two stages', () => {
    const content: TemplateVersionContent = {
      stages: [
        stage('introduction', [task('meeting'), task('meeting', { required: false })]),
        stage('area_exploration', [task('meeting')]),
      ],
    };
    expect(codes(content)).toEqual(['duplicate_task_key introduction.meeting']);
  });

  it('refuses a key that cannot be part of a task id', () => {
    expect(codes({ stages: [stage('introduction', [task('Meet us')])] })).toEqual([
      'invalid_task_key introduction.Meet us',
    ]);
  });

  it('refuses a gate that checks nothing: no required task and no consent', () => {
    const content: TemplateVersionContent = {
      stages: [
        stage('introduction', [task('meeting', { required: false })]),
        // The partners' consent is something to check, without any required task.
        stage('project_proposal', [task('review', { required: false })], PARTNERS_ANY),
        stage('knowledge_sharing', []),
      ],
    };
    expect(codes(content)).toEqual([
      'no_required_task introduction.',
      'no_required_task knowledge_sharing.',
    ]);
  });

  it('refuses gate rules of another shape', () => {
    const content = {
      stages: [
        stage('introduction', [task('a')], { consent: 'partners' } as unknown as GateConsentRule),
        stage('area_exploration', [task('b')], {
          consent: 'none',
          organisationRule: 'all',
        } as unknown as GateConsentRule),
        stage('knowledge_sharing', [task('c')], {
          consent: 'everyone',
        } as unknown as GateConsentRule),
        stage('project_proposal', [task('d')], { consent: 'partners', organisationRule: 'all' }),
      ],
    };
    expect(codes(content)).toEqual([
      'invalid_gate_rule introduction.',
      'invalid_gate_rule area_exploration.',
      'invalid_gate_rule knowledge_sharing.',
    ]);
  });

  it('refuses unknown and repeated stages, and agreed', () => {
    const content = {
      stages: [
        stage('introduction', [task('a')]),
        stage('introduction', [task('b')]),
        stage('agreed' as TemplateVersionStage['stage'], [task('c')]),
      ],
    };
    expect(codes(content)).toEqual(['duplicate_stage introduction.', 'unknown_stage agreed.']);
  });

  it('lets only approval tasks be answered by the partners', () => {
    expect(
      codes({ stages: [stage('introduction', [task('a', { answeredBy: 'partners' })])] }),
    ).toEqual(['answered_by_needs_approval introduction.a']);
  });

  it('takes due offsets in whole working days from 0 to 260', () => {
    const offsets = [0, 260, -1, 1.5, 261];
    const content = {
      stages: [
        stage(
          'introduction',
          offsets.map((d, i) => task(`t${i}`, { dueOffsetDays: d })),
        ),
      ],
    };
    expect(codes(content)).toEqual([
      'invalid_due_offset introduction.t2',
      'invalid_due_offset introduction.t3',
      'invalid_due_offset introduction.t4',
    ]);
  });

  it('needs an English title always, and Spanish and Chinese ones to publish', () => {
    const content = {
      stages: [
        stage('introduction', [
          task('a', { titles: { en: 'Meet' } }),
          task('b', { titles: { en: ' ', es: 'Reunirse', zh: '  ' } }),
        ]),
      ],
    };
    expect(
      templateProblems(content, { toPublish: false }).map((p) => [p.taskKey, p.language]),
    ).toEqual([['b', 'en']]);
    expect(
      templateProblems(content, { toPublish: true }).map((p) => [p.taskKey, p.language]),
    ).toEqual([
      ['a', 'es'],
      ['a', 'zh'],
      ['b', 'en'],
      ['b', 'zh'],
    ]);
  });
});

describe(templateDiff.name, () => {
  it('finds no change between a version and itself, nor in task order alone', () => {
    expect(templateDiff(VALID, VALID)).toEqual({ stages: [] });
    const reordered = {
      stages: VALID.stages.map((s) => ({ ...s, tasks: [...s.tasks].reverse() })),
    };
    expect(templateDiff(VALID, reordered)).toEqual({ stages: [] });
  });

  it('names tasks added, removed and changed, field by field, per stage', () => {
    const next: TemplateVersionContent = {
      stages: [
        stage('introduction', [
          task('meeting', {
            dueOffsetDays: 5,
            titles: { en: 'Kick-off', es: 'Hacer meeting', zh: '完成meeting' },
          }),
          task('site_visit'),
        ]),
        ...VALID.stages.slice(1),
      ],
    };
    const diff = templateDiff(VALID, next);
    expect(diff.stages).toHaveLength(1);
    const [intro] = diff.stages;
    expect(intro.stage).toBe('introduction');
    expect(intro.added.map((t) => t.key)).toEqual(['site_visit']);
    expect(intro.removed.map((t) => t.key)).toEqual(['profiles']);
    expect(intro.changed).toEqual([
      {
        key: 'meeting',
        fields: ['dueOffsetDays', 'titles.en'],
        from: VALID.stages[0].tasks[0],
        to: next.stages[0].tasks[0],
      },
    ]);
    expect(intro.gate).toBeUndefined();
  });

  it('names a gate rule that changed, and counts a missing stage as no tasks and no consent', () => {
    const next: TemplateVersionContent = {
      stages: [
        stage('introduction', VALID.stages[0].tasks, PARTNERS_ANY),
        ...VALID.stages.slice(1, 3),
      ],
    };
    const diff = templateDiff(VALID, next);
    expect(diff.stages.map((s) => [s.stage, s.gate])).toEqual([
      ['introduction', { from: NONE, to: PARTNERS_ANY }],
      ['project_proposal', { from: PARTNERS_ANY, to: NONE }],
    ]);
    expect(diff.stages[1].removed.map((t) => t.key)).toEqual(['review']);
    const all = { consent: 'partners', organisationRule: 'all' } as const;
    const stricter = {
      stages: VALID.stages.map((s) => (s.gate.consent === 'partners' ? { ...s, gate: all } : s)),
    };
    expect(templateDiff(VALID, stricter).stages.map((s) => s.gate)).toEqual([
      { from: PARTNERS_ANY, to: all },
    ]);
  });

  it('sees kind, required and answeredBy changes', () => {
    const next = {
      stages: VALID.stages.map((s) =>
        s.stage === 'project_proposal'
          ? { ...s, tasks: [task('review', { kind: 'approval', required: true })] }
          : s,
      ),
    };
    expect(templateDiff(VALID, next).stages[0].changed[0].fields).toEqual([
      'required',
      'answeredBy',
    ]);
  });
});

describe(templateTitle.name, () => {
  it('gives the title in the language, English when there is none', () => {
    expect(templateTitle({ en: 'Meet', es: 'Reunirse' }, 'es')).toBe('Reunirse');
    expect(templateTitle({ en: 'Meet', es: 'Reunirse' }, 'zh')).toBe('Meet');
  });
});

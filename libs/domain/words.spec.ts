import { STAGES } from './partnership';
import { LANGUAGES } from './vocabulary';
import {
  approvalSubjectTitle,
  DEFAULT_TEMPLATE_TASK_IDS,
  gateSubjectTitle,
  STAGE_NAMES,
  stageName,
  TEMPLATE_TASK_TITLES,
  taskTitle,
} from './words';

const MEETING = 'introduction.introductory_meeting';
const template = (id: string, title: string) => ({ id, title, source: 'template' as const });

describe('the catalogs', () => {
  it('name every stage and every default template task in every language, each once', () => {
    for (const language of LANGUAGES) {
      expect(Object.keys(STAGE_NAMES[language]).sort()).toEqual([...STAGES].sort());
      expect(Object.keys(TEMPLATE_TASK_TITLES[language]).sort()).toEqual(
        [...DEFAULT_TEMPLATE_TASK_IDS].sort(),
      );
      for (const words of [STAGE_NAMES[language], TEMPLATE_TASK_TITLES[language]]) {
        const values = Object.values(words);
        expect(values.every((v) => v.trim().length > 0)).toBe(true);
        expect(new Set(values).size).toBe(values.length);
      }
    }
  });

  it('really translates: no Spanish or Chinese word is the English one, and Chinese is Chinese', () => {
    for (const id of DEFAULT_TEMPLATE_TASK_IDS) {
      expect(TEMPLATE_TASK_TITLES.es[id]).not.toBe(TEMPLATE_TASK_TITLES.en[id]);
      expect(TEMPLATE_TASK_TITLES.zh[id]).toMatch(
        /^[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef，、]+$/,
      );
    }
    for (const stage of STAGES) {
      expect(STAGE_NAMES.es[stage]).not.toBe(STAGE_NAMES.en[stage]);
      expect(STAGE_NAMES.zh[stage]).toMatch(/^[\u4e00-\u9fff]+$/);
    }
  });
});

describe(taskTitle.name, () => {
  it('translates a default template task that kept its seeded title', () => {
    const task = template(MEETING, 'Hold the introductory meeting');
    expect(taskTitle(task, 'es')).toBe('Celebrar la reunión de presentación');
    expect(taskTitle(task, 'zh')).toBe('召开首次介绍会议');
    expect(taskTitle(task, 'en')).toBe('Hold the introductory meeting');
    // An approval subject copies the id and title of its task, without a source.
    expect(taskTitle({ id: MEETING, title: 'Hold the introductory meeting' }, 'zh')).toBe(
      '召开首次介绍会议',
    );
  });

  it('keeps a renamed template task, a coordinator’s own task and an unknown id as written', () => {
    expect(taskTitle(template(MEETING, 'Kick-off in Chengdu'), 'es')).toBe('Kick-off in Chengdu');
    expect(
      taskTitle(
        { id: '0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6', title: 'Visit', source: 'custom' },
        'zh',
      ),
    ).toBe('Visit');
    // A custom task can never borrow a template's words, whatever its title.
    expect(
      taskTitle({ id: MEETING, title: 'Hold the introductory meeting', source: 'custom' }, 'es'),
    ).toBe('Hold the introductory meeting');
    expect(taskTitle(template('introduction.other', 'Other'), 'es')).toBe('Other');
  });

  it('says a template task in its template version’s words, unless it was renamed', () => {
    const titles = { en: 'Site visit', es: 'Visita a las instalaciones', zh: '实地考察' };
    const visit = { ...template('introduction.site_visit', 'Site visit'), titles };
    expect(taskTitle(visit, 'es')).toBe('Visita a las instalaciones');
    expect(taskTitle(visit, 'zh')).toBe('实地考察');
    expect(taskTitle({ ...visit, title: 'Visit Chengdu' }, 'zh')).toBe('Visit Chengdu');
    // A version without a title in the language: English (then the catalog's, for a default task).
    expect(taskTitle({ ...visit, titles: { en: 'Site visit' } }, 'es')).toBe('Site visit');
    const meeting = template(MEETING, 'Hold the introductory meeting');
    expect(taskTitle({ ...meeting, titles: { en: meeting.title } }, 'es')).toBe(
      'Celebrar la reunión de presentación',
    );
    expect(
      approvalSubjectTitle(
        { kind: 'task', taskId: 'introduction.site_visit', title: 'Site visit' },
        'zh',
        { 'introduction.site_visit': titles },
      ),
    ).toBe('实地考察');
  });
});

describe(gateSubjectTitle.name, () => {
  it.each([
    ['en', 'Close the Introduction stage and move on to Area exploration'],
    ['es', 'Cerrar la etapa de Presentación y pasar a Exploración de áreas'],
    ['zh', '结束相互介绍阶段，进入合作领域探索阶段'],
  ] as const)('%s', (language, title) => {
    expect(gateSubjectTitle('introduction', language)).toBe(title);
  });

  it('names the last gate’s way to the agreement', () => {
    expect(gateSubjectTitle('project_proposal', 'es')).toBe(
      'Cerrar la etapa de Propuesta de proyecto concreto y pasar a Acuerdo alcanzado',
    );
  });
});

describe(approvalSubjectTitle.name, () => {
  it('says a gate, a template task and a document each in the right words', () => {
    expect(
      approvalSubjectTitle(
        { kind: 'gate', stage: 'introduction', title: 'Leave introduction' },
        'zh',
      ),
    ).toBe('结束相互介绍阶段，进入合作领域探索阶段');
    expect(
      approvalSubjectTitle(
        { kind: 'task', taskId: 'area_exploration.priority_areas', title: 'Agree priority areas' },
        'es',
      ),
    ).toBe('Acordar las áreas prioritarias');
    expect(approvalSubjectTitle({ kind: 'document', title: 'Propuesta v2' }, 'zh')).toBe(
      'Propuesta v2',
    );
  });
});

describe(stageName.name, () => {
  it('reads the catalog', () => {
    expect(stageName('knowledge_sharing', 'zh')).toBe('知识共享');
  });
});

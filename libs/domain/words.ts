/**
 * The words Entente generates, in each reader's language: stage names, the default template's
 * task titles, and the title of a gate request. One catalog for the e-mails, the partner pages
 * and the web app (which may import this file directly: besides types it needs only the list
 * of languages, so it bundles without the rest of the domain).
 *
 * Only generated words are translated. A coordinator's own task titles, a renamed template task
 * and a document's title are shown as written.
 */
import type { ApprovalSubject } from './approvals';
import type { Task } from './lifecycle';
import type { Stage } from './partnership';
import type { TemplateTitles } from './templates';
import { KNOWLEDGE_TOPIC_TITLES } from './knowledge';
import { LANGUAGES, type Language } from './vocabulary';

/** Stage names as people read them. */
export const STAGE_NAMES: Readonly<Record<Language, Readonly<Record<Stage, string>>>> = {
  en: {
    introduction: 'Introduction',
    area_exploration: 'Area exploration',
    knowledge_sharing: 'Knowledge sharing',
    project_proposal: 'Concrete project proposal',
    agreed: 'Agreed',
  },
  es: {
    introduction: 'Presentación',
    area_exploration: 'Exploración de áreas',
    knowledge_sharing: 'Intercambio de conocimientos',
    project_proposal: 'Propuesta de proyecto concreto',
    agreed: 'Acuerdo alcanzado',
  },
  zh: {
    introduction: '相互介绍',
    area_exploration: '合作领域探索',
    knowledge_sharing: '知识共享',
    project_proposal: '具体项目提案',
    agreed: '达成协议',
  },
};

/** The ids of the default template's tasks (`<stage>.<key>`, version 1, seeded by migration). */
export const DEFAULT_TEMPLATE_TASK_IDS = [
  'introduction.introductory_meeting',
  'introduction.organisation_profiles',
  'introduction.ongoing_projects',
  'area_exploration.candidate_areas',
  'area_exploration.regional_differences',
  'area_exploration.priority_areas',
  'knowledge_sharing.entrepreneurship_culture',
  'knowledge_sharing.funding_environment',
  'knowledge_sharing.startup_regulations',
  'knowledge_sharing.seminar',
  'project_proposal.draft_proposal',
  'project_proposal.review_proposal',
  'project_proposal.next_steps',
] as const;
export type DefaultTemplateTaskId = (typeof DEFAULT_TEMPLATE_TASK_IDS)[number];

/**
 * The default template's task titles. English is exactly the seeded title (the templates
 * migration), which is how a title that was not renamed is recognised.
 */
export const TEMPLATE_TASK_TITLES: Readonly<
  Record<Language, Readonly<Record<DefaultTemplateTaskId, string>>>
> = {
  en: {
    'introduction.introductory_meeting': 'Hold the introductory meeting',
    'introduction.organisation_profiles': 'Exchange organisation profiles',
    'introduction.ongoing_projects': 'Share ongoing projects and initiatives',
    'area_exploration.candidate_areas': 'Propose candidate cooperation areas',
    'area_exploration.regional_differences':
      'Assess regional differences (entrepreneurship culture, SME maturity, industrial focus, funding, policy and regulation)',
    'area_exploration.priority_areas': 'Agree priority areas',
    'knowledge_sharing.entrepreneurship_culture':
      'Share entrepreneurship culture and support system',
    'knowledge_sharing.funding_environment': 'Share the funding environment',
    'knowledge_sharing.startup_regulations': 'Share start-up regulations',
    'knowledge_sharing.seminar': 'Co-organise a seminar or training programme',
    'project_proposal.draft_proposal': 'Draft the cooperation project proposal',
    'project_proposal.review_proposal': 'Partners review and approve the proposal',
    'project_proposal.next_steps': 'Agree next steps or sign a cooperation agreement',
  },
  es: {
    'introduction.introductory_meeting': 'Celebrar la reunión de presentación',
    'introduction.organisation_profiles': 'Intercambiar los perfiles de las organizaciones',
    'introduction.ongoing_projects': 'Compartir los proyectos e iniciativas en curso',
    'area_exploration.candidate_areas': 'Proponer posibles áreas de cooperación',
    'area_exploration.regional_differences':
      'Evaluar las diferencias regionales (cultura emprendedora, madurez de las pymes, especialización industrial, financiación, políticas y normativa)',
    'area_exploration.priority_areas': 'Acordar las áreas prioritarias',
    'knowledge_sharing.entrepreneurship_culture':
      'Compartir la cultura emprendedora y el sistema de apoyo',
    'knowledge_sharing.funding_environment': 'Compartir el entorno de financiación',
    'knowledge_sharing.startup_regulations': 'Compartir la normativa sobre empresas emergentes',
    'knowledge_sharing.seminar': 'Organizar conjuntamente un seminario o programa de formación',
    'project_proposal.draft_proposal': 'Redactar la propuesta de proyecto de cooperación',
    'project_proposal.review_proposal': 'Revisar y aprobar la propuesta por parte de los socios',
    'project_proposal.next_steps': 'Acordar los próximos pasos o firmar un acuerdo de cooperación',
  },
  zh: {
    'introduction.introductory_meeting': '召开首次介绍会议',
    'introduction.organisation_profiles': '交换机构简介',
    'introduction.ongoing_projects': '分享正在开展的项目和举措',
    'area_exploration.candidate_areas': '提出候选合作领域',
    'area_exploration.regional_differences':
      '评估地区差异（创业文化、中小企业成熟度、产业重点、资金、政策与法规）',
    'area_exploration.priority_areas': '商定优先合作领域',
    'knowledge_sharing.entrepreneurship_culture': '分享创业文化与创业支持体系',
    'knowledge_sharing.funding_environment': '分享融资环境',
    'knowledge_sharing.startup_regulations': '分享初创企业相关法规',
    'knowledge_sharing.seminar': '联合举办研讨会或培训项目',
    'project_proposal.draft_proposal': '起草合作项目提案',
    'project_proposal.review_proposal': '合作伙伴审阅并批准提案',
    'project_proposal.next_steps': '商定后续步骤或签署合作协议',
  },
};

type DefaultKnowledgeTopicKey = keyof (typeof KNOWLEDGE_TOPIC_TITLES)['en'];

/** A knowledge topic's title in `language`: a default topic in the catalog's words, others as written. */
export function knowledgeTopicTitle(
  topic: { key: string; title: string; source: 'default' | 'custom' },
  language: Language,
): string {
  if (topic.source !== 'default' || !Object.hasOwn(KNOWLEDGE_TOPIC_TITLES.en, topic.key))
    return topic.title;
  return (KNOWLEDGE_TOPIC_TITLES[language] ?? KNOWLEDGE_TOPIC_TITLES.en)[
    topic.key as DefaultKnowledgeTopicKey
  ];
}

/** The gate request's title: consent to close a stage and move on to the next. */
const GATE_TITLES: Readonly<Record<Language, (from: string, to: string) => string>> = {
  en: (from, to) => `Close the ${from} stage and move on to ${to}`,
  es: (from, to) => `Cerrar la etapa de ${from} y pasar a ${to}`,
  zh: (from, to) => `结束${from}阶段，进入${to}阶段`,
};

const NEXT_STAGE: Readonly<Record<Stage, Stage>> = {
  introduction: 'area_exploration',
  area_exploration: 'knowledge_sharing',
  knowledge_sharing: 'project_proposal',
  project_proposal: 'agreed',
  agreed: 'agreed',
};

function isDefaultTemplateTaskId(id: string): id is DefaultTemplateTaskId {
  return Object.hasOwn(TEMPLATE_TASK_TITLES.en, id);
}

/** A stage's name in `language` (the stage's own key when it is none we know). */
export function stageName(stage: Stage, language: Language): string {
  return (STAGE_NAMES[language] ?? STAGE_NAMES.en)[stage] ?? stage;
}

/** Template task titles by task id (`<stage>.<key>`), as the partnership's template version has them. */
export type TemplateTaskTitles = Readonly<Record<string, TemplateTitles>>;

/**
 * A task's title in `language`. A template task that was not renamed (its title is still the
 * template's English one) in the words its template version gives (`titles`: an admin's
 * version has them in each language), else in the catalog's (the default template's, for
 * callers that do not have the version's); any other title as written.
 */
export function taskTitle(
  task: Pick<Task, 'id' | 'title'> & { source?: Task['source']; titles?: TemplateTitles },
  language: Language,
): string {
  if (task.source === 'custom') return task.title;
  if (task.titles) {
    if (task.title !== task.titles.en) return task.title;
    const own = task.titles[language];
    if (own?.trim()) return own;
  }
  if (!isDefaultTemplateTaskId(task.id)) return task.title;
  if (task.title !== TEMPLATE_TASK_TITLES.en[task.id]) return task.title;
  return (TEMPLATE_TASK_TITLES[language] ?? TEMPLATE_TASK_TITLES.en)[task.id];
}

/** The title of the gate request of `stage`, in `language`. */
export function gateSubjectTitle(stage: Stage, language: Language): string {
  const gate = GATE_TITLES[language] ?? GATE_TITLES.en;
  return gate(stageName(stage, language), stageName(NEXT_STAGE[stage], language));
}

/**
 * What an approval request asks for, in `language`: a gate in the catalog's words, a task by its
 * title (translated as {@link taskTitle} does, with the partnership's template `titles` when the
 * caller has them), a document by the title it was given.
 */
export function approvalSubjectTitle(
  subject: ApprovalSubject,
  language: Language,
  titles?: TemplateTaskTitles,
): string {
  switch (subject.kind) {
    case 'gate':
      return gateSubjectTitle(subject.stage, language);
    case 'task':
      return taskTitle(
        { id: subject.taskId, title: subject.title, titles: titles?.[subject.taskId] },
        language,
      );
    case 'document':
      return subject.title;
  }
}

/** A word in every language, e.g. `inEachLanguage((l) => taskTitle(task, l))` for a bilingual e-mail. */
export function inEachLanguage(word: (language: Language) => string): Record<Language, string> {
  return Object.fromEntries(LANGUAGES.map((l) => [l, word(l)])) as Record<Language, string>;
}

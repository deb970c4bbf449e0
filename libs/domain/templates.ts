import {
  GATE_CONSENTS,
  ORGANISATION_CONSENT_RULES,
  type GateConsentRule,
  type GateRules,
} from './gates';
import type { TemplateTask } from './lifecycle';
import { STAGES, type Stage } from './partnership';
import { LANGUAGES, type Language } from './vocabulary';

/**
 * Stage template versions that admins write and publish (docs/templates.md): a draft can be
 * edited until it is published; a published version never changes, and a partnership keeps the
 * version it started with. These are the rules a version must meet and the difference between
 * two versions, with no server behind them.
 */
export const TEMPLATE_STATUSES = ['draft', 'published'] as const;
export type TemplateStatus = (typeof TEMPLATE_STATUSES)[number];

/** The stages a template gives tasks and gate rules to (`agreed` has neither). */
export const TEMPLATE_STAGES = STAGES.filter((s): s is Exclude<Stage, 'agreed'> => s !== 'agreed');
export type TemplateStage = (typeof TEMPLATE_STAGES)[number];

/** A template key or task key: lower-case words joined by `_` (it becomes part of a task id). */
export const TEMPLATE_KEY_PATTERN = /^[a-z][a-z0-9_]{0,39}$/;
/** The longest due offset a template task may have, in working days (about a year). */
export const MAX_DUE_OFFSET_DAYS = 260;

/** A task title in each language; English always, Spanish and Chinese before publishing. */
export type TemplateTitles = { en: string } & Partial<Record<Exclude<Language, 'en'>, string>>;

export interface TemplateVersionTask {
  key: string;
  kind: 'task' | 'approval';
  required: boolean;
  /** `partners`: an approval task only the partners' approval completes. */
  answeredBy?: 'partners';
  /** Working days after the partnership enters the stage by which the task is due; null: none. */
  dueOffsetDays: number | null;
  titles: TemplateTitles;
}

export interface TemplateVersionStage {
  stage: TemplateStage;
  /** Whose consent the stage's gate needs. */
  gate: GateConsentRule;
  /** In order. */
  tasks: TemplateVersionTask[];
}

/** What a template version says: each stage's tasks and gate rule. */
export interface TemplateVersionContent {
  stages: TemplateVersionStage[];
}

export const TEMPLATE_PROBLEM_CODES = [
  'unknown_stage',
  'duplicate_stage',
  'invalid_task_key',
  'duplicate_task_key',
  'no_required_task',
  'invalid_gate_rule',
  'answered_by_needs_approval',
  'invalid_due_offset',
  'title_missing',
] as const;
export type TemplateProblemCode = (typeof TEMPLATE_PROBLEM_CODES)[number];

/** One thing wrong with a version, with where it is (the web app says it in the reader's words). */
export interface TemplateProblem {
  code: TemplateProblemCode;
  /** Where in the version's content, e.g. `stages[0].tasks[2].titles.es`. */
  field: string;
  stage: string;
  taskKey?: string;
  language?: Language;
  message: string;
}

function isTemplateStage(value: string): value is TemplateStage {
  return (TEMPLATE_STAGES as readonly string[]).includes(value);
}

function gateRuleProblem(rule: GateConsentRule): boolean {
  const shape = rule as { consent: unknown; organisationRule?: unknown };
  if (!(GATE_CONSENTS as readonly unknown[]).includes(shape.consent)) return true;
  if (shape.consent === 'none') return shape.organisationRule !== undefined;
  return !(ORGANISATION_CONSENT_RULES as readonly unknown[]).includes(shape.organisationRule);
}

/**
 * What is wrong with a version: stages we know, each once; task keys well formed and unique in
 * their stage; a gate that checks something (a required task, or the partners' consent); gate
 * rules of a known shape; only approval tasks answered by the partners; due offsets whole working
 * days; an English title everywhere and, to publish (`toPublish`), a Spanish and a Chinese one
 * too. Empty when the version may be saved (or published).
 */
export function templateProblems(
  content: TemplateVersionContent,
  options: { toPublish: boolean },
): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  const seen = new Set<string>();
  for (const [si, stage] of content.stages.entries()) {
    const at = { stage: stage.stage, field: `stages[${si}]` };
    if (!isTemplateStage(stage.stage)) {
      problems.push({ ...at, code: 'unknown_stage', message: `unknown stage ${stage.stage}` });
      continue;
    }
    if (seen.has(stage.stage)) {
      problems.push({ ...at, code: 'duplicate_stage', message: `${stage.stage} appears twice` });
      continue;
    }
    seen.add(stage.stage);
    const invalidGate = gateRuleProblem(stage.gate);
    if (invalidGate) {
      problems.push({
        ...at,
        field: `stages[${si}].gate`,
        code: 'invalid_gate_rule',
        message: `${stage.stage}: a gate rule is { consent: none } or { consent: partners, organisationRule: any | all }`,
      });
    }
    if (!invalidGate && stage.gate.consent === 'none' && !stage.tasks.some((t) => t.required)) {
      problems.push({
        ...at,
        field: `stages[${si}].tasks`,
        code: 'no_required_task',
        message: `${stage.stage}: its gate checks nothing: make a task required, or ask for the partners' consent`,
      });
    }
    const keys = new Set<string>();
    for (const [ti, task] of stage.tasks.entries()) {
      const field = `stages[${si}].tasks[${ti}]`;
      const here = { ...at, field, taskKey: task.key };
      if (!TEMPLATE_KEY_PATTERN.test(task.key)) {
        problems.push({
          ...here,
          field: `${field}.key`,
          code: 'invalid_task_key',
          message: `${stage.stage}.${task.key}: a task key is lower-case letters, digits and _ (1–40, a letter first)`,
        });
      } else if (keys.has(task.key)) {
        problems.push({
          ...here,
          field: `${field}.key`,
          code: 'duplicate_task_key',
          message: `${stage.stage}.${task.key}: two tasks of the stage have this key`,
        });
      }
      keys.add(task.key);
      if (task.answeredBy === 'partners' && task.kind !== 'approval') {
        problems.push({
          ...here,
          field: `${field}.answeredBy`,
          code: 'answered_by_needs_approval',
          message: `${stage.stage}.${task.key}: only an approval task can be answered by the partners`,
        });
      }
      const offset = task.dueOffsetDays;
      if (
        offset !== null &&
        (!Number.isInteger(offset) || offset < 0 || offset > MAX_DUE_OFFSET_DAYS)
      ) {
        problems.push({
          ...here,
          field: `${field}.dueOffsetDays`,
          code: 'invalid_due_offset',
          message: `${stage.stage}.${task.key}: a due offset is a whole number of working days from 0 to ${MAX_DUE_OFFSET_DAYS}`,
        });
      }
      for (const language of LANGUAGES) {
        if (language !== 'en' && !options.toPublish) continue;
        if (!task.titles[language]?.trim()) {
          problems.push({
            ...here,
            field: `${field}.titles.${language}`,
            language,
            code: 'title_missing',
            message: `${stage.stage}.${task.key}: the title in ${language} is missing`,
          });
        }
      }
    }
  }
  return problems;
}

/** What can differ between two versions of the same task. */
export const TEMPLATE_TASK_FIELDS = [
  'kind',
  'required',
  'answeredBy',
  'dueOffsetDays',
  'titles.en',
  'titles.es',
  'titles.zh',
] as const;
export type TemplateTaskField = (typeof TEMPLATE_TASK_FIELDS)[number];

export interface TemplateTaskChange {
  key: string;
  fields: TemplateTaskField[];
  from: TemplateVersionTask;
  to: TemplateVersionTask;
}

/** How one stage differs between two versions (a stage that does not differ is left out). */
export interface TemplateStageDiff {
  stage: TemplateStage;
  added: TemplateVersionTask[];
  removed: TemplateVersionTask[];
  changed: TemplateTaskChange[];
  /** Present when the gate rule differs. */
  gate?: { from: GateConsentRule; to: GateConsentRule };
}

export interface TemplateDiff {
  /** In stage order; only stages that differ. */
  stages: TemplateStageDiff[];
}

function fieldOf(task: TemplateVersionTask, field: TemplateTaskField): unknown {
  switch (field) {
    case 'kind':
      return task.kind;
    case 'required':
      return task.required;
    case 'answeredBy':
      return task.answeredBy ?? null;
    case 'dueOffsetDays':
      return task.dueOffsetDays;
    case 'titles.en':
      return task.titles.en;
    case 'titles.es':
      return task.titles.es ?? null;
    case 'titles.zh':
      return task.titles.zh ?? null;
  }
}

function sameRule(a: GateConsentRule, b: GateConsentRule): boolean {
  if (a.consent !== b.consent) return false;
  return a.consent === 'none' || a.organisationRule === (b as typeof a).organisationRule;
}

const NO_GATE: GateConsentRule = { consent: 'none' };

/**
 * What moving from version `from` to version `to` changes, stage by stage: tasks added and
 * removed (by key), tasks whose fields differ, and gate rules that differ. A stage missing from a
 * version has no tasks and needs no consent there. Task order alone is no change.
 */
export function templateDiff(
  from: TemplateVersionContent,
  to: TemplateVersionContent,
): TemplateDiff {
  const stages: TemplateStageDiff[] = [];
  for (const stage of TEMPLATE_STAGES) {
    const before = from.stages.find((s) => s.stage === stage);
    const after = to.stages.find((s) => s.stage === stage);
    const oldTasks = before?.tasks ?? [];
    const newTasks = after?.tasks ?? [];
    const diff: TemplateStageDiff = {
      stage,
      added: newTasks.filter((t) => !oldTasks.some((o) => o.key === t.key)),
      removed: oldTasks.filter((o) => !newTasks.some((t) => t.key === o.key)),
      changed: [],
    };
    for (const task of newTasks) {
      const old = oldTasks.find((o) => o.key === task.key);
      if (!old) continue;
      const fields = TEMPLATE_TASK_FIELDS.filter((f) => fieldOf(old, f) !== fieldOf(task, f));
      if (fields.length > 0) diff.changed.push({ key: task.key, fields, from: old, to: task });
    }
    const gateFrom = before?.gate ?? NO_GATE;
    const gateTo = after?.gate ?? NO_GATE;
    if (!sameRule(gateFrom, gateTo)) diff.gate = { from: gateFrom, to: gateTo };
    if (diff.added.length || diff.removed.length || diff.changed.length || diff.gate) {
      stages.push(diff);
    }
  }
  return { stages };
}

/** The task title of a template task in `language` (English when it has none in that language). */
export function templateTitle(titles: TemplateTitles, language: Language): string {
  return titles[language]?.trim() ? (titles[language] as string) : titles.en;
}

/**
 * A version as a partnership's workflow starts with it: its tasks in stage order, each stage's in
 * order, and the gate rules of the stages that need the partners' consent (absent when none
 * does, as the workflow has always been given the versions seeded before).
 */
export function workflowTemplateOf(
  key: string,
  version: number,
  content: TemplateVersionContent,
): { key: string; version: number; tasks: TemplateTask[]; gates?: GateRules } {
  const stages = TEMPLATE_STAGES.flatMap((name) => content.stages.filter((s) => s.stage === name));
  const tasks = stages.flatMap((s) =>
    s.tasks.map((t): TemplateTask => ({
      key: t.key,
      stage: s.stage,
      title: t.titles.en,
      required: t.required,
      kind: t.kind,
      ...(t.answeredBy ? { answeredBy: t.answeredBy } : {}),
      ...(typeof t.dueOffsetDays === 'number' ? { dueOffsetDays: t.dueOffsetDays } : {}),
    })),
  );
  const gates: GateRules = {};
  for (const s of stages) if (s.gate.consent === 'partners') gates[s.stage] = s.gate;
  return { key, version, tasks, ...(Object.keys(gates).length > 0 ? { gates } : {}) };
}

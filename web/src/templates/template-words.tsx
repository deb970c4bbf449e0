import { useTranslation } from 'react-i18next';
import type { components } from '../api/client';
import { isLanguage } from '../../../libs/domain/vocabulary';

export type TemplateTask = components['schemas']['TemplateTaskView'];
export type TemplateGate = components['schemas']['TemplateGateRuleView'];
export type TemplateDiff = components['schemas']['TemplateDiffView'];
export type TemplateProblem = components['schemas']['TemplateProblemView'];

/** A template task's title in the viewer's language (English when the version has none). */
export function useTemplateTaskTitle(): (task: TemplateTask) => string {
  const { i18n } = useTranslation();
  const language = isLanguage(i18n.language) ? i18n.language : 'en';
  return (task) => task.titles[language]?.trim() || task.titles.en;
}

/** A gate rule in words: no consent, or every partner's through any one or all of its contacts. */
export function useGateRuleText(): (gate: TemplateGate) => string {
  const { t } = useTranslation();
  return (gate) =>
    gate.consent === 'partners'
      ? t(
          gate.organisationRule === 'all'
            ? 'templates.gatePartnersAll'
            : 'templates.gatePartnersAny',
        )
      : t('templates.gateNone');
}

/** What a template version's diff says, stage by stage (a stage that does not differ is left out). */
export function TemplateDiffList({ diff }: { diff: TemplateDiff }) {
  const { t } = useTranslation();
  const title = useTemplateTaskTitle();
  const rule = useGateRuleText();
  if (diff.stages.length === 0) return <p className="muted">{t('templates.noChange')}</p>;
  return (
    <div className="template-diff">
      {diff.stages.map((s) => (
        <section key={s.stage} aria-labelledby={`diff-${s.stage}`}>
          <h3 id={`diff-${s.stage}`}>{t(`stages.${s.stage}`)}</h3>
          <ul>
            {s.added.map((task) => (
              <li key={`added-${task.key}`}>{t('templates.added', { title: title(task) })}</li>
            ))}
            {s.removed.map((task) => (
              <li key={`removed-${task.key}`}>{t('templates.removed', { title: title(task) })}</li>
            ))}
            {s.changed.map((c) => (
              <li key={`changed-${c.key}`}>
                {t('templates.changed', {
                  title: title(c.to),
                  fields: c.fields
                    .map((f) =>
                      t(`templates.fields.${f.replace('.', '_')}` as 'templates.fields.kind'),
                    )
                    .join(', '),
                })}
              </li>
            ))}
            {s.gate && (
              <li>
                {t('templates.gateChanged', { from: rule(s.gate.from), to: rule(s.gate.to) })}
              </li>
            )}
          </ul>
        </section>
      ))}
    </div>
  );
}

/** What publishing a draft would refuse, each problem in the viewer's words. */
export function TemplateProblemList({ problems }: { problems: TemplateProblem[] }) {
  const { t } = useTranslation();
  return (
    <ul className="template-problems">
      {problems.map((p, i) => (
        <li key={`${p.field}-${p.code}-${i}`}>
          {t(`templates.problems.${p.code}`, {
            stage: isStage(p.stage) ? t(`stages.${p.stage}`) : p.stage,
            task: p.taskKey ?? '',
            language: p.language ? t(`languages.${p.language}`) : '',
          })}
        </li>
      ))}
    </ul>
  );
}

const STAGE_KEYS = [
  'introduction',
  'area_exploration',
  'knowledge_sharing',
  'project_proposal',
] as const;
function isStage(value: string): value is (typeof STAGE_KEYS)[number] {
  return (STAGE_KEYS as readonly string[]).includes(value);
}

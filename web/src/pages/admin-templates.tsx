import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { api, call, type components } from '../api/client';
import { ProblemError } from '../auth/session';
import { ProblemAlert } from '../components/problem';
import { formatDateTime } from '../format';
import { adminPage, AdminPageFrame } from '../forms/admin';
import { StatusNote } from '../forms/form-footer';
import { ConfirmDialog } from '../partnership/dialog';
import {
  TemplateDiffList,
  TemplateProblemList,
  useGateRuleText,
  useTemplateTaskTitle,
  type TemplateProblem,
} from '../templates/template-words';
import { templateProblems, type TemplateVersionStage } from '../../../libs/domain/templates';
import { LANGUAGES } from '../../../libs/domain/vocabulary';

type Summary = components['schemas']['TemplateVersionSummaryView'];
type Version = components['schemas']['TemplateVersionView'];
type Stage = components['schemas']['TemplateStageView'];
type Task = components['schemas']['TemplateTaskView'];
type GateChoice = 'none' | 'partners_any' | 'partners_all';

const LIST_KEY = ['templates'];

/**
 * Stage templates (docs/templates.md): the versions, a new draft (a copy of the version new
 * partnerships start with), the draft's editor, what publishing it would refuse, its diff
 * against the published version, and publishing it. A published version is shown, never edited.
 */
function Templates() {
  const { t, i18n } = useTranslation();
  const [params, setParams] = useSearchParams();
  const client = useQueryClient();
  const list = useQuery({
    queryKey: LIST_KEY,
    queryFn: () => call(() => api.GET('/api/v1/templates')),
  });
  const items = list.data?.items ?? [];
  const current = items.find((i) => i.current);
  const selected = { key: params.get('key'), version: Number(params.get('version')) };
  const open = (key: string, version: number) =>
    setParams((p) => {
      p.set('key', key);
      p.set('version', String(version));
      return p;
    });
  const create = useMutation({
    mutationFn: () => {
      const key = list.data?.newPartnershipsKey ?? 'default';
      return call(() =>
        api.POST('/api/v1/templates/{key}/versions', {
          params: { path: { key } },
          body: current ? { copyFrom: { key, version: current.version } } : {},
        }),
      );
    },
    onSuccess: (draft) => {
      void client.invalidateQueries({ queryKey: LIST_KEY });
      open(draft.key, draft.version);
    },
  });
  return (
    <AdminPageFrame
      id="templates"
      title={t('templates.title')}
      error={list.error}
      actions={
        <button type="button" disabled={create.isPending} onClick={() => create.mutate()}>
          {t('templates.newDraft')}
        </button>
      }
    >
      <p className="muted">{t('templates.intro')}</p>
      {create.error ? <ProblemAlert error={create.error} /> : null}
      <div className="panel">
        {list.isPending && <p className="muted">{t('app.loading')}</p>}
        {list.data && (
          <table>
            <caption>{t('templates.versions')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('templates.template')}</th>
                <th scope="col">{t('templates.version')}</th>
                <th scope="col">{t('templates.status')}</th>
                <th scope="col">{t('templates.publishedAt')}</th>
                <th scope="col">{t('templates.taskCount')}</th>
                <th scope="col">{t('templates.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((v: Summary) => (
                <tr
                  key={`${v.key}@${v.version}`}
                  aria-current={
                    v.key === selected.key && v.version === selected.version ? 'true' : undefined
                  }
                >
                  <td>{v.key}</td>
                  <td>
                    {v.version}
                    {v.current && <span className="badge"> {t('templates.current')}</span>}
                  </td>
                  <td>{t(`templates.statuses.${v.status}`)}</td>
                  <td>{v.publishedAt ? formatDateTime(v.publishedAt, i18n.language) : '—'}</td>
                  <td>{v.taskCount}</td>
                  <td>
                    <button
                      type="button"
                      className="button-secondary"
                      onClick={() => open(v.key, v.version)}
                    >
                      {v.status === 'draft' ? t('templates.edit') : t('templates.view')}
                      <span className="visually-hidden">
                        {' '}
                        {t('templates.versionOf', { key: v.key, version: v.version })}
                      </span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      {selected.key && selected.version > 0 && (
        <VersionPanel
          key={`${selected.key}@${selected.version}`}
          templateKey={selected.key}
          version={selected.version}
          published={items.filter((i) => i.key === selected.key && i.status === 'published')}
        />
      )}
    </AdminPageFrame>
  );
}

/** Stage templates: the versions admins write and publish. */
export default adminPage('templates.title', Templates);

function VersionPanel({
  templateKey,
  version,
  published,
}: {
  templateKey: string;
  version: number;
  published: Summary[];
}) {
  const { t } = useTranslation();
  const queryKey = ['templates', templateKey, version];
  const query = useQuery({
    queryKey,
    queryFn: () =>
      call(() =>
        api.GET('/api/v1/templates/{key}/versions/{version}', {
          params: { path: { key: templateKey, version: String(version) } },
        }),
      ),
  });
  const heading = useRef<HTMLHeadingElement>(null);
  // Opened from the list: its heading takes the focus, so the reader lands on it.
  useEffect(() => heading.current?.focus(), []);
  const latest = published.filter((p) => p.version !== version).at(-1);
  return (
    <section className="panel" aria-labelledby="version-title">
      <h2 id="version-title" ref={heading} tabIndex={-1}>
        {t('templates.versionOf', { key: templateKey, version })}
        {query.data && ` · ${t(`templates.statuses.${query.data.status}`)}`}
      </h2>
      {query.error ? <ProblemAlert error={query.error} /> : null}
      {query.isPending && <p className="muted">{t('app.loading')}</p>}
      {query.data?.status === 'published' && <PublishedVersion version={query.data} />}
      {query.data?.status === 'draft' && (
        <DraftEditor draft={query.data} queryKey={queryKey} against={latest?.version} />
      )}
    </section>
  );
}

function PublishedVersion({ version }: { version: Version }) {
  const { t } = useTranslation();
  const title = useTemplateTaskTitle();
  const rule = useGateRuleText();
  return (
    <>
      {version.stages.map((s) => (
        <section key={s.stage} aria-labelledby={`stage-${s.stage}`}>
          <h3 id={`stage-${s.stage}`}>{t(`stages.${s.stage}`)}</h3>
          <p className="muted">{t('templates.gateIs', { rule: rule(s.gate) })}</p>
          <ul>
            {s.tasks.map((task) => (
              <li key={task.key}>
                {title(task)}{' '}
                <span className="muted small">
                  (
                  {[
                    t(`templates.kinds.${task.kind}`),
                    task.required ? t('app.required') : t('app.optional'),
                    task.dueOffsetDays !== null
                      ? t('templates.dueIn', { count: task.dueOffsetDays })
                      : null,
                  ]
                    .filter(Boolean)
                    .join(', ')}
                  )
                </span>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </>
  );
}

function gateChoiceOf(stage: Stage): GateChoice {
  if (stage.gate.consent !== 'partners') return 'none';
  return stage.gate.organisationRule === 'all' ? 'partners_all' : 'partners_any';
}

function gateOf(choice: GateChoice): Stage['gate'] {
  if (choice === 'none') return { consent: 'none' };
  return { consent: 'partners', organisationRule: choice === 'partners_all' ? 'all' : 'any' };
}

/** A stage as the domain's rules read it. */
function asContent(stage: Stage): TemplateVersionStage {
  return {
    ...stage,
    gate:
      stage.gate.consent === 'partners'
        ? { consent: 'partners', organisationRule: stage.gate.organisationRule ?? 'any' }
        : { consent: 'none' },
  };
}

function newTask(stage: Stage): Task {
  let n = stage.tasks.length + 1;
  while (stage.tasks.some((t) => t.key === `task_${n}`)) n++;
  return {
    key: `task_${n}`,
    kind: 'task',
    required: true,
    dueOffsetDays: null,
    titles: { en: '' },
  };
}

/** The draft's stages and tasks, saved whole; then its problems, its diff and publishing it. */
function DraftEditor({
  draft,
  queryKey,
  against,
}: {
  draft: Version;
  queryKey: unknown[];
  against: number | undefined;
}) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [stages, setStages] = useState<Stage[]>(draft.stages);
  const [done, setDone] = useState<string>();
  const [confirming, setConfirming] = useState(false);
  // What even a draft may not have, checked before saving, in the reader's words.
  const local = useMemo(
    () =>
      templateProblems(
        { stages: stages.map(asContent) },
        { toPublish: false },
      ) as TemplateProblem[],
    [stages],
  );
  const [shown, setShown] = useState(false);
  const edit = (i: number, change: (s: Stage) => Stage) =>
    setStages((all) => all.map((s, j) => (j === i ? change(s) : s)));
  const editTask = (i: number, k: number, change: Partial<Task>) =>
    edit(i, (s) => ({
      ...s,
      tasks: s.tasks.map((task, j) => (j === k ? { ...task, ...change } : task)),
    }));
  const refresh = () => {
    void client.invalidateQueries({ queryKey });
    void client.invalidateQueries({ queryKey: LIST_KEY, exact: true });
    void client.invalidateQueries({ queryKey: ['templates', draft.key, 'diff'] });
  };
  const save = useMutation({
    mutationFn: () =>
      call(() =>
        api.PUT('/api/v1/templates/{key}/versions/{version}', {
          params: { path: { key: draft.key, version: String(draft.version) } },
          body: { stages },
        }),
      ),
    onSuccess: () => {
      setDone(t('templates.saved'));
      refresh();
    },
  });
  const publish = useMutation({
    mutationFn: () =>
      call(() =>
        api.POST('/api/v1/templates/{key}/versions/{version}/publish', {
          params: { path: { key: draft.key, version: String(draft.version) } },
        }),
      ),
    onSuccess: () => {
      setConfirming(false);
      refresh();
    },
  });
  const diff = useQuery({
    queryKey: ['templates', draft.key, 'diff', against, draft.version, draft.updatedAt],
    enabled: against !== undefined,
    queryFn: () =>
      call(() =>
        api.GET('/api/v1/templates/{key}/diff', {
          params: {
            path: { key: draft.key },
            query: { from: against ?? 1, to: draft.version },
          },
        }),
      ),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setDone(undefined);
    setShown(true);
    if (local.length === 0) save.mutate();
  };
  const refused = publish.error instanceof ProblemError ? publish.error.extra.problems : undefined;
  return (
    <>
      <form noValidate onSubmit={submit} className="template-editor">
        {shown && local.length > 0 && (
          <div role="alert" className="alert alert-error">
            <p>{t('templates.fixFirst')}</p>
            <TemplateProblemList problems={local} />
          </div>
        )}
        {save.error ? <ProblemAlert error={save.error} /> : null}
        {stages.map((stage, i) => (
          <fieldset key={stage.stage} className="template-stage">
            <legend>{t(`stages.${stage.stage}`)}</legend>
            <label className="field">
              <span className="label-text">{t('templates.gate')}</span>
              <select
                value={gateChoiceOf(stage)}
                onChange={(e) =>
                  edit(i, (s) => ({ ...s, gate: gateOf(e.target.value as GateChoice) }))
                }
              >
                <option value="none">{t('templates.gateNone')}</option>
                <option value="partners_any">{t('templates.gatePartnersAny')}</option>
                <option value="partners_all">{t('templates.gatePartnersAll')}</option>
              </select>
            </label>
            {stage.tasks.map((task, k) => (
              <TaskFields
                key={k}
                id={`${stage.stage}-${k}`}
                task={task}
                stageName={t(`stages.${stage.stage}`)}
                number={k + 1}
                onChange={(change) => editTask(i, k, change)}
                onRemove={() =>
                  edit(i, (s) => ({ ...s, tasks: s.tasks.filter((_, j) => j !== k) }))
                }
              />
            ))}
            <div className="button-row">
              <button
                type="button"
                className="button-secondary"
                onClick={() => edit(i, (s) => ({ ...s, tasks: [...s.tasks, newTask(s)] }))}
              >
                {t('templates.addTaskTo', { stage: t(`stages.${stage.stage}`) })}
              </button>
            </div>
          </fieldset>
        ))}
        <StatusNote message={done} />
        <div className="button-row">
          <button type="submit" disabled={save.isPending}>
            {t('templates.save')}
          </button>
        </div>
      </form>
      <section aria-labelledby="publish-title">
        <h3 id="publish-title">{t('templates.publishTitle')}</h3>
        {draft.problems.length > 0 ? (
          <>
            <p>{t('templates.notYet')}</p>
            <TemplateProblemList problems={draft.problems} />
          </>
        ) : (
          <p>{t('templates.ready')}</p>
        )}
        {against !== undefined && (
          <>
            <h4>{t('templates.diffAgainst', { version: against })}</h4>
            {diff.error ? <ProblemAlert error={diff.error} /> : null}
            {diff.data && <TemplateDiffList diff={diff.data} />}
          </>
        )}
        <div className="button-row">
          <button
            type="button"
            onClick={() => {
              publish.reset();
              setConfirming(true);
            }}
          >
            {t('templates.publish')}
          </button>
        </div>
      </section>
      <ConfirmDialog
        open={confirming}
        title={t('templates.publishTitle')}
        onClose={() => setConfirming(false)}
        confirmLabel={t('templates.publish')}
        busy={publish.isPending}
        onConfirm={() => publish.mutate()}
      >
        <p>{t('templates.publishQuestion', { key: draft.key, version: draft.version })}</p>
        {publish.error ? <ProblemAlert error={publish.error} /> : null}
        {Array.isArray(refused) && <TemplateProblemList problems={refused as TemplateProblem[]} />}
      </ConfirmDialog>
    </>
  );
}

function TaskFields({
  id,
  task,
  stageName,
  number,
  onChange,
  onRemove,
}: {
  id: string;
  task: Task;
  stageName: string;
  number: number;
  onChange: (change: Partial<Task>) => void;
  onRemove: () => void;
}) {
  const { t } = useTranslation();
  const field = (name: string) => `template-${id}-${name}`;
  return (
    <fieldset className="template-task">
      <legend>{t('templates.taskNumber', { stage: stageName, number })}</legend>
      <div className="field">
        <label className="label-text" htmlFor={field('key')}>
          {t('templates.key')}
        </label>
        <input
          id={field('key')}
          value={task.key}
          maxLength={40}
          aria-describedby={field('key-help')}
          onChange={(e) => onChange({ key: e.target.value })}
        />
        <p id={field('key-help')} className="help">
          {t('templates.keyHelp')}
        </p>
      </div>
      {LANGUAGES.map((language) => (
        <div className="field" key={language}>
          <label className="label-text" htmlFor={field(`title-${language}`)}>
            {t('templates.titleIn', { language: t(`languages.${language}`) })}
          </label>
          <input
            id={field(`title-${language}`)}
            lang={language}
            value={task.titles[language] ?? ''}
            maxLength={300}
            onChange={(e) => onChange({ titles: { ...task.titles, [language]: e.target.value } })}
          />
        </div>
      ))}
      <div className="field">
        <label className="label-text" htmlFor={field('kind')}>
          {t('templates.kind')}
        </label>
        <select
          id={field('kind')}
          value={task.kind}
          onChange={(e) => {
            const kind = e.target.value as Task['kind'];
            onChange(kind === 'task' ? { kind, answeredBy: undefined } : { kind });
          }}
        >
          <option value="task">{t('templates.kinds.task')}</option>
          <option value="approval">{t('templates.kinds.approval')}</option>
        </select>
      </div>
      <label className="field inline">
        <input
          type="checkbox"
          checked={task.required}
          onChange={(e) => onChange({ required: e.target.checked })}
        />
        <span className="label-text">{t('templates.required')}</span>
      </label>
      {task.kind === 'approval' && (
        <label className="field inline">
          <input
            type="checkbox"
            checked={task.answeredBy === 'partners'}
            onChange={(e) => onChange({ answeredBy: e.target.checked ? 'partners' : undefined })}
          />
          <span className="label-text">{t('templates.answeredByPartners')}</span>
        </label>
      )}
      <div className="field">
        <label className="label-text" htmlFor={field('due')}>
          {t('templates.dueOffset')}
          <span className="muted optional"> ({t('app.optional')})</span>
        </label>
        <input
          id={field('due')}
          type="number"
          inputMode="numeric"
          min={0}
          max={260}
          value={task.dueOffsetDays ?? ''}
          aria-describedby={field('due-help')}
          onChange={(e) =>
            onChange({ dueOffsetDays: e.target.value === '' ? null : Number(e.target.value) })
          }
        />
        <p id={field('due-help')} className="help">
          {t('templates.dueOffsetHelp')}
        </p>
      </div>
      <div className="button-row">
        <button
          type="button"
          className="button-secondary"
          aria-label={t('templates.removeTask', { stage: stageName, number })}
          onClick={onRemove}
        >
          {t('app.remove')}
        </button>
      </div>
    </fieldset>
  );
}

import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call, type components } from '../api/client';
import { DownloadButton } from '../components/download-button';
import { ProblemAlert } from '../components/problem';
import { LabelField } from '../forms/field';
import { StatusNote, SubmitRow } from '../forms/form-footer';
import { formatDateTime } from '../format';
import { LANGUAGES, type Language } from '../../../libs/domain/vocabulary';
import { useCanAct } from './members';
import { useAction } from './use-action';
import { isEnded, type Partnership } from './use-partnership';
import { useKnowledgeTopicTitle } from './words';

type Comparison = components['schemas']['KnowledgeComparisonView'];
type Topic = Comparison['topics'][number];
type Contribution = components['schemas']['KnowledgeContributionView'];

export const knowledgeKey = (id: string) => ['partnership', id, 'knowledge'] as const;

function useKnowledge(id: string) {
  return useQuery({
    queryKey: knowledgeKey(id),
    queryFn: () =>
      call(() => api.GET('/api/v1/partnerships/{id}/knowledge', { params: { path: { id } } })),
  });
}

/**
 * Knowledge sharing: per topic, each organisation's contribution side by side, each in the
 * language it was written in (its `lang`); the coordinator adds topics, writes or edits a side,
 * asks the partners (an e-mail with their link), sets the gate, and downloads Markdown or PDF.
 */
export function KnowledgeSection({ partnership }: { partnership: Partnership }) {
  const { t } = useTranslation();
  const id = partnership.id;
  const knowledge = useKnowledge(id);
  const canAct = useCanAct(id) && !isEnded(partnership);
  const [done, setDone] = useState<string | undefined>();
  const request = useAction(id, () =>
    call(() =>
      api.POST('/api/v1/partnerships/{id}/knowledge/requests', {
        params: { path: { id } },
        body: {},
      }),
    ),
  );
  const gate = useAction(id, (requireContributions: boolean) =>
    call(() =>
      api.PUT('/api/v1/partnerships/{id}/knowledge/gate', {
        params: { path: { id } },
        body: { requireContributions },
      }),
    ),
  );
  const data = knowledge.data;
  const refetch = () => void knowledge.refetch();
  return (
    <section className="panel knowledge" aria-labelledby="knowledge-title">
      <h2 id="knowledge-title">{t('knowledge.title')}</h2>
      <p className="muted small">{t('knowledge.intro')}</p>
      <ProblemAlert error={knowledge.error} />
      <p className="button-row">
        <DownloadButton
          label={t('knowledge.downloadMarkdown')}
          filename={`knowledge-sharing-${id}.md`}
          fetch={() =>
            api.GET('/api/v1/partnerships/{id}/knowledge/export.md', {
              params: { path: { id } },
              parseAs: 'blob',
            })
          }
        />
        <DownloadButton
          label={t('knowledge.downloadPdf')}
          filename={`knowledge-sharing-${id}.pdf`}
          fetch={() =>
            api.GET('/api/v1/partnerships/{id}/knowledge/export.pdf', {
              params: { path: { id } },
              parseAs: 'blob',
            })
          }
        />
        {canAct && (
          <button
            type="button"
            className="button-secondary"
            disabled={request.isPending}
            onClick={() =>
              request.mutate(undefined, {
                onSuccess: (r) => setDone(t('knowledge.requested', { count: r.contactIds.length })),
              })
            }
          >
            {t('knowledge.request')}
          </button>
        )}
      </p>
      <ProblemAlert error={request.error ?? gate.error} />
      <StatusNote message={done} />
      {data && canAct && (
        <label className="checkbox knowledge-gate">
          <input
            type="checkbox"
            checked={data.requireContributions}
            disabled={gate.isPending}
            onChange={(e) => gate.mutate(e.target.checked, { onSuccess: refetch })}
          />
          <span className="label-text">{t('knowledge.requireContributions')}</span>
        </label>
      )}
      {data?.topics.map((topic) => (
        <TopicComparison
          key={topic.key}
          partnershipId={id}
          topic={topic}
          organisations={data.organisations}
          canAct={canAct}
          onSaved={refetch}
        />
      ))}
      {data && canAct && <AddTopic partnershipId={id} onAdded={refetch} />}
    </section>
  );
}

function TopicComparison({
  partnershipId,
  topic,
  organisations,
  canAct,
  onSaved,
}: {
  partnershipId: string;
  topic: Topic;
  organisations: Comparison['organisations'];
  canAct: boolean;
  onSaved: () => void;
}) {
  const { t } = useTranslation();
  const title = useKnowledgeTopicTitle();
  const headingId = `knowledge-topic-${topic.key}`;
  return (
    <section className="knowledge-topic" aria-labelledby={headingId}>
      <h3 id={headingId}>
        {title(topic)}{' '}
        <span className="muted small">
          ({topic.required ? t('knowledge.required') : t('knowledge.optional')})
        </span>
      </h3>
      <div className="knowledge-sides">
        {topic.sides.map((side) => {
          const organisation = organisations.find((o) => o.id === side.organisationId);
          return (
            <Side
              key={side.organisationId}
              partnershipId={partnershipId}
              topicKey={topic.key}
              organisationId={side.organisationId}
              organisationName={organisation?.name ?? side.organisationId}
              contribution={side.contribution ?? undefined}
              canAct={canAct}
              onSaved={onSaved}
            />
          );
        })}
      </div>
    </section>
  );
}

function Side(props: {
  partnershipId: string;
  topicKey: string;
  organisationId: string;
  organisationName: string;
  contribution: Contribution | undefined;
  canAct: boolean;
  onSaved: () => void;
}) {
  const { t, i18n } = useTranslation();
  const { contribution: c } = props;
  const [editing, setEditing] = useState(false);
  return (
    <article className="knowledge-side" aria-label={props.organisationName}>
      <h4>{props.organisationName}</h4>
      {c ? (
        <>
          <p className="knowledge-text" lang={c.language}>
            {c.text}
          </p>
          {c.links.length > 0 && (
            <ul className="knowledge-links">
              {c.links.map((l) => (
                <li key={l}>
                  <a href={l} rel="noreferrer noopener" target="_blank">
                    {l}
                  </a>
                </li>
              ))}
            </ul>
          )}
          <p className="muted small">
            {t('knowledge.byline', {
              author: c.author.name ?? t('knowledge.someone'),
              when: formatDateTime(c.at, i18n.language),
              language: t(`languages.${c.language}`),
              revision: c.revision,
            })}
          </p>
        </>
      ) : (
        <p className="muted">{t('knowledge.none')}</p>
      )}
      {props.canAct && !editing && (
        <button type="button" className="button-secondary" onClick={() => setEditing(true)}>
          {c ? t('knowledge.edit') : t('knowledge.write')}
        </button>
      )}
      {editing && <EditSide {...props} onDone={() => setEditing(false)} />}
    </article>
  );
}

function EditSide({
  partnershipId,
  topicKey,
  organisationId,
  contribution,
  onSaved,
  onDone,
}: {
  partnershipId: string;
  topicKey: string;
  organisationId: string;
  contribution: Contribution | undefined;
  onSaved: () => void;
  onDone: () => void;
}) {
  const { t, i18n } = useTranslation();
  const [text, setText] = useState(contribution?.text ?? '');
  const viewer = (LANGUAGES as readonly string[]).includes(i18n.language)
    ? (i18n.language as Language)
    : 'en';
  const [language, setLanguage] = useState<Language>(contribution?.language ?? viewer);
  const [links, setLinks] = useState((contribution?.links ?? []).join('\n'));
  const save = useAction(partnershipId, () =>
    call(() =>
      api.PUT(
        '/api/v1/partnerships/{id}/knowledge/topics/{topicKey}/contributions/{organisationId}',
        {
          params: { path: { id: partnershipId, topicKey, organisationId } },
          body: {
            text,
            language,
            links: links
              .split('\n')
              .map((l) => l.trim())
              .filter(Boolean),
          },
        },
      ),
    ),
  );
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    save.mutate(undefined, {
      onSuccess: () => {
        onSaved();
        onDone();
      },
    });
  };
  return (
    <form onSubmit={submit} className="knowledge-edit">
      <LabelField label={t('knowledge.text')}>
        <textarea
          required
          maxLength={8000}
          rows={5}
          lang={language}
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
      </LabelField>
      <LabelField label={t('knowledge.language')}>
        <select value={language} onChange={(e) => setLanguage(e.target.value as Language)}>
          {LANGUAGES.map((l) => (
            <option key={l} value={l}>
              {t(`languages.${l}`)}
            </option>
          ))}
        </select>
      </LabelField>
      <LabelField label={t('knowledge.links')}>
        <textarea rows={2} value={links} onChange={(e) => setLinks(e.target.value)} />
      </LabelField>
      <ProblemAlert error={save.error} />
      <SubmitRow label={t('knowledge.save')} busy={save.isPending} onCancel={onDone} />
    </form>
  );
}

function AddTopic({ partnershipId, onAdded }: { partnershipId: string; onAdded: () => void }) {
  const { t } = useTranslation();
  const [title, setTitle] = useState('');
  const [required, setRequired] = useState(true);
  const add = useAction(partnershipId, () =>
    call(() =>
      api.POST('/api/v1/partnerships/{id}/knowledge/topics', {
        params: { path: { id: partnershipId } },
        body: { title: title.trim(), required },
      }),
    ),
  );
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    if (!title.trim()) return;
    add.mutate(undefined, {
      onSuccess: () => {
        setTitle('');
        onAdded();
      },
    });
  };
  return (
    <form onSubmit={submit} className="knowledge-add" aria-labelledby="knowledge-add-title">
      <h3 id="knowledge-add-title">{t('knowledge.addTopic')}</h3>
      <LabelField label={t('knowledge.topicTitle')}>
        <input required maxLength={200} value={title} onChange={(e) => setTitle(e.target.value)} />
      </LabelField>
      <label className="checkbox">
        <input type="checkbox" checked={required} onChange={(e) => setRequired(e.target.checked)} />
        <span className="label-text">{t('knowledge.topicRequired')}</span>
      </label>
      <ProblemAlert error={add.error} />
      <SubmitRow label={t('knowledge.add')} busy={add.isPending} />
    </form>
  );
}

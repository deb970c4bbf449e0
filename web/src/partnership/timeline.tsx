import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { DownloadButton } from '../components/download-button';
import { formatDateTime } from '../format';
import en from '../i18n/en';
import { allTasks, contactIndex, type Partnership } from './use-partnership';
import type { StreamState, TimelineEntry } from './use-timeline';
import { useTaskTitle } from './words';

/** Reasons the workflow records when it withdraws requests itself (lifecycle-handlers.ts). */
const WITHDRAWN_REASONS: Record<
  string,
  'closed' | 'agreed' | 'sentBack' | 'organisationRemoved' | 'taskRemoved'
> = {
  'partnership closed': 'closed',
  'partnership agreed': 'agreed',
  'partnership sent back': 'sentBack',
  'organisation removed': 'organisationRemoved',
  'task removed': 'taskRemoved',
};

/** The name a change of the partnership's details names (change-handlers.ts' payloads). */
function nameIn(type: string, payload: Record<string, unknown>): string {
  const text = (v: unknown): string => (typeof v === 'string' ? v : '');
  switch (type) {
    case 'partnership.renamed':
      return text(payload.to);
    case 'partnership.coordinator_changed':
      return text((payload.to as { name?: unknown } | undefined)?.name);
    case 'contact.updated':
    case 'contact.added':
    case 'contact.deactivated':
    case 'contact.reactivated':
      return text(payload.contactName);
    case 'organisation.removed':
    case 'organisation.added':
      return text(payload.organisationName);
    case 'partnership.template_changed':
      return typeof payload.to === 'number' ? String(payload.to) : '';
    default:
      return '';
  }
}

type EventKey = keyof typeof en.events;

/** The timeline, newest first, in words; it grows live as the stream brings events. */
export function Timeline({
  partnership,
  entries,
  state,
}: {
  partnership: Partnership;
  entries: TimelineEntry[];
  state: StreamState;
}) {
  const { t, i18n } = useTranslation();
  const taskTitle = useTaskTitle();
  const tasks = new Map(allTasks(partnership).map((x) => [x.id, x]));
  const contacts = contactIndex(partnership);
  const describe = (entry: TimelineEntry): string => {
    const payload = entry.payload as Record<string, unknown>;
    const key: EventKey = entry.type in en.events ? (entry.type as EventKey) : 'other';
    const taskId = typeof payload.taskId === 'string' ? payload.taskId : undefined;
    const task = taskId ? tasks.get(taskId) : undefined;
    const title = task
      ? taskTitle(task)
      : typeof payload.title === 'string'
        ? payload.title
        : (taskId ?? '');
    // The stage a move went to; the stage a reopened partnership is active in again.
    const stageOf = entry.type.startsWith('stage.')
      ? payload.to
      : entry.type === 'partnership.reopened'
        ? payload.stage
        : undefined;
    const stage = typeof stageOf === 'string' ? t(`stages.${stageOf as 'introduction'}`) : '';
    if (entry.type === 'comment.added' && taskId) return t('comments.onTask', { title });
    const name = nameIn(entry.type, payload);
    // A deactivated contact's colleague who took over their requests and tasks, when named.
    const delegate =
      entry.type === 'contact.deactivated' && typeof payload.delegateTo === 'string'
        ? contacts.get(payload.delegateTo)?.contact.name
        : undefined;
    if (delegate) return t('partners.handedOver', { name, delegate });
    return t(`events.${key}`, { title, stage, name });
  };
  const actorName = (entry: TimelineEntry): string =>
    entry.actor.kind === 'system'
      ? t('partnership.system')
      : (entry.actor.name ?? entry.actor.email ?? '');
  return (
    <section className="panel" aria-labelledby="timeline-title">
      <div className="panel-head">
        <h2 id="timeline-title">{t('partnership.timeline')}</h2>
        <DownloadButton
          label={t('app.downloadCsv')}
          filename={`timeline-${partnership.id}.csv`}
          fetch={() =>
            api.GET('/api/v1/partnerships/{id}/timeline/export.csv', {
              params: { path: { id: partnership.id } },
              parseAs: 'blob',
            })
          }
        />
        <span className={`badge ${state === 'live' ? 'badge-ok' : 'badge-warn'}`} role="status">
          {state === 'live'
            ? t('partnership.live')
            : state === 'reconnecting'
              ? t('partnership.reconnecting')
              : state === 'closed'
                ? t('partnership.streamClosed')
                : t('app.loading')}
        </span>
      </div>
      {/* It scrolls past 32rem: focusable, so a keyboard can scroll it too. */}
      <ol
        className="timeline"
        aria-live="polite"
        aria-relevant="additions"
        aria-labelledby="timeline-title"
        tabIndex={0}
      >
        {[...entries].reverse().map((entry) => {
          const payload = entry.payload as { reason?: unknown; comment?: unknown; text?: unknown };
          // The workflow's own reasons for withdrawing a request, in the reader's language.
          const withdrawnReason = (type: string, reason: string): string | undefined => {
            const key = WITHDRAWN_REASONS[reason];
            return type === 'approval.withdrawn' && key
              ? t(`partnership.withdrawnReason.${key}`)
              : undefined;
          };
          // A comment's own text; else the reason or note that came with a step.
          const note =
            entry.type === 'comment.added' && typeof payload.text === 'string'
              ? payload.text
              : typeof payload.reason === 'string'
                ? (withdrawnReason(entry.type, payload.reason) ?? payload.reason)
                : typeof payload.comment === 'string'
                  ? payload.comment
                  : undefined;
          return (
            <li key={entry.sequence} data-type={entry.type}>
              <time dateTime={entry.occurredAt}>
                {formatDateTime(entry.occurredAt, i18n.language)}
              </time>
              <span className="event-text">{describe(entry)}</span>
              <span className="muted"> {t('partnership.by', { actor: actorName(entry) })}</span>
              {note && <q className="comment">{note}</q>}
            </li>
          );
        })}
      </ol>
    </section>
  );
}

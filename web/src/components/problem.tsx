import { useTranslation } from 'react-i18next';
import { ProblemError } from '../auth/session';
import en from '../i18n/en';
import { useTaskTitle } from '../partnership/words';

type ErrorKey = keyof typeof en.errors;

/** The words for a refusal, in the viewer's language: never the raw code. */
export function useProblemText(): (error: unknown) => string {
  const { t } = useTranslation();
  return (error: unknown) => {
    if (error instanceof ProblemError) {
      if (error.code in en.errors) return t(`errors.${error.code as ErrorKey}`);
      return t('errors.generic');
    }
    if (error instanceof TypeError) return t('errors.network');
    return t('errors.generic');
  };
}

/** The API's field errors by field path (`organisations.0.contacts.1.email` → messages). */
export function fieldErrors(error: unknown): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  if (error instanceof ProblemError) {
    for (const e of error.errors) out[normaliseField(e.field)] = e.messages;
  }
  return out;
}

/** `organisations[0].contacts[1].email` and `organisations.0.contacts.1.email` alike. */
export function normaliseField(field: string): string {
  return field.replace(/\[(\d+)\]/g, '.$1').replace(/^\./, '');
}

export function ProblemAlert({ error }: { error: unknown }) {
  const text = useProblemText();
  if (!error) return null;
  const blockers =
    error instanceof ProblemError && Array.isArray(error.extra.blockers)
      ? (error.extra.blockers as unknown[])
      : [];
  return (
    <div role="alert" className="alert alert-error">
      <p>{text(error)}</p>
      {blockers.length > 0 && <BlockerList blockers={blockers} />}
    </div>
  );
}

/** A gate's blocker that is a task still open, by its title in the viewer's language. */
export function TaskBlocker({ taskId, title }: { taskId?: string; title?: string }) {
  const { t } = useTranslation();
  const taskTitle = useTaskTitle();
  return (
    <li>
      {t('partnership.blockerTask', { title: taskTitle({ id: taskId ?? '', title: title ?? '' }) })}
    </li>
  );
}

function BlockerList({ blockers }: { blockers: unknown[] }) {
  const { t } = useTranslation();
  return (
    <ul>
      {blockers.map((b, i) => {
        const blocker = b as { kind?: string; taskId?: string; title?: string };
        if (blocker.kind === 'task')
          return <TaskBlocker key={i} taskId={blocker.taskId} title={blocker.title} />;
        return <li key={i}>{t('errors.GATE_CONSENT_MISSING')}</li>;
      })}
    </ul>
  );
}

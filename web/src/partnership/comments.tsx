import { useMemo, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call } from '../api/client';
import {
  attemptFor,
  commentBody,
  commentProblems,
  commentRecipients,
  type CommentAttempt,
  type CommentDraft,
  type CommentRecipients,
} from '../forms/comment-form';
import { Field, FormCheckProvider, FormSummary, useFormCheck } from '../forms/field';
import { StatusNote, SubmitRow } from '../forms/form-footer';
import { localeOf } from '../i18n';
import { useCanChange } from './changes';
import { Dialog } from './dialog';
import { useAction } from './use-action';
import {
  allTasks,
  idempotencyKey,
  STAGES,
  type Partnership,
  type Stage,
  type Task,
} from './use-partnership';
import { useTaskTitle } from './words';

type WorkStage = Exclude<Stage, 'agreed'>;

/**
 * "Comment": a coordinator who may change the partnership writes to its partners, about the
 * partnership or one of its tasks. The comment goes on the timeline (which shows it as the live
 * stream brings it) and by e-mail to whom the hint names.
 */
export function CommentSection({ partnership }: { partnership: Partnership }) {
  const { t } = useTranslation();
  const [note, setNote] = useState<string | undefined>();
  const canChange = useCanChange(partnership);
  if (!canChange) return null;
  return (
    <section className="panel" aria-labelledby="comment-title">
      <h2 id="comment-title">{t('comments.title')}</h2>
      <CommentForm
        partnership={partnership}
        idPrefix="comment"
        onAdded={() => setNote(t('comments.added'))}
        onEdit={() => setNote(undefined)}
      />
      <StatusNote message={note} />
    </section>
  );
}

/** A task's "Comment" action, opening the same form about that task in a dialog. */
export function CommentOnTask({ partnership, task }: { partnership: Partnership; task: Task }) {
  const { t } = useTranslation();
  const title = useTaskTitle();
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState<string | undefined>();
  const canChange = useCanChange(partnership);
  if (!canChange) return null;
  const name = t('comments.commentOnTaskNamed', { title: title(task) });
  return (
    <>
      <button
        type="button"
        className="button-inline"
        aria-label={name}
        onClick={() => {
          setNote(undefined);
          setOpen(true);
        }}
      >
        {t('comments.commentOnTask')}
      </button>
      <StatusNote message={note} />
      <Dialog open={open} title={name} onClose={() => setOpen(false)}>
        <CommentForm
          partnership={partnership}
          task={task}
          idPrefix={`comment-${task.id.replace(/[^a-zA-Z0-9_-]/g, '_')}`}
          onAdded={() => {
            setNote(t('comments.added'));
            setOpen(false);
          }}
          onCancel={() => setOpen(false)}
        />
      </Dialog>
    </>
  );
}

function CommentForm({
  partnership,
  task,
  idPrefix,
  onAdded,
  onEdit,
  onCancel,
}: {
  partnership: Partnership;
  /** The task it is about, fixed; without it the form asks (the partnership by default). */
  task?: Task;
  idPrefix: string;
  onAdded: () => void;
  onEdit?: () => void;
  onCancel?: () => void;
}) {
  const { t } = useTranslation();
  const title = useTaskTitle();
  const [draft, setDraft] = useState<CommentDraft>({ taskId: task?.id ?? '', text: '' });
  const problems = useMemo(() => commentProblems(draft), [draft]);
  const check = useFormCheck(draft, problems, { idPrefix });
  // The last attempt's key, reused while the same text is sent about the same subject again.
  const last = useRef<CommentAttempt | undefined>(undefined);
  const add = useAction(partnership.id, (attempt: CommentAttempt) =>
    call(() =>
      api.POST('/api/v1/partnerships/{id}/comments', {
        params: { path: { id: partnership.id }, header: { 'idempotency-key': attempt.key } },
        body: attempt.body,
      }),
    ),
  );
  const about = allTasks(partnership).find((x) => x.id === draft.taskId);
  const recipients = commentRecipients(partnership, about);
  const set = (patch: Partial<CommentDraft>): void => {
    onEdit?.();
    setDraft((d) => ({ ...d, ...patch }));
  };
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    if (add.isPending || !check.attempt()) return;
    const attempt = attemptFor(last.current, commentBody(draft), idempotencyKey);
    last.current = attempt;
    add.mutate(attempt, {
      onSuccess: () => {
        last.current = undefined;
        check.reset();
        // Cleared unless the person went on writing while it was sent (that text stays).
        setDraft((d) => (d.text.trim() === attempt.body.text ? { ...d, text: '' } : d));
        onAdded();
      },
      onError: (error) => check.refused(error),
    });
  };
  const stages = STAGES.filter((s): s is WorkStage => s !== 'agreed');
  return (
    <FormCheckProvider value={check.context}>
      <form ref={check.formRef} onSubmit={submit} noValidate className="form-grid comment-form">
        {!task && (
          <Field path="taskId" label={t('comments.about')}>
            {(control) => (
              <select
                {...control}
                value={draft.taskId}
                onChange={(e) => set({ taskId: e.target.value })}
              >
                <option value="">{t('comments.aboutPartnership')}</option>
                {stages
                  .filter((stage) => partnership.tasksByStage[stage].length > 0)
                  .map((stage) => (
                    <optgroup
                      key={stage}
                      label={t('partnership.tasksOf', { stage: t(`stages.${stage}`) })}
                    >
                      {partnership.tasksByStage[stage].map((x) => (
                        <option key={x.id} value={x.id}>
                          {title(x)}
                        </option>
                      ))}
                    </optgroup>
                  ))}
              </select>
            )}
          </Field>
        )}
        <Field
          path="text"
          label={t('comments.text')}
          help={<RecipientsHint recipients={recipients} />}
        >
          {(control) => (
            <textarea
              {...control}
              rows={4}
              value={draft.text}
              onChange={(e) => set({ text: e.target.value })}
            />
          )}
        </Field>
        <FormSummary check={check} refusal={add.error} />
        <SubmitRow label={t('comments.submit')} busy={add.isPending} onCancel={onCancel} />
      </form>
    </FormCheckProvider>
  );
}

/** Who the comment is e-mailed to, as the API will decide it. */
function RecipientsHint({ recipients }: { recipients: CommentRecipients }) {
  const { t, i18n } = useTranslation();
  if (recipients.kind === 'assignee') {
    const { contact, organisation } = recipients.assignee;
    return <>{t('comments.toAssignee', { name: contact.name, organisation: organisation.name })}</>;
  }
  if (recipients.contacts.length === 0) return <>{t('comments.toNobody')}</>;
  const names = new Intl.ListFormat(localeOf(i18n.language), { type: 'conjunction' }).format(
    recipients.contacts.map(({ contact, organisation }) =>
      t('comments.contactOf', { name: contact.name, organisation: organisation.name }),
    ),
  );
  return (
    <>
      {recipients.taskWithoutAssignee
        ? t('comments.toEveryoneNoAssignee', { names })
        : t('comments.toEveryone', { names })}
    </>
  );
}

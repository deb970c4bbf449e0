import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call } from '../api/client';
import { ProblemAlert } from '../components/problem';
import { formatDate, formatDateTime } from '../format';
import { LabelField, Options } from '../forms/field';
import { SubmitRow } from '../forms/form-footer';
import { CommentOnTask } from './comments';
import { useCanAct } from './members';
import { useLinkedEvents } from './events';
import { useAction } from './use-action';
import {
  contactIndex,
  STAGES,
  type Partnership,
  type Stage,
  type Task,
  isEnded,
  useApprovals,
} from './use-partnership';
import { useTaskTitle } from './words';

type WorkStage = Exclude<Stage, 'agreed'>;

/** The tasks of each stage: the current one open, the others folded. */
export function TasksSection({ partnership }: { partnership: Partnership }) {
  const { t } = useTranslation();
  // Observers read; the API would refuse their changes (403) anyway.
  const canAct = useCanAct(partnership.id);
  const ended = isEnded(partnership) || !canAct;
  const stages = STAGES.filter((s): s is WorkStage => s !== 'agreed');
  return (
    <section className="panel" aria-labelledby="tasks-title">
      <h2 id="tasks-title">{t('partnership.tasks')}</h2>
      {stages.map((stage) => (
        <details key={stage} open={stage === partnership.stage} className="stage-tasks">
          <summary>
            {t('partnership.tasksOf', { stage: t(`stages.${stage}`) })}{' '}
            <span className="muted">
              ({partnership.tasksByStage[stage].filter((x) => x.status === 'done').length}/
              {partnership.tasksByStage[stage].length})
            </span>
          </summary>
          {partnership.tasksByStage[stage].length === 0 ? (
            <p className="muted">{t('partnership.noTasks')}</p>
          ) : (
            <ul className="task-list">
              {partnership.tasksByStage[stage].map((task) => (
                <TaskRow key={task.id} partnership={partnership} task={task} readOnly={ended} />
              ))}
            </ul>
          )}
        </details>
      ))}
      {!ended && <AddTaskForm partnership={partnership} />}
    </section>
  );
}

function TaskRow({
  partnership,
  task,
  readOnly,
}: {
  partnership: Partnership;
  task: Task;
  readOnly: boolean;
}) {
  const { t, i18n } = useTranslation();
  const title = useTaskTitle();
  const id = partnership.id;
  // Who may be assigned: the contacts taking part (and whoever has the task now, to show it).
  const contacts = [...contactIndex(partnership).values()].filter(
    ({ contact }) => contact.active || contact.id === task.assigneeContactId,
  );
  const toggle = useAction(id, (done: boolean) =>
    call(() =>
      api.POST(
        done
          ? '/api/v1/partnerships/{id}/tasks/{taskId}/reopen'
          : '/api/v1/partnerships/{id}/tasks/{taskId}/complete',
        {
          params: { path: { id, taskId: task.id } },
          body: {},
        },
      ),
    ),
  );
  const update = useAction(
    id,
    (body: { assigneeContactId?: string | null; dueDate?: string | null }) =>
      call(() =>
        api.PATCH('/api/v1/partnerships/{id}/tasks/{taskId}', {
          params: { path: { id, taskId: task.id } },
          body,
        }),
      ),
  );
  const askPartners = useAction(id, () =>
    call(() =>
      api.POST('/api/v1/partnerships/{id}/approvals', {
        params: { path: { id } },
        body: {
          subject: { kind: 'task', taskId: task.id },
          deadline: new Date(Date.now() + 7 * 86_400_000).toISOString(),
        },
      }),
    ),
  );
  const byPartners = task.answeredBy === 'partners';
  const pending = usePendingTaskApproval(id, task.id);
  const awaiting = byPartners && pending;
  const linkedEvents = useLinkedEvents(id, task.id);
  const done = task.status === 'done';
  // Today in the viewer's zone (a due date is a calendar date, not an instant).
  const today = localDate(new Date());
  const overdue = !done && task.dueDate !== null && task.dueDate < today;
  const fieldId = `task-${task.id.replace(/[^a-zA-Z0-9_-]/g, '_')}`;
  // Edits wait for "Save": a date field reports every keystroke (typing 2027 passes 0002, 0020,
  // 0202) and a select every arrow key, and each would otherwise be a change, an event on the
  // timeline and, for a date in the past, an overdue reminder to the partner.
  const [assignee, setAssignee] = useState<string>();
  const [due, setDue] = useState<string>();
  const changes: { assigneeContactId?: string | null; dueDate?: string | null } = {};
  if (assignee !== undefined && assignee !== (task.assigneeContactId ?? ''))
    changes.assigneeContactId = assignee || null;
  if (due !== undefined && due !== (task.dueDate ?? '')) changes.dueDate = due || null;
  const save = (e: FormEvent): void => {
    e.preventDefault();
    if (update.isPending || Object.keys(changes).length === 0) return;
    const sent = changes;
    update.mutate(sent, {
      // The page has read the task again by now: a field goes back to showing it, unless the
      // person edited that field again while the save was in flight (that edit stays).
      onSuccess: () => {
        if (sent.assigneeContactId !== undefined)
          setAssignee((now) => ((now || null) === sent.assigneeContactId ? undefined : now));
        if (sent.dueDate !== undefined)
          setDue((now) => ((now || null) === sent.dueDate ? undefined : now));
      },
    });
  };
  return (
    <li className={`task${done ? ' is-done' : ''}`}>
      <div className="task-main">
        <span className={`badge ${done ? 'badge-ok' : ''}`}>
          {done ? t('partnership.taskDone') : t('partnership.taskOpen')}
        </span>
        <span className="task-title" id={`${fieldId}-title`}>
          {title(task)}
          {task.required && <span className="muted"> ({t('app.required')})</span>}
          {task.kind === 'approval' && (
            <span className="muted"> · {t('partnership.approvalTask')}</span>
          )}
        </span>
        {task.dueDate && (
          <span className={overdue ? 'text-danger' : 'muted'}>
            {overdue
              ? t('partnership.overdue', { date: formatDate(task.dueDate, i18n.language) })
              : t('partnership.due', { date: formatDate(task.dueDate, i18n.language) })}
          </span>
        )}
        {awaiting && !done && <span className="muted">{t('partnership.awaitingPartners')}</span>}
        {!readOnly && byPartners && !done && !awaiting && (
          <button
            type="button"
            className="button-primary"
            disabled={askPartners.isPending}
            aria-describedby={`${fieldId}-title`}
            onClick={() => askPartners.mutate(undefined)}
          >
            {t('partnership.requestTaskApproval')}
          </button>
        )}
        {!readOnly && (!byPartners || done) && (
          <button
            type="button"
            className={done ? 'button-secondary' : 'button-primary'}
            disabled={toggle.isPending}
            aria-describedby={`${fieldId}-title`}
            onClick={() => toggle.mutate(done)}
          >
            {done ? t('partnership.reopen') : t('partnership.complete')}
          </button>
        )}
        <CommentOnTask partnership={partnership} task={task} />
      </div>
      {linkedEvents.map((e) => (
        <p key={e.id} className="muted small">
          {t('calendarEvents.linkedEvent', {
            title: e.title,
            start: formatDateTime(e.start, i18n.language),
          })}
          {e.status === 'cancelled' && ` (${t('calendarEvents.cancelled')})`}
        </p>
      ))}
      {!readOnly && !done && (
        <form className="task-edit" onSubmit={save}>
          <LabelField inline label={t('partnership.assignee')}>
            <select
              value={assignee ?? task.assigneeContactId ?? ''}
              aria-describedby={`${fieldId}-title`}
              onChange={(e) => setAssignee(e.target.value)}
            >
              <option value="">{t('partnership.unassigned')}</option>
              {contacts.map(({ contact, organisation }) => (
                <option key={contact.id} value={contact.id}>
                  {contact.name} — {organisation.name}
                  {!contact.active && ` (${t('partners.inactive')})`}
                </option>
              ))}
            </select>
          </LabelField>
          <LabelField inline label={t('partnership.dueDate')}>
            <input
              type="date"
              value={due ?? task.dueDate ?? ''}
              aria-describedby={`${fieldId}-title`}
              onChange={(e) => setDue(e.target.value)}
            />
          </LabelField>
          <button
            type="submit"
            className="button-secondary"
            aria-describedby={`${fieldId}-title`}
            aria-disabled={update.isPending || Object.keys(changes).length === 0}
          >
            {t('app.save')}
          </button>
        </form>
      )}
      <ProblemAlert error={toggle.error ?? update.error ?? askPartners.error} />
    </li>
  );
}

/** Whether the partners are asked to approve this task now (a pending request for it). */
function usePendingTaskApproval(partnershipId: string, taskId: string): boolean {
  const approvals = useApprovals(partnershipId);
  return (approvals.data?.items ?? []).some(
    (a) => a.status === 'pending' && a.subject.kind === 'task' && a.subject.taskId === taskId,
  );
}

/** YYYY-MM-DD of an instant in the viewer's own zone. */
function localDate(d: Date): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

function AddTaskForm({ partnership }: { partnership: Partnership }) {
  const { t } = useTranslation();
  const id = partnership.id;
  const [title, setTitle] = useState('');
  const [stage, setStage] = useState<WorkStage>(
    partnership.stage === 'agreed' ? 'project_proposal' : partnership.stage,
  );
  const [required, setRequired] = useState(false);
  const add = useAction(id, () =>
    call(() =>
      api.POST('/api/v1/partnerships/{id}/tasks', {
        params: { path: { id } },
        body: { title: title.trim(), stage, required },
      }),
    ),
  );
  const stages = STAGES.filter((s): s is WorkStage => s !== 'agreed');
  const current = stages.indexOf(partnership.stage as WorkStage);
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    if (!title.trim()) return;
    add.mutate(undefined, { onSuccess: () => setTitle('') });
  };
  return (
    <details className="add-task">
      <summary>{t('partnership.addTask')}</summary>
      <form onSubmit={submit} className="form-grid">
        <LabelField label={t('partnership.taskTitle')}>
          <input
            required
            maxLength={200}
            value={title}
            onChange={(e) => setTitle(e.target.value)}
          />
        </LabelField>
        <LabelField label={t('partnership.taskStage')}>
          <select value={stage} onChange={(e) => setStage(e.target.value as WorkStage)}>
            <Options values={stages.slice(Math.max(0, current))} label={(s) => t(`stages.${s}`)} />
          </select>
        </LabelField>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={required}
            onChange={(e) => setRequired(e.target.checked)}
          />
          {t('partnership.taskRequired')}
        </label>
        <ProblemAlert error={add.error} />
        <SubmitRow label={t('partnership.saveTask')} busy={add.isPending} />
      </form>
    </details>
  );
}

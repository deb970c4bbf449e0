import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call } from '../api/client';
import { ProblemAlert } from '../components/problem';
import { formatDateTime, formatTimeIn, viewerZone, zoneCity } from '../format';
import { LabelField, toggled } from '../forms/field';
import { SubmitRow } from '../forms/form-footer';
import { Dialog } from './dialog';
import { useCanAct } from './members';
import { useAction } from './use-action';
import {
  allTasks,
  contactIndex,
  idempotencyKey,
  useApprovals,
  type Approval,
  type Partnership,
  isEnded,
} from './use-partnership';
import { gateSubjectTitle } from '../../../libs/domain/words';
import { isLanguage } from '../../../libs/domain/vocabulary';
import { useTaskTitle } from './words';

/** `datetime-local` value (the viewer's zone) ↔ ISO instant. */
function toLocalInput(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
function fromLocalInput(value: string): string {
  return new Date(value).toISOString();
}

/** A required date and time in the viewer's zone (`toLocalInput` gives its value). */
function LocalTimeField({
  label,
  value,
  onChange,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
}) {
  return (
    <LabelField label={label}>
      <input
        type="datetime-local"
        required
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
    </LabelField>
  );
}

export function ApprovalsSection({ partnership }: { partnership: Partnership }) {
  const { t } = useTranslation();
  const approvals = useApprovals(partnership.id);
  const [requesting, setRequesting] = useState(false);
  const canAct = useCanAct(partnership.id);
  const ended = isEnded(partnership) || !canAct;
  const items = approvals.data?.items ?? [];
  return (
    <section className="panel" aria-labelledby="approvals-title">
      <div className="panel-head">
        <h2 id="approvals-title">{t('approvals.title')}</h2>
        {!ended && (
          <button type="button" className="button-secondary" onClick={() => setRequesting(true)}>
            {t('approvals.request')}
          </button>
        )}
      </div>
      <ProblemAlert error={approvals.error} />
      {approvals.data && items.length === 0 && <p className="muted">{t('approvals.none')}</p>}
      <ul className="approval-list">
        {[...items].reverse().map((approval) => (
          <li key={approval.id}>
            <ApprovalCard partnership={partnership} approval={approval} readOnly={ended} />
          </li>
        ))}
      </ul>
      <Dialog open={requesting} title={t('approvals.request')} onClose={() => setRequesting(false)}>
        <RequestApprovalForm partnership={partnership} onDone={() => setRequesting(false)} />
      </Dialog>
    </section>
  );
}

/** What a request asks for, in the viewer's language (the domain's words for gates and tasks). */
export function useSubjectText(): (approval: Approval, partnership: Partnership) => string {
  const { t, i18n } = useTranslation();
  const taskTitle = useTaskTitle();
  const language = isLanguage(i18n.language) ? i18n.language : 'en';
  return (approval, partnership) => {
    const subject = approval.subject;
    if (subject.kind === 'gate')
      return gateSubjectTitle(subject.stage ?? partnership.stage, language);
    if (subject.kind === 'task') {
      const task = allTasks(partnership).find((x) => x.id === subject.taskId);
      return t('approvals.subjectTask', {
        title: task ? taskTitle(task) : (subject.title ?? subject.taskId ?? ''),
      });
    }
    return t('approvals.subjectDocument', { title: subject.title ?? '' });
  };
}

function ApprovalCard({
  partnership,
  approval,
  readOnly,
}: {
  partnership: Partnership;
  approval: Approval;
  readOnly: boolean;
}) {
  const { t, i18n } = useTranslation();
  const subjectText = useSubjectText();
  const contacts = contactIndex(partnership);
  const pending = approval.status === 'pending';
  const [editing, setEditing] = useState<'deadline' | 'snooze' | 'delegate' | undefined>();
  const withdraw = useAction(partnership.id, () =>
    call(() =>
      api.POST('/api/v1/approvals/{approvalId}/withdraw', {
        params: { path: { approvalId: approval.id } },
      }),
    ),
  );
  const awaitedNames = approval.awaiting
    .map((id) => contacts.get(id)?.contact.name ?? id)
    .join(', ');
  return (
    <article className={`card approval approval-${approval.status}`}>
      <div className="approval-head">
        <h3>{subjectText(approval, partnership)}</h3>
        <span className={`badge badge-${approval.status}`}>
          {t(`approvals.statuses.${approval.status}`)}
        </span>
      </div>
      <p>
        <strong>{t('approvals.deadline')}:</strong>{' '}
        {t('approvals.deadlineHere', {
          time: formatDateTime(approval.deadline, i18n.language, viewerZone()),
        })}
        {uniqueZones(approval, contacts).map(({ zone, place }) => (
          <span key={zone} className="muted">
            {' · '}
            {t('approvals.deadlineThere', {
              time: formatTimeIn(approval.deadline, i18n.language, zone),
              place,
            })}
          </span>
        ))}
      </p>
      {pending && approval.awaiting.length > 0 && (
        <p>{t('approvals.awaited', { names: awaitedNames })}</p>
      )}
      <ul className="approval-orgs">
        {approval.organisations.map((org) => {
          const organisation = partnership.organisations.find((o) => o.id === org.organisationId);
          return (
            <li key={org.organisationId}>
              <strong>{organisation?.name ?? org.organisationId}</strong>{' '}
              <span className="muted">
                — {t('approvals.rule')}:{' '}
                {org.rule.kind === 'quorum'
                  ? t('approvals.rules.quorum', { count: org.rule.n ?? 1 })
                  : t(`approvals.rules.${org.rule.kind}`)}
              </span>
              <ul>
                {org.approvers.map((approver) => {
                  const who = contacts.get(approver.contactId)?.contact;
                  return (
                    <li key={approver.contactId}>
                      {who?.name ?? approver.contactId}:{' '}
                      {approver.decision
                        ? t('approvals.decided', {
                            outcome: t(`outcomes.${approver.decision.outcome}`),
                            date: formatDateTime(approver.decision.at, i18n.language),
                          })
                        : approver.delegated
                          ? t('approvals.delegatedTo')
                          : t('approvals.noAnswer')}
                      {approver.decision?.comment && (
                        <q className="comment">{approver.decision.comment}</q>
                      )}
                    </li>
                  );
                })}
              </ul>
            </li>
          );
        })}
      </ul>
      {pending && !readOnly && (
        <div className="button-row">
          <button type="button" className="button-secondary" onClick={() => setEditing('deadline')}>
            {t('approvals.moveDeadline')}
          </button>
          <button type="button" className="button-secondary" onClick={() => setEditing('snooze')}>
            {t('approvals.snooze')}
          </button>
          <button type="button" className="button-secondary" onClick={() => setEditing('delegate')}>
            {t('approvals.delegate')}
          </button>
          <button
            type="button"
            className="button-danger"
            disabled={withdraw.isPending}
            onClick={() => withdraw.mutate(undefined)}
          >
            {t('approvals.withdraw')}
          </button>
        </div>
      )}
      <ProblemAlert error={withdraw.error} />
      <Dialog
        open={editing !== undefined}
        title={
          editing === 'deadline'
            ? t('approvals.moveDeadline')
            : editing === 'snooze'
              ? t('approvals.snooze')
              : t('approvals.delegate')
        }
        onClose={() => setEditing(undefined)}
      >
        {editing === 'delegate' ? (
          <DelegateForm
            partnership={partnership}
            approval={approval}
            onDone={() => setEditing(undefined)}
          />
        ) : (
          <ReviseForm
            partnership={partnership}
            approval={approval}
            field={editing ?? 'deadline'}
            onDone={() => setEditing(undefined)}
          />
        )}
      </Dialog>
    </article>
  );
}

/** Each approver's zone once, named after their organisation's region or the zone's city. */
function uniqueZones(
  approval: Approval,
  contacts: ReturnType<typeof contactIndex>,
): { zone: string; place: string }[] {
  const seen = new Map<string, string>();
  const here = viewerZone();
  for (const org of approval.organisations) {
    for (const approver of org.approvers) {
      const entry = contacts.get(approver.contactId);
      const zone = approver.timeZone ?? entry?.contact.timeZone;
      if (!zone || zone === here || seen.has(zone)) continue;
      seen.set(zone, entry?.organisation.region ?? zoneCity(zone));
    }
  }
  return [...seen].map(([zone, place]) => ({ zone, place }));
}

function ReviseForm({
  partnership,
  approval,
  field,
  onDone,
}: {
  partnership: Partnership;
  approval: Approval;
  field: 'deadline' | 'snooze';
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const [value, setValue] = useState(
    toLocalInput(
      field === 'deadline' ? approval.deadline : new Date(Date.now() + 86_400_000).toISOString(),
    ),
  );
  const revise = useAction(partnership.id, () =>
    call(() =>
      api.PATCH('/api/v1/approvals/{approvalId}', {
        params: { path: { approvalId: approval.id } },
        body:
          field === 'deadline'
            ? { deadline: fromLocalInput(value) }
            : { snoozedUntil: fromLocalInput(value) },
      }),
    ),
  );
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    revise.mutate(undefined, { onSuccess: onDone });
  };
  return (
    <form onSubmit={submit}>
      <LocalTimeField
        label={field === 'deadline' ? t('approvals.deadline') : t('approvals.snoozeUntil')}
        value={value}
        onChange={setValue}
      />
      <ProblemAlert error={revise.error} />
      <SubmitRow label={t('app.save')} busy={revise.isPending} />
    </form>
  );
}

function DelegateForm({
  partnership,
  approval,
  onDone,
}: {
  partnership: Partnership;
  approval: Approval;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const contacts = contactIndex(partnership);
  const [from, setFrom] = useState(approval.awaiting[0] ?? '');
  const organisationId = contacts.get(from)?.organisation.id;
  const colleagues =
    partnership.organisations
      .find((o) => o.id === organisationId)
      ?.contacts.filter((c) => c.active && c.id !== from) ?? [];
  const [to, setTo] = useState('');
  const delegate = useAction(partnership.id, () =>
    call(() =>
      api.POST('/api/v1/approvals/{approvalId}/delegate', {
        params: { path: { approvalId: approval.id } },
        body: { fromContactId: from, toContactId: to },
      }),
    ),
  );
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    delegate.mutate(undefined, { onSuccess: onDone });
  };
  return (
    <form onSubmit={submit}>
      <LabelField label={t('approvals.delegateFrom')}>
        <select
          required
          value={from}
          onChange={(e) => {
            setFrom(e.target.value);
            setTo('');
          }}
        >
          {approval.awaiting.map((id) => (
            <option key={id} value={id}>
              {contacts.get(id)?.contact.name ?? id}
            </option>
          ))}
        </select>
      </LabelField>
      <LabelField label={t('approvals.delegateTo')}>
        <select required value={to} onChange={(e) => setTo(e.target.value)}>
          <option value="" />
          {colleagues.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
      </LabelField>
      <ProblemAlert error={delegate.error} />
      <SubmitRow label={t('approvals.delegate')} busy={delegate.isPending || !to} />
    </form>
  );
}

type Rule = 'all' | 'any' | 'quorum';

function RequestApprovalForm({
  partnership,
  onDone,
}: {
  partnership: Partnership;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const taskTitle = useTaskTitle();
  const [kind, setKind] = useState<'gate' | 'task' | 'document'>('gate');
  const [taskId, setTaskId] = useState('');
  const [docTitle, setDocTitle] = useState('');
  const [docLink, setDocLink] = useState('');
  const [deadline, setDeadline] = useState(
    toLocalInput(new Date(Date.now() + 7 * 86_400_000).toISOString()),
  );
  const [chosen, setChosen] = useState<Record<string, string[]>>(() =>
    Object.fromEntries(
      partnership.organisations.map((o) => [o.id, activeContacts(o).map((c) => c.id)]),
    ),
  );
  const [rules, setRules] = useState<Record<string, Rule>>(() =>
    Object.fromEntries(partnership.organisations.map((o) => [o.id, 'any' as Rule])),
  );
  const [key] = useState(idempotencyKey);
  const [localError, setLocalError] = useState<string | undefined>();
  const request = useAction(partnership.id, () =>
    call(() =>
      api.POST('/api/v1/partnerships/{id}/approvals', {
        params: { path: { id: partnership.id }, header: { 'idempotency-key': key } },
        body: {
          subject:
            kind === 'gate'
              ? { kind }
              : kind === 'task'
                ? { kind, taskId }
                : { kind, title: docTitle.trim(), ...(docLink ? { link: docLink.trim() } : {}) },
          deadline: fromLocalInput(deadline),
          organisations: partnership.organisations
            .filter((o) => (chosen[o.id] ?? []).length > 0)
            .map((o) => ({
              organisationId: o.id,
              rule: { kind: rules[o.id] ?? 'any' },
              approverContactIds: chosen[o.id] ?? [],
            })),
        },
      }),
    ),
  );
  const toggle = (orgId: string, contactId: string, on: boolean): void =>
    setChosen((c) => ({
      ...c,
      [orgId]: toggled(c[orgId] ?? [], contactId, on),
    }));
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    if (
      kind === 'gate' &&
      partnership.organisations.some((o) => (chosen[o.id] ?? []).length === 0)
    ) {
      setLocalError(t('approvals.selectApprovers'));
      return;
    }
    setLocalError(undefined);
    request.mutate(undefined, { onSuccess: onDone });
  };
  const openTasks = allTasks(partnership).filter((x) => x.status === 'open');
  return (
    <form onSubmit={submit} className="form-grid">
      <fieldset>
        <legend>{t('approvals.subject')}</legend>
        {(['gate', 'task', 'document'] as const).map((k) => (
          <label key={k} className="radio">
            <input
              type="radio"
              name="kind"
              value={k}
              checked={kind === k}
              onChange={() => setKind(k)}
            />
            {t(
              k === 'gate'
                ? 'approvals.kindGate'
                : k === 'task'
                  ? 'approvals.kindTask'
                  : 'approvals.kindDocument',
            )}
          </label>
        ))}
      </fieldset>
      {kind === 'task' && (
        <LabelField label={t('approvals.task')}>
          <select required value={taskId} onChange={(e) => setTaskId(e.target.value)}>
            <option value="" />
            {openTasks.map((task) => (
              <option key={task.id} value={task.id}>
                {taskTitle(task)}
              </option>
            ))}
          </select>
        </LabelField>
      )}
      {kind === 'document' && (
        <>
          <LabelField label={t('approvals.documentTitle')}>
            <input
              required
              maxLength={300}
              value={docTitle}
              onChange={(e) => setDocTitle(e.target.value)}
            />
          </LabelField>
          <LabelField
            label={
              <>
                {t('approvals.documentUrl')} <span className="muted">({t('app.optional')})</span>
              </>
            }
          >
            <input type="url" value={docLink} onChange={(e) => setDocLink(e.target.value)} />
          </LabelField>
        </>
      )}
      <LocalTimeField label={t('approvals.deadline')} value={deadline} onChange={setDeadline} />
      {partnership.organisations.map((o) => (
        <fieldset key={o.id}>
          <legend>{o.name}</legend>
          <LabelField inline label={t('approvals.rule')}>
            <select
              value={rules[o.id]}
              onChange={(e) => setRules((r) => ({ ...r, [o.id]: e.target.value as Rule }))}
            >
              <option value="any">{t('approvals.rules.any')}</option>
              <option value="all">{t('approvals.rules.all')}</option>
            </select>
          </LabelField>
          {activeContacts(o).map((c) => (
            <label key={c.id} className="checkbox">
              <input
                type="checkbox"
                checked={(chosen[o.id] ?? []).includes(c.id)}
                onChange={(e) => toggle(o.id, c.id, e.target.checked)}
              />
              {c.name} <span className="muted">({t(`languages.${c.language}`)})</span>
            </label>
          ))}
        </fieldset>
      ))}
      {localError && (
        <p role="alert" className="alert alert-error">
          {localError}
        </p>
      )}
      <ProblemAlert error={request.error} />
      <SubmitRow label={t('approvals.send')} busy={request.isPending} />
    </form>
  );
}

/** An organisation's contacts who take part: the only ones a request may ask. */
function activeContacts(o: Partnership['organisations'][number]) {
  return o.contacts.filter((c) => c.active);
}

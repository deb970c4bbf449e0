import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call, type components } from '../api/client';
import { useAccount } from '../components/layout';
import { ProblemAlert } from '../components/problem';
import { formatDateTime, viewerZone, zoneCity } from '../format';
import { LabelField, Options } from '../forms/field';
import { SubmitRow } from '../forms/form-footer';
import { ConfirmDialog, Dialog } from './dialog';
import { useCanAct } from './members';
import { ContactChecklist, contactsOf, toggled } from './contact-checklist';
import { useAction } from './use-action';
import { isEnded, keys, type Partnership } from './use-partnership';
import { useTaskTitle } from './words';

type CalendarEvent = components['schemas']['CalendarEventView'];
type Kind = CalendarEvent['kind'];
const KINDS: Kind[] = ['meeting', 'seminar', 'training'];

/** A time picked elsewhere on the page (the meeting-time finder) to schedule an event at. */
export interface EventDraft {
  start: string;
  end: string;
  contactIds: string[];
}

function useEvents(partnershipId: string) {
  return useQuery({
    queryKey: keys.calendarEvents(partnershipId),
    queryFn: () =>
      call(() =>
        api.GET('/api/v1/partnerships/{id}/calendar-events', {
          params: { path: { id: partnershipId } },
        }),
      ),
  });
}

/** The partnership's events that fulfil the task (the meeting tasks of the stage template). */
export function useLinkedEvents(partnershipId: string, taskId: string): CalendarEvent[] {
  const events = useEvents(partnershipId);
  return (events.data?.items ?? []).filter((e) => e.taskId === taskId);
}

/** A datetime-local value (the viewer's wall clock) for an instant, and back. */
function localInput(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
function instantOf(local: string): string {
  const ms = new Date(local).getTime();
  return Number.isFinite(ms) ? new Date(ms).toISOString() : local;
}

/**
 * The partnership's events (meetings, seminars, training): each with its time in the viewer's
 * zone, its place or link, and every attendee's answer; coordinators schedule, edit, reschedule
 * and cancel them, and users who attend answer here.
 */
export function EventsSection({
  partnership,
  draft,
}: {
  partnership: Partnership;
  draft?: EventDraft | null;
}) {
  const { t } = useTranslation();
  const canAct = useCanAct(partnership.id) && !isEnded(partnership);
  const events = useEvents(partnership.id);
  const [creating, setCreating] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (!draft) return;
    setCreating(true);
    heading.current?.scrollIntoView({ block: 'start' });
  }, [draft]);
  const items = events.data?.items ?? [];
  return (
    <section className="panel" aria-labelledby="calendar-events-title">
      <h2 id="calendar-events-title" ref={heading} tabIndex={-1}>
        {t('calendarEvents.title')}
      </h2>
      <ProblemAlert error={events.error} />
      {items.length === 0 ? (
        <p className="muted">{t('calendarEvents.none')}</p>
      ) : (
        <ul className="event-list">
          {items.map((e) => (
            <EventRow key={e.id} partnership={partnership} event={e} canAct={canAct} />
          ))}
        </ul>
      )}
      {canAct && (
        <>
          <button type="button" className="button-secondary" onClick={() => setCreating(true)}>
            {t('calendarEvents.schedule')}
          </button>
          <Dialog
            open={creating}
            title={t('calendarEvents.schedule')}
            onClose={() => setCreating(false)}
          >
            <EventForm
              partnership={partnership}
              draft={draft ?? undefined}
              onDone={() => setCreating(false)}
            />
          </Dialog>
        </>
      )}
    </section>
  );
}

function EventRow({
  partnership,
  event,
  canAct,
}: {
  partnership: Partnership;
  event: CalendarEvent;
  canAct: boolean;
}) {
  const { t, i18n } = useTranslation();
  const account = useAccount();
  const taskTitle = useTaskTitle();
  const [editing, setEditing] = useState(false);
  const [cancelling, setCancelling] = useState(false);
  const id = partnership.id;
  const path = { id, eventId: event.id };
  const cancel = useAction(id, () =>
    call(() =>
      api.POST('/api/v1/partnerships/{id}/calendar-events/{eventId}/cancel', {
        params: { path },
      }),
    ),
  );
  const answer = useAction(id, (reply: 'accepted' | 'declined') =>
    call(() =>
      api.POST('/api/v1/partnerships/{id}/calendar-events/{eventId}/answer', {
        params: { path },
        body: { answer: reply },
      }),
    ),
  );
  const cancelled = event.status === 'cancelled';
  const open = !cancelled && new Date(event.start).getTime() > Date.now();
  const task = Object.values(partnership.tasksByStage)
    .flat()
    .find((x) => x.id === event.taskId);
  const mine = event.attendees.find((a) => a.kind === 'user' && a.id === account?.id);
  const titleId = `event-${event.id}-title`;
  return (
    <li className={`event${cancelled ? ' is-cancelled' : ''}`} aria-labelledby={titleId}>
      <h3 id={titleId}>
        {event.title} <span className="badge">{t(`calendarEvents.kinds.${event.kind}`)}</span>{' '}
        {cancelled && <span className="badge badge-closed">{t('calendarEvents.cancelled')}</span>}
      </h3>
      <p>
        {t('calendarEvents.when', {
          start: formatDateTime(event.start, i18n.language),
          end: formatDateTime(event.end, i18n.language),
          zone: zoneCity(viewerZone()),
        })}
      </p>
      {event.place && <p>{t('calendarEvents.placeLine', { place: event.place })}</p>}
      {event.onlineUrl && (
        <p>
          {t('calendarEvents.onlineLine')} <a href={event.onlineUrl}>{event.onlineUrl}</a>
        </p>
      )}
      {task && <p className="muted">{t('calendarEvents.fulfils', { task: taskTitle(task) })}</p>}
      <ul className="attendees" aria-label={t('calendarEvents.attendees')}>
        {event.attendees.map((a) => (
          <li key={`${a.kind}:${a.id}`}>
            {a.name} <span className="muted">({zoneCity(a.timeZone)})</span>{' '}
            <span className={`badge badge-answer-${a.answer}`}>
              {t(`calendarEvents.answers.${a.answer}`)}
            </span>
          </li>
        ))}
      </ul>
      {open && mine && (
        <div className="button-row">
          <button
            type="button"
            className="button-secondary"
            disabled={answer.isPending || mine.answer === 'accepted'}
            aria-describedby={titleId}
            onClick={() => answer.mutate('accepted')}
          >
            {t('calendarEvents.accept')}
          </button>
          <button
            type="button"
            className="button-secondary"
            disabled={answer.isPending || mine.answer === 'declined'}
            aria-describedby={titleId}
            onClick={() => answer.mutate('declined')}
          >
            {t('calendarEvents.decline')}
          </button>
        </div>
      )}
      {open && canAct && (
        <div className="button-row">
          <button
            type="button"
            className="button-secondary"
            aria-describedby={titleId}
            onClick={() => setEditing(true)}
          >
            {t('calendarEvents.edit')}
          </button>
          <button
            type="button"
            className="button-danger"
            aria-describedby={titleId}
            onClick={() => setCancelling(true)}
          >
            {t('calendarEvents.cancel')}
          </button>
          <Dialog
            open={editing}
            title={t('calendarEvents.editTitle', { title: event.title })}
            onClose={() => setEditing(false)}
          >
            <EventForm partnership={partnership} event={event} onDone={() => setEditing(false)} />
          </Dialog>
          <ConfirmDialog
            open={cancelling}
            title={t('calendarEvents.cancelTitle', { title: event.title })}
            onClose={() => setCancelling(false)}
            confirmLabel={t('calendarEvents.cancelConfirm')}
            busy={cancel.isPending}
            onConfirm={() => cancel.mutate(undefined, { onSuccess: () => setCancelling(false) })}
          >
            <p>{t('calendarEvents.cancelExplain')}</p>
            <ProblemAlert error={cancel.error} />
          </ConfirmDialog>
        </div>
      )}
      <ProblemAlert error={answer.error} />
    </li>
  );
}

/** Schedules a new event (`event` absent) or edits one: its time in the viewer's zone. */
function EventForm({
  partnership,
  event,
  draft,
  onDone,
}: {
  partnership: Partnership;
  event?: CalendarEvent;
  draft?: EventDraft;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const taskTitle = useTaskTitle();
  const account = useAccount();
  const id = partnership.id;
  const contacts = contactsOf(partnership);
  const soon = new Date(Math.ceil((Date.now() + 86_400_000) / 3_600_000) * 3_600_000);
  const [kind, setKind] = useState<Kind>(event?.kind ?? 'meeting');
  const [title, setTitle] = useState(event?.title ?? '');
  const [start, setStart] = useState(
    localInput(event?.start ?? draft?.start ?? soon.toISOString()),
  );
  const [end, setEnd] = useState(
    localInput(event?.end ?? draft?.end ?? new Date(soon.getTime() + 3_600_000).toISOString()),
  );
  const [place, setPlace] = useState(event?.place ?? '');
  const [onlineUrl, setOnlineUrl] = useState(event?.onlineUrl ?? '');
  const [taskId, setTaskId] = useState(event?.taskId ?? '');
  const attending = (kind: 'contact' | 'user') =>
    (event?.attendees ?? []).filter((a) => a.kind === kind).map((a) => a.id);
  const [chosen, setChosen] = useState<Set<string>>(
    () =>
      new Set(
        event ? attending('contact') : (draft?.contactIds ?? contacts.map((c) => c.contact.id)),
      ),
  );
  // Editing: the users who attend besides the organiser, and the viewer, who may join.
  const organiserId = event?.organiser.userId;
  const userChoices = event
    ? [
        ...event.attendees
          .filter((a) => a.kind === 'user' && a.id !== organiserId)
          .map((a) => ({
            id: a.id,
            label: a.id === account?.id ? t('calendarEvents.me', { name: a.name }) : a.name,
          })),
        ...(account && account.id !== organiserId && !attending('user').includes(account.id)
          ? [{ id: account.id, label: t('calendarEvents.me', { name: account.name }) }]
          : []),
      ]
    : [];
  const [chosenUsers, setChosenUsers] = useState<Set<string>>(
    () => new Set(attending('user').filter((u) => u !== organiserId)),
  );
  // One key per opened form: a retried click schedules the event once.
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const tasks = Object.values(partnership.tasksByStage).flat();
  const fields = {
    kind,
    title: title.trim(),
    start: instantOf(start),
    end: instantOf(end),
    place: place.trim() || null,
    onlineUrl: onlineUrl.trim() || null,
    taskId: taskId || null,
  };
  const sameSet = (a: ReadonlySet<string>, b: string[]) =>
    a.size === b.length && b.every((x) => a.has(x));
  /** Who attends, sent only when it changed: one change, one SEQUENCE. */
  const attendeeChange = event
    ? {
        ...(sameSet(chosen, attending('contact'))
          ? {}
          : // Everyone chosen, also an attendee no longer listed on the partnership (not in the
            // checklist, so never taken off by a change of the others).
            { contactIds: [...chosen] }),
        ...(sameSet(
          chosenUsers,
          attending('user').filter((u) => u !== organiserId),
        )
          ? {}
          : { userIds: [...chosenUsers] }),
      }
    : {};
  const save = useAction(id, () =>
    event
      ? call(() =>
          api.PATCH('/api/v1/partnerships/{id}/calendar-events/{eventId}', {
            params: { path: { id, eventId: event.id } },
            body: { ...fields, ...attendeeChange },
          }),
        )
      : call(() =>
          api.POST('/api/v1/partnerships/{id}/calendar-events', {
            params: { path: { id }, header: { 'idempotency-key': idempotencyKey } },
            body: {
              ...fields,
              contactIds: contacts.map((c) => c.contact.id).filter((c) => chosen.has(c)),
              timeZone: viewerZone(),
            },
          }),
        ),
  );
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    save.mutate(undefined, { onSuccess: onDone });
  };
  const toggle = (contactId: string, on: boolean) => setChosen((s) => toggled(s, contactId, on));
  const toggleUser = (userId: string, on: boolean) => setChosenUsers((s) => toggled(s, userId, on));
  return (
    <form onSubmit={submit} className="form-grid">
      <LabelField label={t('calendarEvents.kind')}>
        <select value={kind} onChange={(e) => setKind(e.target.value as Kind)}>
          <Options values={KINDS} label={(k) => t(`calendarEvents.kinds.${k}`)} />
        </select>
      </LabelField>
      <LabelField label={t('calendarEvents.eventTitle')}>
        <input required maxLength={200} value={title} onChange={(e) => setTitle(e.target.value)} />
      </LabelField>
      <LabelField label={t('calendarEvents.start', { zone: zoneCity(viewerZone()) })}>
        <input
          type="datetime-local"
          required
          value={start}
          onChange={(e) => setStart(e.target.value)}
        />
      </LabelField>
      <LabelField label={t('calendarEvents.end', { zone: zoneCity(viewerZone()) })}>
        <input
          type="datetime-local"
          required
          value={end}
          onChange={(e) => setEnd(e.target.value)}
        />
      </LabelField>
      <LabelField label={t('calendarEvents.place')}>
        <input maxLength={500} value={place} onChange={(e) => setPlace(e.target.value)} />
      </LabelField>
      <LabelField label={t('calendarEvents.online')}>
        <input
          type="url"
          maxLength={2000}
          value={onlineUrl}
          onChange={(e) => setOnlineUrl(e.target.value)}
        />
      </LabelField>
      <LabelField label={t('calendarEvents.task')}>
        <select value={taskId} onChange={(e) => setTaskId(e.target.value)}>
          <option value="">{t('calendarEvents.noTask')}</option>
          {tasks.map((task) => (
            <option key={task.id} value={task.id}>
              {taskTitle(task)}
            </option>
          ))}
        </select>
      </LabelField>
      {!event && (
        <fieldset>
          <legend>{t('calendarEvents.attendees')}</legend>
          <ContactChecklist partnership={partnership} chosen={chosen} onToggle={toggle} />
          <p className="muted small">{t('calendarEvents.youAttend')}</p>
        </fieldset>
      )}
      {event && (
        <fieldset>
          <legend>{t('calendarEvents.attendees')}</legend>
          <ContactChecklist partnership={partnership} chosen={chosen} onToggle={toggle} />
          {userChoices.map((u) => (
            <label key={u.id} className="checkbox">
              <input
                type="checkbox"
                checked={chosenUsers.has(u.id)}
                onChange={(e) => toggleUser(u.id, e.target.checked)}
              />
              <span>{u.label}</span>
            </label>
          ))}
          <p className="muted small">
            {t('calendarEvents.organiserAttends', { name: event.organiser.name })}{' '}
            {t('calendarEvents.attendeesEditHelp')}
          </p>
        </fieldset>
      )}
      <ProblemAlert error={save.error} />
      <SubmitRow
        label={event ? t('calendarEvents.saveChanges') : t('calendarEvents.scheduleSubmit')}
        busy={save.isPending}
        onCancel={onDone}
      />
    </form>
  );
}

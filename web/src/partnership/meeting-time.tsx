import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call, type components } from '../api/client';
import { ProblemAlert } from '../components/problem';
import { LabelField } from '../forms/field';
import { viewerZone, zoneCity } from '../format';
import { localeOf } from '../i18n';
import { ContactChecklist, contactsOf, toggled } from './contact-checklist';
import type { EventDraft } from './events';
import type { Partnership } from './use-partnership';

type Proposals = components['schemas']['MeetingSlotProposalsView'];
type Slot = components['schemas']['MeetingSlotView'];
type SlotAttendee = components['schemas']['MeetingSlotAttendeeView'];
type Question = {
  contactIds: string;
  from: string;
  to: string;
  durationMinutes: number;
  coordinatorTimeZone?: string;
};

const DURATIONS = [30, 60, 90, 120];
const DAY_MS = 86_400_000;

/** A date input's value (YYYY-MM-DD) for an instant, on the viewer's calendar. */
function dateValue(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** The instant a date begins on the viewer's calendar ("2027-01-11" → its local midnight). */
function startOfDate(date: string): number {
  return new Date(`${date}T00:00`).getTime();
}

/**
 * The meeting-time finder on the partnership page: the coordinator picks the attendees among the
 * partnership's contacts (and themselves, in the browser's zone), dates and a length; the API
 * proposes slots, shown in every attendee's zone and the viewer's, each marked as fitting
 * everyone or saying whom it inconveniences and how.
 */
export function MeetingTimeSection({
  partnership,
  onSchedule,
}: {
  partnership: Partnership;
  /** Offers "schedule at this time" on each slot (coordinators only). */
  onSchedule?: (draft: EventDraft) => void;
}) {
  const { t } = useTranslation();
  const contacts = contactsOf(partnership);
  const [chosen, setChosen] = useState<Set<string>>(
    () => new Set(contacts.map((c) => c.contact.id)),
  );
  const [includeMe, setIncludeMe] = useState(false);
  const [fromDate, setFromDate] = useState(() => dateValue(Date.now()));
  const [toDate, setToDate] = useState(() => dateValue(Date.now() + 6 * DAY_MS));
  const [duration, setDuration] = useState(60);
  const [question, setQuestion] = useState<Question | null>(null);
  const [localError, setLocalError] = useState<string | null>(null);
  const zone = viewerZone();

  const answer = useQuery({
    queryKey: ['meeting-slots', partnership.id, question] as const,
    enabled: question !== null,
    queryFn: () =>
      call(() =>
        api.GET('/api/v1/partnerships/{id}/meeting-slots', {
          params: { path: { id: partnership.id }, query: question! },
        }),
      ),
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    const ids = contacts.map((c) => c.contact.id).filter((id) => chosen.has(id));
    if (ids.length === 0 && !includeMe) {
      setLocalError(t('meetingTime.noAttendee'));
      return;
    }
    setLocalError(null);
    // Today's range starts now: a time already past is no proposal.
    const from = Math.max(startOfDate(fromDate), Math.ceil(Date.now() / 60_000) * 60_000);
    const to = startOfDate(toDate) + DAY_MS;
    setQuestion({
      contactIds: ids.join(','),
      from: Number.isFinite(from) ? new Date(from).toISOString() : fromDate,
      to: Number.isFinite(to) ? new Date(to).toISOString() : toDate,
      durationMinutes: duration,
      ...(includeMe ? { coordinatorTimeZone: zone } : {}),
    });
  }

  const toggle = (id: string, on: boolean) => setChosen((s) => toggled(s, id, on));

  return (
    <section className="panel meeting-time" aria-labelledby="meeting-time-title">
      <h2 id="meeting-time-title">{t('meetingTime.title')}</h2>
      <form onSubmit={submit} noValidate>
        <fieldset>
          <legend>{t('meetingTime.attendees')}</legend>
          <ContactChecklist partnership={partnership} chosen={chosen} onToggle={toggle} />
          <label className="checkbox">
            <input
              type="checkbox"
              checked={includeMe}
              onChange={(e) => setIncludeMe(e.target.checked)}
            />
            {t('meetingTime.includeMe', { zone: zoneCity(zone) })}
          </label>
        </fieldset>
        <div className="field-row">
          <LabelField label={t('meetingTime.from')}>
            <input type="date" value={fromDate} onChange={(e) => setFromDate(e.target.value)} />
          </LabelField>
          <LabelField label={t('meetingTime.to')}>
            <input type="date" value={toDate} onChange={(e) => setToDate(e.target.value)} />
          </LabelField>
          <LabelField label={t('meetingTime.duration')}>
            <select value={duration} onChange={(e) => setDuration(Number(e.target.value))}>
              {DURATIONS.map((m) => (
                <option key={m} value={m}>
                  {t('meetingTime.minutes', { count: m })}
                </option>
              ))}
            </select>
          </LabelField>
        </div>
        <button type="submit" disabled={answer.isFetching}>
          {t('meetingTime.find')}
        </button>
      </form>
      {localError && (
        <p role="alert" className="alert alert-error">
          {localError}
        </p>
      )}
      {answer.error && <ProblemAlert error={answer.error} />}
      {question && answer.data && (
        <Proposed
          proposals={answer.data}
          onSchedule={
            onSchedule &&
            ((slot) =>
              onSchedule({
                start: slot.start,
                end: slot.end,
                contactIds: question.contactIds.split(',').filter(Boolean),
              }))
          }
        />
      )}
    </section>
  );
}

function Proposed({
  proposals,
  onSchedule,
}: {
  proposals: Proposals;
  onSchedule?: (slot: Slot) => void;
}) {
  const { t } = useTranslation();
  const zone = viewerZone();
  const names = new Map(
    proposals.attendees.map((a) => [
      a.id,
      a.kind === 'coordinator' ? t('meetingTime.you') : a.name,
    ]),
  );
  // Each zone once, in the order of the attendees; the viewer's own last unless an attendee's.
  const zones = [...new Set(proposals.attendees.map((a) => a.timeZone))];
  return (
    <div className="meeting-proposals" aria-live="polite">
      <h3 id="meeting-proposals-title">{t('meetingTime.results')}</h3>
      <p className="muted small">
        {proposals.mode === 'common'
          ? t('meetingTime.commonCount', { count: proposals.commonSlotCount })
          : t('meetingTime.fair')}{' '}
        {proposals.truncated && t('meetingTime.truncated', { shown: proposals.slots.length })}
      </p>
      {proposals.slots.length === 0 ? (
        <p className="muted">{t('meetingTime.none')}</p>
      ) : (
        <ol className="meeting-slots" aria-labelledby="meeting-proposals-title">
          {proposals.slots.map((slot) => (
            <li key={slot.start}>
              <SlotLine slot={slot} zones={zones} viewer={zone} />{' '}
              <SlotFit slot={slot} names={names} />
              {onSchedule && (
                <button type="button" className="button-ghost" onClick={() => onSchedule(slot)}>
                  {t('calendarEvents.scheduleAt')}
                </button>
              )}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

/** "Mon 11 Jan: 09:00–10:00 Madrid · 16:00–17:00 Shanghai · 08:00–09:00 London (your time)". */
function SlotLine({ slot, zones, viewer }: { slot: Slot; zones: string[]; viewer: string }) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.language);
  const format = (iso: string, timeZone: string, options: Intl.DateTimeFormatOptions) =>
    new Intl.DateTimeFormat(locale, { ...options, timeZone }).format(new Date(iso));
  const time = (iso: string, timeZone: string) =>
    format(iso, timeZone, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const day = (iso: string, timeZone: string) =>
    format(iso, timeZone, { weekday: 'short', day: 'numeric', month: 'short' });
  const viewerDay = day(slot.start, viewer);
  const part = (timeZone: string, mine: boolean) => {
    const localDay = day(slot.start, timeZone);
    const text = `${time(slot.start, timeZone)}–${time(slot.end, timeZone)} ${zoneCity(timeZone)}`;
    return [
      text,
      localDay !== viewerDay ? ` (${localDay})` : '',
      mine ? ` (${t('meetingTime.yourTime')})` : '',
    ].join('');
  };
  const parts = zones.map((z) => part(z, z === viewer));
  if (!zones.includes(viewer)) parts.push(part(viewer, true));
  return (
    <span className="slot-line">
      {t('meetingTime.slotLine', { day: viewerDay, times: parts.join(' · ') })}
    </span>
  );
}

function SlotFit({ slot, names }: { slot: Slot; names: Map<string, string> }) {
  const { t } = useTranslation();
  if (slot.fitsEveryone) {
    return <span className="badge badge-ok">{t('meetingTime.fitsEveryone')}</span>;
  }
  const how = (a: SlotAttendee) =>
    [
      t('meetingTime.outside', { count: a.outsideMinutes }),
      a.nightMinutes > 0 ? t('meetingTime.night') : '',
      a.offDayMinutes > 0 ? t('meetingTime.offDay') : '',
    ]
      .filter(Boolean)
      .join(', ');
  return (
    <span className="badge badge-warn">
      {slot.attendees
        .filter((a) => a.inconvenience > 0)
        .map((a) => t('meetingTime.inconveniences', { name: names.get(a.id) ?? a.id, how: how(a) }))
        .join('; ')}
    </span>
  );
}

import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useAccount } from '../components/layout';
import { formatDate, formatTimeIn, viewerZone, zoneCity } from '../format';
import { useWorkingCalendars, type Partnership, type WorkingCalendars } from './use-partnership';

/** Working days listed per contact: two weeks or so of a Monday-to-Friday week. */
const DAYS = 10;

type OrganisationCalendar = WorkingCalendars['organisations'][number];
type ContactDays = OrganisationCalendar['contacts'][number];

/** Today's date (YYYY-MM-DD) on the viewer's own calendar. */
function viewerToday(): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: viewerZone(),
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(new Date());
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/**
 * Each partner's holidays and closures in the coming days, and when each contact works next: on
 * their own wall clock and on the viewer's, so a coordinator in Valencia sees when Chengdu works.
 */
export function WorkingDaysSection({ partnership }: { partnership: Partnership }) {
  const { t, i18n } = useTranslation();
  const isAdmin = useAccount()?.role === 'admin';
  const calendars = useWorkingCalendars(partnership.id, viewerToday(), DAYS);
  const data = calendars.data;
  return (
    <section className="panel" aria-labelledby="working-days-title">
      <h2 id="working-days-title">{t('workingDays.title')}</h2>
      <p className="muted small">{t('workingDays.intro', { zone: zoneCity(viewerZone()) })}</p>
      {data?.organisations.map((o) => (
        <div key={o.id} className="partner working-days" data-organisation={o.id}>
          <h3>{o.name}</h3>
          {isAdmin && (
            <p className="small">
              <Link to={`/admin/organisations?organisation=${o.id}`}>
                {t('workingDays.editClosures', { name: o.name })}
              </Link>
            </p>
          )}
          {o.holidayDataMissingFrom && (
            <p className="alert alert-warn" role="note">
              {t('workingDays.holidayDataMissing', {
                date: formatDate(o.holidayDataMissingFrom, i18n.language),
              })}
            </p>
          )}
          {o.regionNotRecognised && (
            <p className="alert alert-warn" role="note">
              {t('workingDays.regionNotRecognised', { region: o.region ?? '' })}
            </p>
          )}
          <h4>
            {t('workingDays.daysOff', {
              from: formatDate(data.from, i18n.language),
              to: formatDate(data.to, i18n.language),
            })}
          </h4>
          {o.offDays.length === 0 ? (
            <p className="muted">{t('workingDays.noDaysOff')}</p>
          ) : (
            <ul className="days-off">
              {o.offDays.map((d) => (
                <li key={d.date}>
                  <time dateTime={d.date}>{formatDate(d.date, i18n.language)}</time>: {d.name}{' '}
                  <span className="muted">({t(`workingDays.kinds.${d.kind}`)})</span>
                </li>
              ))}
            </ul>
          )}
          {o.workingDays.length > 0 && (
            <>
              <h4>{t('workingDays.adjustedDays')}</h4>
              <ul className="days-worked">
                {o.workingDays.map((d) => (
                  <li key={d.date}>
                    <time dateTime={d.date}>{formatDate(d.date, i18n.language)}</time>: {d.name}
                  </li>
                ))}
              </ul>
            </>
          )}
          {o.contacts.length === 0 && <p className="muted">{t('workingDays.noContacts')}</p>}
          {o.contacts.map((c) => (
            <ContactWorkingDays key={c.id} contact={c} />
          ))}
        </div>
      ))}
    </section>
  );
}

function ContactWorkingDays({ contact }: { contact: ContactDays }) {
  const { t, i18n } = useTranslation();
  const viewer = viewerZone();
  return (
    <div className="table-scroll">
      <table data-contact={contact.id}>
        <caption>{t('workingDays.nextOf', { name: contact.name })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('workingDays.date')}</th>
            <th scope="col">{t('workingDays.theirHours', { zone: zoneCity(contact.timeZone) })}</th>
            <th scope="col">{t('workingDays.yourTime', { zone: zoneCity(viewer) })}</th>
          </tr>
        </thead>
        <tbody>
          {contact.nextWorkingDays.map((d) => (
            <tr key={d.date}>
              <th scope="row">
                <time dateTime={d.date}>{formatDate(d.date, i18n.language)}</time>
                {d.adjusted && <span className="muted"> ({t('workingDays.adjusted')})</span>}
              </th>
              <td className="their-hours">
                {d.localStart}–{d.localEnd}
              </td>
              <td className="your-time">
                {formatTimeIn(d.start, i18n.language, viewer)}–
                {formatTimeIn(d.end, i18n.language, viewer)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

import { useTranslation } from 'react-i18next';
import { formatDateTime, formatTimeIn } from '../format';
import type { FollowUpKind } from '../../../libs/domain/vocabulary';
import { contactIndex, useFollowUps, type Partnership } from './use-partnership';

const KINDS = {
  'approval-reminder': 'followUpKinds.reminder',
  'approval-escalation': 'followUpKinds.escalation',
  'task-overdue': 'followUpKinds.task_overdue',
  'stage-stalled': 'followUpKinds.stage_stalled',
} as const satisfies Record<FollowUpKind, string>;

/** What Entente will send next, when (the viewer's time and the recipient's), and to whom. */
export function FollowUpsSection({ partnership }: { partnership: Partnership }) {
  const { t, i18n } = useTranslation();
  const plan = useFollowUps(partnership.id);
  const contacts = contactIndex(partnership);
  const planned = plan.data?.planned ?? [];
  return (
    <section className="panel" aria-labelledby="follow-ups-title">
      <h2 id="follow-ups-title">{t('partnership.followUps')}</h2>
      {plan.data && planned.length === 0 && <p className="muted">{t('partnership.noFollowUps')}</p>}
      <ul className="follow-ups">
        {planned.slice(0, 10).map((entry, i) => {
          const contact = entry.contactId ? contacts.get(entry.contactId)?.contact : undefined;
          const who = contact?.name ?? partnership.coordinator.name;
          return (
            <li key={`${entry.kind}-${entry.at}-${i}`}>
              <strong>{t(KINDS[entry.kind])}</strong>{' '}
              {t('partnership.followUpAt', { when: formatDateTime(entry.at, i18n.language), who })}
              {contact && (
                <span className="muted">
                  {' '}
                  ({formatTimeIn(entry.at, i18n.language, contact.timeZone)})
                </span>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

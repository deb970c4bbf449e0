import { useTranslation } from 'react-i18next';
import { TaskBlocker } from '../components/problem';
import { contactIndex, nextStage, type Partnership } from './use-partnership';
import { useKnowledgeTopicTitle } from './words';

/** The gate of the current stage and, in words, what it still needs (the API's `blockers`). */
export function Gate({ partnership }: { partnership: Partnership }) {
  const { t } = useTranslation();
  const topicTitle = useKnowledgeTopicTitle();
  const next = nextStage(partnership.stage);
  if (!next || partnership.status === 'closed') return null;
  const contacts = contactIndex(partnership);
  return (
    <section
      className={`panel gate ${partnership.gate.open ? 'gate-open' : 'gate-closed'}`}
      aria-labelledby="gate-title"
    >
      <h2 id="gate-title">{t('partnership.gate')}</h2>
      {partnership.gate.open ? (
        <p>{t('partnership.gateOpen', { stage: t(`stages.${next}`) })}</p>
      ) : (
        <>
          <p>{t('partnership.gateNeeds')}</p>
          <ul className="blockers">
            {partnership.gate.blockers.map((b, i) => {
              if (b.kind === 'task')
                return <TaskBlocker key={i} taskId={b.taskId} title={b.title} />;
              if (b.kind === 'knowledge') {
                const organisation = partnership.organisations.find(
                  (o) => o.id === b.organisationId,
                );
                return (
                  <li key={i}>
                    {t('partnership.blockerKnowledge', {
                      organisation: organisation?.name ?? b.organisationId,
                      topic: topicTitle({
                        key: b.topicKey ?? '',
                        title: b.title ?? '',
                        source: 'default',
                      }),
                    })}
                  </li>
                );
              }
              if (!b.approvalId) return <li key={i}>{t('partnership.blockerConsentNone')}</li>;
              if (b.status === 'pending') {
                const names = (b.awaiting ?? [])
                  .map((id) => contacts.get(id)?.contact.name ?? id)
                  .join(', ');
                return <li key={i}>{t('partnership.blockerConsentPending', { names })}</li>;
              }
              return (
                <li key={i}>
                  {t('partnership.blockerConsentAgain', {
                    status: t(`approvals.statuses.${b.status ?? 'expired'}`),
                  })}
                </li>
              );
            })}
          </ul>
        </>
      )}
    </section>
  );
}

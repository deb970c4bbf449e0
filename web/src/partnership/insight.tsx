import { useTranslation } from 'react-i18next';
import { formatDuration } from '../format';
import { usePartnershipInsight, type Partnership } from './use-partnership';

/**
 * Whose turn it is now, how long the partnership has waited on each side, and its time in the
 * current stage (paused time not counted): the partnership's row of the insight.
 */
export function InsightSection({ partnership }: { partnership: Partnership }) {
  const { t, i18n } = useTranslation();
  const data = usePartnershipInsight(partnership.id).data;
  if (!data) return null;
  const nameOf = (id: string) =>
    data.organisations.find((o) => o.organisationId === id)?.organisationName ?? id;
  const turn =
    data.waitingOn === 'partners'
      ? data.waitingOnOrganisationIds.map(nameOf).join(', ')
      : t(`insight.waitingOn.${data.waitingOn}`);
  return (
    <section className="panel" aria-labelledby="insight-title" data-testid="insight-panel">
      <h2 id="insight-title">{t('insight.title')}</h2>
      <p>
        <strong>{t('insight.whoseTurn')}</strong> <span data-testid="whose-turn">{turn}</span>
      </p>
      {data.currentStageSeconds !== null && (
        <p>
          {t('insight.timeInStage', {
            duration: formatDuration(data.currentStageSeconds, i18n.language),
          })}
        </p>
      )}
      <table className="table small">
        <caption>{t('insight.waitingCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('insight.side')}</th>
            <th scope="col">{t('insight.waited')}</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">{t('insight.waitingOn.coordinator')}</th>
            <td>{formatDuration(data.coordinatorWaitingSeconds, i18n.language)}</td>
          </tr>
          {data.organisations.map((o) => (
            <tr key={o.organisationId}>
              <th scope="row">{o.organisationName}</th>
              <td>{formatDuration(o.waitingSeconds, i18n.language)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

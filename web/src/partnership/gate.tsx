import { useTranslation } from 'react-i18next';
import { api, call } from '../api/client';
import { ProblemAlert, TaskBlocker } from '../components/problem';
import { useCanAct } from './members';
import { useAction } from './use-action';
import { contactIndex, nextStage, type Partnership } from './use-partnership';
import { useKnowledgeTopicTitle } from './words';

/** The gate of the current stage and, in words, what it still needs (the API's `blockers`). */
export function Gate({ partnership }: { partnership: Partnership }) {
  const { t } = useTranslation();
  const topicTitle = useKnowledgeTopicTitle();
  const next = nextStage(partnership.stage);
  if (!next || partnership.status === 'closed') return null;
  const contacts = contactIndex(partnership);
  const consent = partnership.gate.consent;
  const names = (ids: string[]) => ids.map((id) => contacts.get(id)?.contact.name ?? id).join(', ');
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
      {consent.required && (
        <>
          {consent.rule.consent === 'partners' && (
            <p>
              {t('partnership.consentNeeded', {
                rule: t(
                  consent.rule.organisationRule === 'all'
                    ? 'partnership.consentRuleAll'
                    : 'partnership.consentRuleAny',
                ),
              })}
            </p>
          )}
          <ul className="consent">
            {consent.organisations.map((o) => {
              const organisation =
                partnership.organisations.find((x) => x.id === o.organisationId)?.name ??
                o.organisationId;
              return (
                <li key={o.organisationId}>
                  {o.consented
                    ? t('partnership.consentGiven', { organisation, names: names(o.consentedBy) })
                    : t('partnership.consentMissing', { organisation })}
                </li>
              );
            })}
          </ul>
          {consent.status !== 'pending' && consent.status !== 'approved' && (
            <RequestConsent partnershipId={partnership.id} />
          )}
        </>
      )}
    </section>
  );
}

/** Asks every partner organisation for the gate's consent (the API applies the stage's rule). */
function RequestConsent({ partnershipId }: { partnershipId: string }) {
  const { t } = useTranslation();
  const canAct = useCanAct(partnershipId);
  const request = useAction(partnershipId, () =>
    call(() =>
      api.POST('/api/v1/partnerships/{id}/approvals', {
        params: { path: { id: partnershipId } },
        body: {
          subject: { kind: 'gate' },
          deadline: new Date(Date.now() + 7 * 86_400_000).toISOString(),
        },
      }),
    ),
  );
  if (!canAct) return null;
  return (
    <>
      <button
        type="button"
        className="button-primary"
        disabled={request.isPending}
        onClick={() => request.mutate(undefined)}
      >
        {t('partnership.requestGateConsent')}
      </button>
      <ProblemAlert error={request.error} />
    </>
  );
}

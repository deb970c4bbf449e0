import { useTranslation } from 'react-i18next';
import { api, call } from '../api/client';
import { useAccount } from '../components/layout';
import { TextActionDialog } from './text-dialog';
import { useAction } from './use-action';
import type { Partnership } from './use-partnership';

/**
 * "Reopen the partnership" on a closed partnership, for admins only (the API refuses anyone
 * else): a dialog saying what reopening does and asking why.
 */
export function ReopenPartnership({ partnership }: { partnership: Partnership }) {
  const { t } = useTranslation();
  const isAdmin = useAccount()?.role === 'admin';
  const reopen = useAction(partnership.id, (reason: string) =>
    call(() =>
      api.POST('/api/v1/partnerships/{id}/reopen', {
        params: { path: { id: partnership.id } },
        body: { reason },
      }),
    ),
  );
  if (partnership.status !== 'closed' || !isAdmin) return null;
  return (
    <section className="panel" aria-labelledby="reopen-title">
      <h2 id="reopen-title">{t('partnership.actions')}</h2>
      <TextActionDialog
        buttonLabel={t('partnership.reopenPartnership')}
        buttonClassName="button-secondary"
        intro={t('partnership.reopenExplained', { stage: t(`stages.${partnership.stage}`) })}
        label={t('partnership.reason')}
        required
        rows={3}
        submitLabel={t('partnership.confirmReopen')}
        action={reopen}
      />
    </section>
  );
}

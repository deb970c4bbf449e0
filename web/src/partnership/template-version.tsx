import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { isTerminalStatus } from '../../../libs/domain/partnership';
import { api, call } from '../api/client';
import { ProblemAlert } from '../components/problem';
import { TemplateDiffList } from '../templates/template-words';
import { useCanAct } from './members';
import { TextActionDialog } from './text-dialog';
import { useAction } from './use-action';
import type { Partnership } from './use-partnership';

/**
 * The template version the partnership keeps and, for whoever coordinates it while it runs,
 * what moving it to the newest published version of its template would change (the diff), and
 * the move itself.
 */
export function TemplateVersionSection({ partnership }: { partnership: Partnership }) {
  const { t } = useTranslation();
  const canAct = useCanAct(partnership.id);
  const own = partnership.templateVersion;
  const key = partnership.templateKey;
  const list = useQuery({
    queryKey: ['templates'],
    queryFn: () => call(() => api.GET('/api/v1/templates')),
  });
  const newest = (list.data?.items ?? [])
    .filter((v) => v.key === key && v.status === 'published')
    .map((v) => v.version)
    .reduce<number | undefined>((a, b) => (a === undefined || b > a ? b : a), undefined);
  const newer =
    canAct &&
    own !== null &&
    newest !== undefined &&
    newest > own &&
    !isTerminalStatus(partnership.status)
      ? newest
      : undefined;
  const diff = useQuery({
    queryKey: ['templates', key, 'diff', own, newer],
    enabled: newer !== undefined,
    queryFn: () =>
      call(() =>
        api.GET('/api/v1/templates/{key}/diff', {
          params: { path: { key }, query: { from: own ?? 1, to: newer ?? 1 } },
        }),
      ),
  });
  return (
    <section className="panel" aria-labelledby="template-title">
      <h2 id="template-title">{t('templates.ofPartnership')}</h2>
      <p>{t('templates.keeps', { key, version: own ?? '—' })}</p>
      {newer !== undefined && (
        <>
          <h3>{t('templates.wouldChange', { version: newer })}</h3>
          {diff.error ? <ProblemAlert error={diff.error} /> : null}
          {diff.data && <TemplateDiffList diff={diff.data} />}
          {diff.data && <MoveTemplate partnership={partnership} version={newer} />}
        </>
      )}
    </section>
  );
}

/** "Move to version N": a confirmation saying what the move does, with an optional comment. */
function MoveTemplate({ partnership, version }: { partnership: Partnership; version: number }) {
  const { t } = useTranslation();
  const move = useAction(partnership.id, (note: string) =>
    call(() =>
      api.POST('/api/v1/partnerships/{id}/template', {
        params: { path: { id: partnership.id } },
        body: { version, ...(note ? { comment: note } : {}) },
      }),
    ),
  );
  return (
    <TextActionDialog
      buttonLabel={t('templates.moveTo', { version })}
      buttonClassName="button-secondary"
      intro={t('templates.moveExplained')}
      label={t('changes.comment')}
      required={false}
      rows={2}
      submitLabel={t('templates.confirmMove')}
      action={move}
    />
  );
}

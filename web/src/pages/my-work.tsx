import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, call, type components } from '../api/client';
import { ProblemAlert } from '../components/problem';
import { formatDateTime, formatRelative } from '../format';
import en from '../i18n/en';

type WorkItem = components['schemas']['MyWorkItemView'];
type KindKey = keyof typeof en.myWork.kinds;

const PAGE_SIZE = 50;

/** What waits on the signed-in coordinator across their partnerships, newest first. */
export function MyWorkPage() {
  const { t, i18n } = useTranslation();
  const [page, setPage] = useState(1);
  const query = useQuery({
    queryKey: ['my-work', page],
    queryFn: () =>
      call(() => api.GET('/api/v1/me/work', { params: { query: { page, pageSize: PAGE_SIZE } } })),
    refetchInterval: 10_000,
  });
  const data = query.data;
  const pages = data ? Math.max(1, Math.ceil(data.total / data.pageSize)) : 1;
  const kindText = (item: WorkItem): string =>
    item.kind in en.myWork.kinds ? t(`myWork.kinds.${item.kind as KindKey}`) : item.kind;
  return (
    <section className="page" aria-labelledby="my-work-title">
      <h1 id="my-work-title">{t('myWork.title')}</h1>
      <p className="muted">{t('myWork.intro')}</p>
      <ProblemAlert error={query.error} />
      {data && data.items.length === 0 && <p>{t('myWork.empty')}</p>}
      <ul className="work-list">
        {data?.items.map((item, i) => (
          <li
            key={`${item.kind}-${item.partnershipId}-${item.approvalId ?? item.taskId ?? ''}-${i}`}
            className="card work-item"
          >
            <span className={`badge badge-${item.kind}`}>{kindText(item)}</span>
            <Link
              to={`/partnerships/${item.partnershipId}`}
              aria-label={t('myWork.open', { title: item.partnershipTitle })}
            >
              {item.partnershipTitle}
            </Link>
            <span className="muted">{t(`stages.${item.stage}`)}</span>
            <time
              dateTime={item.at}
              title={formatDateTime(item.at, i18n.language)}
              className="muted"
            >
              {formatRelative(item.at, i18n.language)}
            </time>
          </li>
        ))}
      </ul>
      {pages > 1 && (
        <div className="button-row">
          <button
            type="button"
            className="button-secondary"
            disabled={page <= 1}
            onClick={() => setPage(page - 1)}
          >
            {t('app.previous')}
          </button>
          <span>{t('app.pageOf', { page, pages })}</span>
          <button
            type="button"
            className="button-secondary"
            disabled={page >= pages}
            onClick={() => setPage(page + 1)}
          >
            {t('app.next')}
          </button>
        </div>
      )}
    </section>
  );
}

import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';

/** Previous / next through a paged list, with where you are and how many there are. */
export function Pager({
  page,
  pageSize,
  total,
  onPage,
  label,
  busy,
}: {
  page: number;
  pageSize: number;
  total: number;
  onPage: (page: number) => void;
  label: string;
  busy?: boolean;
}) {
  const { t } = useTranslation();
  const pages = Math.max(1, Math.ceil(total / pageSize));
  if (total <= pageSize && page <= 1) {
    return <p className="muted small">{t('forms.total', { count: total })}</p>;
  }
  return (
    <nav className="pager" aria-label={label}>
      <button
        type="button"
        className="button-secondary"
        disabled={page <= 1 || busy}
        onClick={() => onPage(page - 1)}
      >
        {t('app.previous')}
      </button>
      <span aria-live="polite">
        {t('app.pageOf', { page: Math.min(page, pages), pages })}
        <span className="muted"> · {t('forms.total', { count: total })}</span>
      </span>
      <button
        type="button"
        className="button-secondary"
        disabled={page >= pages || busy}
        onClick={() => onPage(page + 1)}
      >
        {t('app.next')}
      </button>
    </nav>
  );
}

/** The page number kept in the address (`?page=3`), so a reload or a shared link keeps it. */
export function usePageParam(name = 'page'): [number, (page: number) => void] {
  const [params, setParams] = useSearchParams();
  const raw = Number(params.get(name));
  const page = Number.isInteger(raw) && raw >= 1 ? raw : 1;
  const setPage = (next: number): void => {
    const copy = new URLSearchParams(params);
    if (next <= 1) copy.delete(name);
    else copy.set(name, String(next));
    setParams(copy);
  };
  return [page, setPage];
}

import type { ComponentType, ReactNode } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ProblemError } from '../auth/session';
import { useAccount } from '../components/layout';
import type { ListPage } from './paged-list';
import { usePageParam } from './pager';

/** Administrators' pages: anyone else reads that they may not, and is offered the way back. */
export function RequireAdmin({ title, children }: { title: string; children: ReactNode }) {
  const user = useAccount();
  if (user?.role === 'admin') return <>{children}</>;
  return <NotAllowed title={title} />;
}

/**
 * An administrators' page titled by the catalog key `titleKey`: `Page` mounts (and reads the
 * API) only for an administrator.
 */
export function adminPage(titleKey: string, Page: ComponentType): ComponentType {
  return function AdminPage() {
    const { t } = useTranslation();
    return (
      <RequireAdmin title={t(titleKey)}>
        <Page />
      </RequireAdmin>
    );
  };
}

export function NotAllowed({ title }: { title: string }) {
  const { t } = useTranslation();
  return (
    <section className="page" aria-labelledby="not-allowed-title">
      <h1 id="not-allowed-title">{title}</h1>
      <div role="alert" className="alert alert-error">
        <p>{t('forms.adminsOnly')}</p>
      </div>
      <Link to="/">{t('app.backToBoard')}</Link>
    </section>
  );
}

/** A 403 while reading: the role changed since sign-in (another admin demoted this one). */
export function isForbidden(error: unknown): boolean {
  return error instanceof ProblemError && error.status === 403;
}

/**
 * An administrators' list at the page the address names (`?page=`), the previous page shown
 * while the next one comes; `key` and the page number make the query's key.
 */
export function useAdminList<T>(
  key: readonly unknown[],
  read: (page: number) => Promise<ListPage<T>>,
) {
  const [page, setPage] = usePageParam();
  const query = useQuery({
    queryKey: [...key, page],
    placeholderData: keepPreviousData,
    queryFn: () => read(page),
  });
  return { query, setPage };
}

/**
 * The frame of an administrators' page: its heading (`${id}-title`) with `actions` beside it,
 * or NotAllowed when reading it was refused with a 403.
 */
export function AdminPageFrame({
  id,
  title,
  error,
  actions,
  children,
}: {
  id: string;
  title: string;
  error: unknown;
  actions?: ReactNode;
  children: ReactNode;
}) {
  if (isForbidden(error)) return <NotAllowed title={title} />;
  return (
    <section className="page admin-page" aria-labelledby={`${id}-title`}>
      <div className="page-head">
        <h1 id={`${id}-title`}>{title}</h1>
        {actions}
      </div>
      {children}
    </section>
  );
}

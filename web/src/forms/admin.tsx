import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ProblemError } from '../auth/session';
import { useAccount } from '../components/layout';

/** Administrators' pages: anyone else reads that they may not, and is offered the way back. */
export function RequireAdmin({ title, children }: { title: string; children: ReactNode }) {
  const user = useAccount();
  if (user?.role === 'admin') return <>{children}</>;
  return <NotAllowed title={title} />;
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

import { lazy, Suspense, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { createBrowserRouter, Link } from 'react-router';
import { Layout, RequireSession } from './components/layout';
import { BoardPage } from './pages/board';
import { LoginPage } from './pages/login';
import { MyWorkPage } from './pages/my-work';
import { PartnershipPage } from './pages/partnership';

// Forms and admin pages load when first opened: the board and a partnership page come first.
const CreatePartnershipPage = lazy(() => import('./pages/create-partnership'));
const UsersPage = lazy(() => import('./pages/admin-users'));
const WebhooksPage = lazy(() => import('./pages/admin-webhooks'));
const AuditPage = lazy(() => import('./pages/admin-audit'));
const OrganisationsPage = lazy(() => import('./pages/admin-organisations'));
const TemplatesPage = lazy(() => import('./pages/admin-templates'));
const AccountPage = lazy(() => import('./pages/account'));
// Its charts (recharts) load with it, never on the board.
const InsightPage = lazy(() => import('./pages/insight'));

function Deferred({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Suspense fallback={<p className="page-loading">{t('app.loading')}</p>}>{children}</Suspense>
  );
}

function NotFound() {
  const { t } = useTranslation();
  return (
    <section className="page">
      <h1>{t('app.notFound')}</h1>
      <Link to="/">{t('app.backToBoard')}</Link>
    </section>
  );
}

/** The routes; apps/api/src/web-app/web-app-routes.ts lists the same paths for the server. */
export const router = createBrowserRouter([
  { path: '/login', element: <LoginPage /> },
  {
    element: (
      <RequireSession>
        <Layout />
      </RequireSession>
    ),
    children: [
      { path: '/', element: <BoardPage /> },
      { path: '/my-work', element: <MyWorkPage /> },
      {
        path: '/account',
        element: (
          <Deferred>
            <AccountPage />
          </Deferred>
        ),
      },
      {
        path: '/insight',
        element: (
          <Deferred>
            <InsightPage />
          </Deferred>
        ),
      },
      {
        path: '/partnerships/new',
        element: (
          <Deferred>
            <CreatePartnershipPage />
          </Deferred>
        ),
      },
      { path: '/partnerships/:id', element: <PartnershipPage /> },
      {
        path: '/admin/users',
        element: (
          <Deferred>
            <UsersPage />
          </Deferred>
        ),
      },
      {
        path: '/admin/webhooks',
        element: (
          <Deferred>
            <WebhooksPage />
          </Deferred>
        ),
      },
      {
        path: '/admin/templates',
        element: (
          <Deferred>
            <TemplatesPage />
          </Deferred>
        ),
      },
      {
        path: '/admin/organisations',
        element: (
          <Deferred>
            <OrganisationsPage />
          </Deferred>
        ),
      },
      {
        path: '/admin/audit',
        element: (
          <Deferred>
            <AuditPage />
          </Deferred>
        ),
      },
      { path: '*', element: <NotFound /> },
    ],
  },
]);

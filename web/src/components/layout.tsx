import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { currentUser, logout, onSessionChange, renew, type Account } from '../auth/session';
import { isLanguage } from '../../../libs/domain/vocabulary';
import { LanguageSwitcher } from './language-switcher';

/** The signed-in user, following the session (renewals, logout, another tab ending it). */
export function useAccount(): Account | undefined {
  const [user, setUser] = useState(currentUser());
  useEffect(() => onSessionChange(setUser), []);
  return user;
}

/**
 * Pages behind sign-in: on a reload, the session cookie gives a new access token; without a
 * session, the login page, which comes back here afterwards.
 */
export function RequireSession({ children }: { children: ReactNode }) {
  const user = useAccount();
  const [checked, setChecked] = useState(Boolean(currentUser()));
  const location = useLocation();
  const navigate = useNavigate();
  const { t, i18n } = useTranslation();

  useEffect(() => {
    if (user) return;
    let cancelled = false;
    renew()
      .catch(() => undefined)
      .then((state) => {
        if (cancelled) return;
        setChecked(true);
        if (!state) {
          const next = `${location.pathname}${location.search}`;
          void navigate(`/login?next=${encodeURIComponent(next)}`, { replace: true });
        }
      });
    return () => {
      cancelled = true;
    };
  }, [user, location.pathname, location.search, navigate]);

  // The account's language wins over the device's once known.
  useEffect(() => {
    if (user?.language && isLanguage(user.language) && user.language !== i18n.language) {
      void i18n.changeLanguage(user.language);
    }
  }, [user?.language, i18n]);

  if (!user) {
    return (
      <p className="page-loading" aria-live="polite">
        {checked ? '' : t('app.loading')}
      </p>
    );
  }
  return <>{children}</>;
}

/**
 * Each screen announces itself: the tab's title follows the page's heading ("Board · Entente"),
 * also when the heading arrives with the page's data, and after a navigation the focus moves to
 * the content, so a screen reader starts reading the new page instead of staying on the link.
 */
function usePageAnnouncement(appName: string): void {
  const location = useLocation();
  const first = useRef(true);
  useEffect(() => {
    const main = document.getElementById('main');
    if (!main) return;
    const sync = (): void => {
      const heading = main.querySelector('h1')?.textContent?.trim();
      const title = heading ? `${heading} · ${appName}` : appName;
      if (document.title !== title) document.title = title;
    };
    sync();
    const observer = new MutationObserver(sync);
    observer.observe(main, { childList: true, subtree: true, characterData: true });
    if (first.current) first.current = false;
    else main.focus();
    return () => observer.disconnect();
  }, [location.pathname, appName]);
}

export function Layout() {
  const { t } = useTranslation();
  usePageAnnouncement(t('app.name'));
  const user = useAccount();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const doLogout = async (): Promise<void> => {
    await logout();
    queryClient.clear();
    void navigate('/login', { replace: true });
  };
  return (
    <>
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <header className="app-header">
        <Link to="/" className="brand">
          {t('app.name')}
        </Link>
        <nav aria-label={t('nav.main')}>
          <ul>
            <li>
              <NavLink to="/" end>
                {t('nav.board')}
              </NavLink>
            </li>
            <li>
              <NavLink to="/my-work">{t('nav.myWork')}</NavLink>
            </li>
            <li>
              <NavLink to="/insight">{t('nav.insight')}</NavLink>
            </li>
            {user?.role !== 'observer' && (
              <li>
                <NavLink to="/partnerships/new">{t('nav.newPartnership')}</NavLink>
              </li>
            )}
            {user?.role === 'admin' && (
              <>
                <li>
                  <NavLink to="/admin/users">{t('nav.users')}</NavLink>
                </li>
                <li>
                  <NavLink to="/admin/organisations">{t('nav.organisations')}</NavLink>
                </li>
                <li>
                  <NavLink to="/admin/templates">{t('nav.templates')}</NavLink>
                </li>
                <li>
                  <NavLink to="/admin/webhooks">{t('nav.webhooks')}</NavLink>
                </li>
                <li>
                  <NavLink to="/admin/audit">{t('nav.audit')}</NavLink>
                </li>
              </>
            )}
          </ul>
        </nav>
        <div className="header-end">
          <LanguageSwitcher />
          {user && <span className="who">{t('app.signedInAs', { name: user.name })}</span>}
          {user && <NavLink to="/account">{t('nav.account')}</NavLink>}
          <button type="button" className="button-secondary" onClick={() => void doLogout()}>
            {t('app.logout')}
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </>
  );
}

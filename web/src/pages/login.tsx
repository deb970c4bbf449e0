import { useEffect, useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { safeNext } from '../auth/next';
import { login } from '../auth/session';
import { ProblemAlert } from '../components/problem';
import { LanguageSwitcher } from '../components/language-switcher';
import { isLanguage } from '../../../libs/domain/vocabulary';
import { LabelField } from '../forms/field';

export function LoginPage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [params] = useSearchParams();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    document.title = `${t('login.title')}`;
  }, [t]);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const user = await login(email, password);
      // A session that ended elsewhere (another tab's logout, a revoked account) left its reader's
      // data in the cache: the next reader must not see it, not even while it is asked again.
      queryClient.clear();
      if (user.language && isLanguage(user.language)) await i18n.changeLanguage(user.language);
      void navigate(safeNext(params.get('next'), window.location.origin), { replace: true });
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  return (
    <main id="main" className="login-page">
      <div className="login-card card">
        <div className="login-top">
          <span className="brand">{t('app.name')}</span>
          <LanguageSwitcher />
        </div>
        <h1>{t('login.title')}</h1>
        <p className="muted">{t('login.intro')}</p>
        <form onSubmit={(e) => void submit(e)} noValidate={false}>
          <LabelField label={t('login.email')}>
            <input
              type="email"
              name="email"
              autoComplete="username"
              required
              maxLength={320}
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
          </LabelField>
          <LabelField label={t('login.password')}>
            <input
              type="password"
              name="password"
              autoComplete="current-password"
              required
              maxLength={1024}
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          </LabelField>
          <ProblemAlert error={error} />
          <button type="submit" className="button-primary" disabled={busy}>
            {busy ? t('login.submitting') : t('login.submit')}
          </button>
        </form>
      </div>
    </main>
  );
}

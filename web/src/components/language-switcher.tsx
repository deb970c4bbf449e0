import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call } from '../api/client';
import { currentUser, setCurrentUser } from '../auth/session';
import { htmlLang, rememberLanguage } from '../i18n';
import { isLanguage, LANGUAGES } from '../../../libs/domain/vocabulary';

/** One option per language, each named in the viewer's language and marked with its own. */
export function LanguageOptions({ languages }: { languages: readonly string[] }) {
  const { t } = useTranslation();
  return languages.map((l) => (
    <option key={l} value={l} lang={htmlLang(l)}>
      {t(`languages.${l}`)}
    </option>
  ));
}

/** Switches the language at once; remembered on this device and, when signed in, on the account. */
export function LanguageSwitcher() {
  const { t, i18n } = useTranslation();
  const [notSaved, setNotSaved] = useState(false);
  const change = async (value: string): Promise<void> => {
    if (!isLanguage(value)) return;
    rememberLanguage(value);
    await i18n.changeLanguage(value);
    setNotSaved(false);
    if (currentUser()) {
      try {
        const user = await call(() => api.PATCH('/api/v1/me', { body: { language: value } }));
        setCurrentUser(user);
      } catch {
        // The screen has changed already; only the account's memory of it failed.
        setNotSaved(true);
      }
    }
  };
  return (
    <>
      <label className="language-switcher">
        <span className="label-text">{t('app.language')}</span>
        <select value={i18n.language} onChange={(e) => void change(e.target.value)}>
          <LanguageOptions languages={LANGUAGES} />
        </select>
      </label>
      {notSaved && (
        <span role="alert" className="text-danger small">
          {t('app.languageNotSaved')}
        </span>
      )}
    </>
  );
}

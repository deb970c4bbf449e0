import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './en';
import es from './es';
import zh from './zh';

export const APP_LANGUAGES = ['en', 'es', 'zh'] as const;
export type AppLanguage = (typeof APP_LANGUAGES)[number];

const STORED = 'entente.language';

export function isAppLanguage(value: unknown): value is AppLanguage {
  return typeof value === 'string' && (APP_LANGUAGES as readonly string[]).includes(value);
}

/** The browser's first language Entente speaks (zh-CN, zh-TW → zh; es-ES, es-MX → es), else English. */
export function browserLanguage(languages: readonly string[] = navigator.languages): AppLanguage {
  for (const tag of languages) {
    const base = tag.toLowerCase().split('-')[0];
    if (isAppLanguage(base)) return base;
  }
  return 'en';
}

/** What to show before the account says: the last choice on this device, else the browser's. */
export function initialLanguage(): AppLanguage {
  const stored = localStorage.getItem(STORED);
  return isAppLanguage(stored) ? stored : browserLanguage();
}

export function rememberLanguage(language: AppLanguage): void {
  localStorage.setItem(STORED, language);
}

export const i18n = i18next.createInstance();

void i18n.use(initReactI18next).init({
  resources: { en: { translation: en }, es: { translation: es }, zh: { translation: zh } },
  lng: initialLanguage(),
  fallbackLng: 'en',
  supportedLngs: APP_LANGUAGES,
  // React escapes every rendered string already.
  interpolation: { escapeValue: false },
  returnNull: false,
});

i18n.on('languageChanged', (lng) => {
  document.documentElement.lang = lng === 'zh' ? 'zh-CN' : lng;
});
document.documentElement.lang = i18n.language === 'zh' ? 'zh-CN' : i18n.language;

/** BCP 47 tag for Intl formatting. */
export function localeOf(language: string): string {
  return language === 'zh' ? 'zh-CN' : language === 'es' ? 'es-ES' : 'en-GB';
}

import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './en';
import es from './es';
import zh from './zh';
import { isLanguage, LANGUAGES, type Language } from '../../../libs/domain/vocabulary';

const STORED = 'entente.language';

/** The browser's first language Entente speaks (zh-CN, zh-TW → zh; es-ES, es-MX → es), else English. */
export function browserLanguage(languages: readonly string[] = navigator.languages): Language {
  for (const tag of languages) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLanguage(base)) return base;
  }
  return 'en';
}

/** What to show before the account says: the last choice on this device, else the browser's. */
export function initialLanguage(): Language {
  const stored = localStorage.getItem(STORED);
  return isLanguage(stored) ? stored : browserLanguage();
}

export function rememberLanguage(language: Language): void {
  localStorage.setItem(STORED, language);
}

export const i18n = i18next.createInstance();

void i18n.use(initReactI18next).init({
  resources: { en: { translation: en }, es: { translation: es }, zh: { translation: zh } },
  lng: initialLanguage(),
  fallbackLng: 'en',
  supportedLngs: LANGUAGES,
  // React escapes every rendered string already.
  interpolation: { escapeValue: false },
  returnNull: false,
});

/** The HTML `lang` of a language Entente speaks (Chinese as written in mainland China). */
export function htmlLang(language: string): string {
  return language === 'zh' ? 'zh-CN' : language;
}

i18n.on('languageChanged', (lng) => {
  document.documentElement.lang = htmlLang(lng);
});
document.documentElement.lang = htmlLang(i18n.language);

/** BCP 47 tag for Intl formatting. */
export function localeOf(language: string): string {
  return language === 'zh' ? 'zh-CN' : language === 'es' ? 'es-ES' : 'en-GB';
}

import { LANGUAGES } from '../domain/vocabulary';
import type { Language } from '../domain/vocabulary';
import { LOCALES } from './language';
import { compileCatalog, translation } from './messages/catalog';
import type { Compiled } from './messages/catalog';
import { en } from './messages/en';
import { es } from './messages/es';
import { zh } from './messages/zh';

/** Every word of the e-mails and the partner pages in one language, as functions of their placeholders. */
export type Messages = Compiled<typeof en> & {
  /** BCP 47 locale of dates, numbers and lists, and the e-mails' `lang`. */
  readonly locale: string;
  /** The partner pages' `lang`. */
  readonly pageLang: string;
};

// English is checked too: its plurals must have exactly English's categories.
const CATALOGS = { en: translation('en')(en), es, zh } as const;

/** The catalogs (messages/en.ts, es.ts, zh.ts), compiled: `MESSAGES.es.greeting({ name })`. */
export const MESSAGES: Readonly<Record<Language, Messages>> = Object.fromEntries(
  LANGUAGES.map((language) => {
    const { locale, pageLang } = LOCALES[language];
    return [
      language,
      { locale, pageLang, ...compileCatalog<typeof en>(CATALOGS[language], locale) },
    ];
  }),
) as Record<Language, Messages>;

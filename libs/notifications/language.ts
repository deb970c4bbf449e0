import { isLanguage, type Language } from '../domain/vocabulary';

/**
 * Which language a reader gets, and the locale of each language: the one rule for the e-mails and
 * the partner pages (the web app negotiates its own).
 *
 * `locale` formats dates, numbers and lists (British English: "3 March 2025, 14:00") and is the
 * e-mails' `lang`. `pageLang` is the partner pages' `lang`: the pages have always declared the bare
 * language where no written form needs naming (and their tests pin it), so it stays apart.
 */
export const LOCALES: Readonly<Record<Language, { locale: string; pageLang: string }>> = {
  en: { locale: 'en-GB', pageLang: 'en' },
  es: { locale: 'es-ES', pageLang: 'es' },
  zh: { locale: 'zh-CN', pageLang: 'zh-CN' },
};

export { isLanguage };

/** The best-weighted of en, es, zh in an Accept-Language header; English when it names none. */
export function acceptedLanguage(header: string | string[] | undefined): Language {
  const value = Array.isArray(header) ? header.join(',') : (header ?? '');
  let best: { language: Language; q: number } | undefined;
  for (const part of value.split(',').slice(0, 20)) {
    const [tag, ...params] = part.trim().toLowerCase().split(';');
    const primary = tag.split('-')[0];
    if (!isLanguage(primary)) continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!Number.isFinite(q) || q <= 0) continue;
    if (!best || q > best.q) best = { language: primary, q };
  }
  return best?.language ?? 'en';
}

/**
 * The reader's language: the one Entente recorded for them (a contact's, a user's) when it is one
 * it writes, else the browser's (a link that says nothing we may trust: tampered, malformed), else
 * English.
 */
export function readerLanguage(
  recorded: string | null | undefined,
  acceptLanguage?: string | string[],
): Language {
  return isLanguage(recorded) ? recorded : acceptedLanguage(acceptLanguage);
}

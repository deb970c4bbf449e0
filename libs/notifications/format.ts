import type { Language } from '../domain/vocabulary';
import { LOCALES } from './language';

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for use in HTML element content and double- or single-quoted attributes. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * A calendar date (YYYY-MM-DD) in the language's words, without weekday, time or zone:
 * "3 March 2025", "3 de marzo de 2025", "2025年3月3日". It is the same day in every zone.
 */
export function formatCalendarDate(isoDate: string, language: Language): string {
  const match = ISO_DATE.exec(isoDate);
  const date = match ? new Date(Date.UTC(+match[1], +match[2] - 1, +match[3])) : undefined;
  if (!match || !date || date.toISOString().slice(0, 10) !== isoDate)
    throw new RangeError(`expected a YYYY-MM-DD date, got ${JSON.stringify(isoDate)}`);
  return new Intl.DateTimeFormat(LOCALES[language].locale, {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    timeZone: 'UTC',
  }).format(date);
}

/** Deadline-style date: weekday, date, 24-hour time and zone name, in the locale's words. */
export function formatDateTime(date: Date, language: Language, timeZone: string): string {
  return new Intl.DateTimeFormat(LOCALES[language].locale, {
    weekday: 'long',
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone,
    timeZoneName: 'long',
  }).format(date);
}

/** "Ana, Luis and Mei" in the language's words. */
export function formatList(items: string[], language: Language): string {
  return new Intl.ListFormat(LOCALES[language].locale, { type: 'conjunction' }).format(items);
}

/** A whole number in the language's digits and grouping ("1,000", "1.000"). */
export function formatNumber(value: number, language: Language): string {
  return value.toLocaleString(LOCALES[language].locale);
}

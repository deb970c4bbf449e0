import type { Language } from '../../domain/vocabulary';
import { isValidTimeZone } from '../../domain/working-hours';
import { escapeHtml } from '../format';
import { isLanguage } from '../language';
import { MESSAGES } from '../messages';
import type { Messages } from '../messages';

/**
 * The frame every e-mail shares: its blocks (paragraphs, a quote, the link, the footer), the
 * plain-text and HTML parts, bilingual sections, and the checks of the inputs all kinds take.
 * Pure functions: no I/O, no clock, no logging. The words are the catalog's (../messages); each
 * kind of e-mail (the other files of this folder) lays out its own blocks.
 */

/**
 * A generated word in each language (a gate's title, a template task's title: see
 * libs/domain/words.ts), or a person's own words, the same in every language.
 */
export type Localized = string | Readonly<Record<Language, string>>;

/** `value` in `language`. */
export function inLanguage(value: Localized, language: Language): string {
  return typeof value === 'string' ? value : (value[language] ?? value.en);
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

/** Fields every e-mail takes. */
export interface BaseEmailInput {
  /** The recipient's language. */
  language: Language;
  /**
   * The partnership asks for bilingual e-mails: the recipient's language first, then an English
   * copy below a separator, subject "<own> / <English>". No effect when language is 'en'.
   */
  bilingual?: boolean;
  partnershipTitle: string;
  /** IANA zone of the recipient, e.g. Europe/Madrid; dates are shown in it. */
  timeZone: string;
  /** Absolute http(s) URL to the page where the recipient acts. */
  link: string;
}

/** An e-mail about one approval request. */
export interface ApprovalEmailInput extends BaseEmailInput {
  /** Title of what is to be approved (the request's subject), per language when generated. */
  subjectTitle: Localized;
}

type Vars = Readonly<Record<string, string>>;

export type Block =
  | { kind: 'p'; msg: (vars: Vars) => string; vars: Vars }
  | { kind: 'quote'; value: string }
  | { kind: 'link'; label: string; href: string }
  /** A heading over a list (the weekly digest's sections). */
  | { kind: 'heading'; value: string }
  /** Items each with the page they are about (text: the URL below the item). */
  | { kind: 'list'; items: readonly { text: string; href: string }[] }
  | { kind: 'footer'; value: string };

/** A paragraph: a catalog message and its values (escaped apart from the message's own text). */
export function p<V extends Vars>(msg: (vars: V) => string, vars: V): Block {
  return { kind: 'p', msg: msg as (vars: Vars) => string, vars };
}

/** The two blocks every e-mail ends with: the link to act on, and the footer. */
export function linkAndFooter(m: Messages, label: string, href: string): Block[] {
  return [
    { kind: 'link', label, href },
    { kind: 'footer', value: m.footer() },
  ];
}

/** One language's part of an e-mail. */
export interface Section {
  language: Language;
  subject: string;
  blocks: Block[];
}

/** Private-use sentinels mark placeholders so the static text can be escaped on its own. */
const SENTINEL = /\uE000(\w+)\uE001/g;

function paragraphHtml(block: Extract<Block, { kind: 'p' }>): string {
  const marked = Object.fromEntries(Object.keys(block.vars).map((k) => [k, `\uE000${k}\uE001`]));
  return escapeHtml(block.msg(marked)).replace(SENTINEL, (_, key: string) =>
    escapeHtml(block.vars[key]),
  );
}

function multilineHtml(value: string): string {
  return escapeHtml(value).replace(/\r?\n/g, '<br>\n');
}

/** `last`: the e-mail's last section, whose footer starts with the "-- " signature delimiter. */
function sectionText(section: Section, last: boolean): string {
  return section.blocks
    .map((b) => {
      switch (b.kind) {
        case 'p':
          return b.msg(b.vars);
        case 'quote':
          return b.value
            .split(/\r?\n/)
            .map((line) => `> ${line}`)
            .join('\n');
        case 'link':
          return MESSAGES[section.language].linkLine({ label: b.label, url: b.href });
        case 'heading':
          return b.value;
        case 'list':
          return b.items.map((item) => `- ${item.text}\n  ${item.href}`).join('\n');
        case 'footer':
          // Mail clients hide or drop what follows "-- " when quoting, so only the last
          // section's footer uses it: the English copy of a bilingual e-mail must not be lost.
          return last ? `-- \n${b.value}` : b.value;
      }
    })
    .join('\n\n');
}

/**
 * The app's look in inline styles (what e-mail clients keep): text #1b1f24 on white cards with a
 * #d0d7de border on #f5f6f8, primary #0b5cad, secondary text #57606a. Tags end on their own line
 * where another follows, so no `"><` appears outside an escaped value.
 */
const FONT =
  "system-ui,-apple-system,'Segoe UI',Roboto,Arial,'Noto Sans','Noto Sans CJK SC','PingFang SC','Microsoft YaHei',sans-serif";
const PRIMARY = '#0b5cad';
const MUTED = '#57606a';

/** A button (a table cell, which every client paints), and the URL below it as a link that wraps. */
function linkHtml(label: string, href: string, fallback: string): string {
  const url = escapeHtml(href);
  return [
    '<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:8px 0 16px">',
    '<tr>',
    `<td style="border-radius:6px;background:${PRIMARY}">`,
    `<a href="${url}" style="display:inline-block;padding:12px 24px;font-family:${FONT};font-size:16px;font-weight:600;line-height:1.25;color:#ffffff;text-decoration:none;border-radius:6px;background:${PRIMARY}">${escapeHtml(label)}</a>`,
    '</td>',
    '</tr>',
    '</table>',
    `<p style="margin:0 0 16px;font-size:13px;line-height:1.4;color:${MUTED}">${escapeHtml(fallback)}<br>`,
    `<a href="${url}" style="color:${PRIMARY};word-break:break-all;overflow-wrap:anywhere">${url}</a></p>`,
  ].join('\n');
}

function sectionHtml(section: Section): string {
  const m = MESSAGES[section.language];
  const body = section.blocks
    .map((b) => {
      switch (b.kind) {
        case 'p':
          return `<p>${paragraphHtml(b)}</p>`;
        case 'quote':
          return `<blockquote style="margin:0 0 16px;padding:8px 12px;border-left:3px solid #d0d7de;background:#f5f6f8;color:#1b1f24">${multilineHtml(b.value)}</blockquote>`;
        case 'link':
          return linkHtml(b.label, b.href, m.linkFallback());
        case 'heading':
          return `<h2 style="margin:24px 0 8px;font-size:17px;line-height:1.3">${escapeHtml(b.value)}</h2>`;
        case 'list':
          return [
            '<ul style="margin:0 0 16px;padding-left:20px">',
            ...b.items.map(
              (item) =>
                `<li style="margin:0 0 6px"><a href="${escapeHtml(item.href)}" style="color:${PRIMARY}">${escapeHtml(item.text)}</a></li>`,
            ),
            '</ul>',
          ].join('\n');
        case 'footer':
          return `<p style="margin:16px 0 0;font-size:13px;line-height:1.4;color:${MUTED}">${escapeHtml(b.value)}</p>`;
      }
    })
    .join('\n');
  return `<div lang="${m.locale}">\n${body}\n</div>`;
}

const TEXT_SEPARATOR = '\n\n' + '-'.repeat(40) + '\n\n';

/**
 * The whole e-mail: one section per language (the recipient's, then English when bilingual),
 * `build` laying out each with that language's words.
 */
export function compose(
  input: LinkOptional<BaseEmailInput>,
  build: (language: Language, m: Messages) => Section,
): RenderedEmail {
  checkCommon(input);
  const languages: Language[] =
    input.bilingual && input.language !== 'en' ? [input.language, 'en'] : [input.language];
  const sections = languages.map((language) => build(language, MESSAGES[language]));
  const subject = sections.map((s) => s.subject).join(' / ');
  const text =
    sections.map((s, i) => sectionText(s, i === sections.length - 1)).join(TEXT_SEPARATOR) + '\n';
  const html = [
    '<!DOCTYPE html>',
    `<html lang="${MESSAGES[input.language].locale}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(subject)}</title>`,
    '</head>',
    '<body style="margin:0;padding:0;background:#f5f6f8;color:#1b1f24">',
    '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background:#f5f6f8">',
    '<tr>',
    '<td align="center" style="padding:24px 12px">',
    '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:600px;background:#ffffff;border:1px solid #d0d7de;border-radius:8px">',
    '<tr>',
    `<td style="padding:24px;font-family:${FONT};font-size:16px;line-height:1.5;color:#1b1f24;text-align:left">`,
    `<p style="margin:0 0 16px;font-size:14px;font-weight:700;color:${PRIMARY}">Entente</p>`,
    sections
      .map(sectionHtml)
      .join('\n<hr style="border:none;border-top:1px solid #d0d7de;margin:24px 0">\n'),
    '</td>',
    '</tr>',
    '</table>',
    '</td>',
    '</tr>',
    '</table>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
  return { subject, text, html };
}

/** Subject lines are headers: fold any line breaks or runs of whitespace in values to one space. */
export function oneLine(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}

/** An e-mail's input whose link may be absent (a notice with no page to act on). */
export type LinkOptional<T extends BaseEmailInput> = Omit<T, 'link'> & { link?: string };

function checkCommon(input: LinkOptional<BaseEmailInput>): void {
  // The recipient's language is recorded: an e-mail in any other is a caller's bug, not a reader
  // to negotiate with (see ../language.ts for the pages).
  if (!isLanguage(input.language))
    throw new RangeError(`unsupported language ${JSON.stringify(input.language)}`);
  if (!isValidTimeZone(input.timeZone))
    throw new RangeError(`invalid time zone ${JSON.stringify(input.timeZone)}`);
  if (input.link === undefined) return;
  let url: URL;
  try {
    url = new URL(input.link);
  } catch {
    throw new RangeError(`link must be an absolute URL, got ${JSON.stringify(input.link)}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new RangeError(`link must be http(s), got ${url.protocol}`);
}

export function checkDate(name: string, value: Date): void {
  if (!(value instanceof Date) || Number.isNaN(value.getTime()))
    throw new RangeError(`${name} must be a valid Date`);
}

export function checkPositiveInteger(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1)
    throw new RangeError(`${name} must be a positive integer`);
}

/** The request's subject and the partnership's title, for a subject line. */
export function titles(
  input: ApprovalEmailInput,
  language: Language,
): { subject: string; partnership: string } {
  return {
    subject: oneLine(inLanguage(input.subjectTitle, language)),
    partnership: oneLine(input.partnershipTitle),
  };
}

import type { FastifyReply } from 'fastify';
import type { DomainError, Language } from '@libs/domain';
import { escapeHtml, MESSAGES } from '@libs/notifications';

/**
 * The frame of every page a partner contact opens from an e-mail (approval `/a/:token`, task
 * `/t/:token`, event `/e/:token`, knowledge `/k/:token`): server-rendered HTML that needs no
 * JavaScript, in the app's look, readable on a phone. Its one `<style>` block is fixed (the same on every page and in every language), so the
 * Content-Security-Policy allows it by hash (apps/api/src/platform/security.ts) and nothing else:
 * no style attributes, no scripts, nothing loaded from elsewhere.
 */

/** The app's colours; partner-page.spec.ts holds every text pair to 4.5:1 (WCAG AA). */
export const PALETTE = {
  text: '#1b1f24',
  background: '#f5f6f8',
  card: '#ffffff',
  cardBorder: '#d0d7de',
  /** Secondary text (hints, labels of facts). */
  muted: '#57606a',
  primary: '#0b5cad',
  primaryHover: '#094a8c',
  /** Text on primary and danger buttons. */
  onColour: '#ffffff',
  danger: '#b42318',
  dangerHover: '#912018',
  /** Borders of form fields: 3:1 at least against the card (WCAG 1.4.11). */
  field: '#6e7781',
  noticeBackground: '#eef4fb',
  alertBackground: '#fdecea',
  focus: '#f59e0b',
} as const;

const c = PALETTE;
const STYLE = [
  '*,*::before,*::after{box-sizing:border-box}',
  'html{-webkit-text-size-adjust:100%;text-size-adjust:100%}',
  `body{margin:0;background:${c.background};color:${c.text};font-size:16px;line-height:1.5;` +
    'font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif}',
  'main{max-width:40rem;margin:0 auto;padding:1.5rem 1rem 3rem}',
  `.brand{margin:0 0 1rem;font-weight:700;color:${c.primary};letter-spacing:.02em}`,
  'h1{font-size:1.5rem;line-height:1.25;margin:0 0 1rem}',
  'h2{font-size:1.125rem;line-height:1.3;margin:0 0 .75rem}',
  'p{margin:0 0 1rem}',
  `.card{background:${c.card};border:1px solid ${c.cardBorder};border-radius:8px;padding:1.25rem;margin:0 0 1rem}`,
  '.card>:last-child{margin-bottom:0}',
  'dl{margin:0}',
  `dt{font-weight:600;color:${c.muted};font-size:.875rem}`,
  'dd{margin:0 0 .75rem;overflow-wrap:anywhere}',
  'dd:last-child{margin-bottom:0}',
  `a{color:${c.primary};overflow-wrap:anywhere}`,
  'label{display:block;font-weight:600;margin:0 0 .25rem}',
  `.hint{display:block;color:${c.muted};font-size:.875rem;margin:0 0 .5rem}`,
  'textarea{display:block;width:100%;min-height:6rem;margin:0 0 1rem;padding:.5rem .75rem;' +
    `font:inherit;color:${c.text};background:${c.card};border:1px solid ${c.field};border-radius:6px;resize:vertical}`,
  '.actions{display:flex;flex-wrap:wrap;gap:.75rem}',
  'button{font:inherit;font-weight:600;min-height:2.75rem;padding:.5rem 1.25rem;border-radius:6px;' +
    `border:1px solid ${c.primary};background:${c.primary};color:${c.onColour};cursor:pointer}`,
  `button:hover{background:${c.primaryHover}}`,
  `button.secondary{background:${c.card};color:${c.primary}}`,
  `button.secondary:hover{background:${c.noticeBackground}}`,
  `button.danger{border-color:${c.danger};background:${c.danger};color:${c.onColour}}`,
  `button.danger:hover{background:${c.dangerHover}}`,
  // Keyboard focus: always visible, on every control and link.
  `:focus-visible{outline:3px solid ${c.focus};outline-offset:2px}`,
  `.notice{background:${c.noticeBackground};border:1px solid ${c.primary};border-left-width:4px;border-radius:8px;padding:.75rem 1rem;margin:0 0 1rem}`,
  `.alert{background:${c.alertBackground};border:1px solid ${c.danger};border-left-width:4px;border-radius:8px;padding:.75rem 1rem;margin:0 0 1rem}`,
  // A phone: less padding, full-width buttons that are easy to hit.
  '@media (max-width:30rem){main{padding:1rem .75rem 2rem}.card{padding:1rem}button{width:100%}}',
].join('\n');

/** A whole page: `title` as its heading, `body` already escaped HTML. */
export function partnerPage(language: Language, title: string, body: string): string {
  return `<!doctype html>
<html lang="${MESSAGES[language].pageLang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)} · Entente</title>
<style>${STYLE}</style>
</head>
<body><main>
<p class="brand">Entente</p>
<h1>${escapeHtml(title)}</h1>
${body}
</main></body></html>`;
}

/** A page with one message; `alert` for a refusal (invalid link, nothing changed). */
export function messagePage(
  language: Language,
  title: string,
  message: string,
  tone: 'status' | 'alert' = 'status',
): string {
  const css = tone === 'alert' ? 'alert' : 'notice';
  return partnerPage(
    language,
    title,
    `<p class="${css}" role="${tone}">${escapeHtml(message)}</p>`,
  );
}

/** A refusal shown above a page's form (an alert), or nothing when there is none. */
export function alertNotice(text: string | undefined): string {
  return text ? `<p class="alert" role="alert">${escapeHtml(text)}</p>` : '';
}

/**
 * The words every partner page has: its title, what it says of a link that does not open, and of
 * an answer the workflow did not finish recording in time (received, or unavailable).
 */
export interface PartnerPageWords {
  title(): string;
  invalid(): string;
  expired(): string;
  received(): string;
  unavailable(): string;
}

/** A page kind's {@link messagePage}: one message under that page's title, in `language`. */
export function messagePageOf(
  words: (language: Language) => PartnerPageWords,
): (language: Language, message: string, tone?: 'status' | 'alert') => string {
  return (language, message, tone = 'status') =>
    messagePage(language, words(language).title(), message, tone);
}

/** Sends a partner page: never cached, never framed, no referrer (the URL is a credential). */
export function sendPage(reply: FastifyReply, status: number, html: string): void {
  void reply
    .status(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer')
    .header('x-frame-options', 'DENY')
    .send(html);
}

/**
 * The page of a partner's answer that the workflow did not finish in time: `202` when it took the
 * answer (it will be recorded), else `503` with the problem's `Retry-After` (nothing changed).
 */
export function sendUnavailable(
  reply: FastifyReply,
  err: DomainError,
  page: (taken: boolean) => string,
): void {
  if (err.details.cause === 'accepted') return sendPage(reply, 202, page(true));
  const retryAfter = err.details.retryAfterSeconds;
  if (typeof retryAfter === 'number') void reply.header('retry-after', String(retryAfter));
  sendPage(reply, 503, page(false));
}

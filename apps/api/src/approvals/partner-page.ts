import type { FastifyReply } from 'fastify';
import { LANGUAGES } from '../../../../libs/domain';
import type { Language } from '../../../../libs/domain';
import { escapeHtml } from '../../../../libs/notifications';

/**
 * The frame of every page a partner contact opens from an e-mail (approval `/a/:token`, task
 * `/t/:token`): server-rendered HTML that needs no JavaScript, in the app's look, readable on a
 * phone. Its one `<style>` block is fixed (the same on every page and in every language), so the
 * Content-Security-Policy allows it by hash (apps/api/src/platform/security.ts) and nothing else:
 * no style attributes, no scripts, nothing loaded from elsewhere.
 *
 * Colours (from the app): text #1b1f24 on #f5f6f8 (16:1), secondary text #57606a on white (6.2:1)
 * and on the background (5.7:1), primary #0b5cad with white text (6.7:1), danger #b42318 with
 * white (6.5:1), field borders #6e7781 (4.6:1 against white); focus is a 3px amber outline.
 */
const STYLE = [
  '*,*::before,*::after{box-sizing:border-box}',
  'html{-webkit-text-size-adjust:100%;text-size-adjust:100%}',
  'body{margin:0;background:#f5f6f8;color:#1b1f24;font-size:16px;line-height:1.5;' +
    'font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif}',
  'main{max-width:40rem;margin:0 auto;padding:1.5rem 1rem 3rem}',
  '.brand{margin:0 0 1rem;font-weight:700;color:#0b5cad;letter-spacing:.02em}',
  'h1{font-size:1.5rem;line-height:1.25;margin:0 0 1rem}',
  'h2{font-size:1.125rem;line-height:1.3;margin:0 0 .75rem}',
  'p{margin:0 0 1rem}',
  '.card{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:1.25rem;margin:0 0 1rem}',
  '.card>:last-child{margin-bottom:0}',
  'dl{margin:0}',
  'dt{font-weight:600;color:#57606a;font-size:.875rem}',
  'dd{margin:0 0 .75rem;overflow-wrap:anywhere}',
  'dd:last-child{margin-bottom:0}',
  'a{color:#0b5cad;overflow-wrap:anywhere}',
  'label{display:block;font-weight:600;margin:0 0 .25rem}',
  '.hint{display:block;color:#57606a;font-size:.875rem;margin:0 0 .5rem}',
  'textarea{display:block;width:100%;min-height:6rem;margin:0 0 1rem;padding:.5rem .75rem;' +
    'font:inherit;color:#1b1f24;background:#fff;border:1px solid #6e7781;border-radius:6px;resize:vertical}',
  '.actions{display:flex;flex-wrap:wrap;gap:.75rem}',
  'button{font:inherit;font-weight:600;min-height:2.75rem;padding:.5rem 1.25rem;border-radius:6px;' +
    'border:1px solid #0b5cad;background:#0b5cad;color:#fff;cursor:pointer}',
  'button:hover{background:#094a8c}',
  'button.secondary{background:#fff;color:#0b5cad}',
  'button.secondary:hover{background:#eef4fb}',
  'button.danger{border-color:#b42318;background:#b42318;color:#fff}',
  'button.danger:hover{background:#912018}',
  ':focus-visible{outline:3px solid #f59e0b;outline-offset:2px}',
  '.notice{background:#eef4fb;border:1px solid #0b5cad;border-left-width:4px;border-radius:8px;padding:.75rem 1rem;margin:0 0 1rem}',
  '.alert{background:#fdecea;border:1px solid #b42318;border-left-width:4px;border-radius:8px;padding:.75rem 1rem;margin:0 0 1rem}',
  '@media (max-width:30rem){main{padding:1rem .75rem 2rem}.card{padding:1rem}button{width:100%}}',
].join('\n');

const HTML_LANG: Record<Language, string> = { en: 'en', es: 'es', zh: 'zh-CN' };

/** A whole page: `title` as its heading, `body` already escaped HTML. */
export function partnerPage(language: Language, title: string, body: string): string {
  return `<!doctype html>
<html lang="${HTML_LANG[language] ?? 'en'}">
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

/**
 * The reader's language from Accept-Language, for pages reached with a link that says nothing we
 * can trust (tampered, malformed): the best-weighted of en, es, zh; English otherwise.
 */
export function acceptedLanguage(header: string | string[] | undefined): Language {
  const value = Array.isArray(header) ? header.join(',') : (header ?? '');
  let best: { language: Language; q: number } | undefined;
  for (const part of value.split(',').slice(0, 20)) {
    const [tag, ...params] = part.trim().toLowerCase().split(';');
    const primary = tag.split('-')[0] as Language;
    if (!(LANGUAGES as readonly string[]).includes(primary)) continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!Number.isFinite(q) || q <= 0) continue;
    if (!best || q > best.q) best = { language: primary, q };
  }
  return best?.language ?? 'en';
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

import { LANGUAGES } from '@libs/domain';
import { acceptedLanguage } from '@libs/notifications';
import { PALETTE } from './partner-page';
import { partnerPageSamples } from './partner-page.samples';

/** WCAG 2 contrast ratio of two #rrggbb colours. */
function contrast(a: string, b: string): number {
  const luminance = (hex: string): number => {
    const [r, g, b2] = [1, 3, 5].map((i) => {
      const c = parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b2;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

describe('partner pages', () => {
  it('keep every text colour pair at 4.5:1 or more, and field borders at 3:1', () => {
    const c = PALETTE;
    const text: [string, string, string][] = [
      ['text on the background', c.text, c.background],
      ['text on a card', c.text, c.card],
      ['secondary text on a card', c.muted, c.card],
      ['secondary text on the background', c.muted, c.background],
      ['links and the brand on a card', c.primary, c.card],
      ['the brand on the background', c.primary, c.background],
      ['primary button', c.onColour, c.primary],
      ['primary button, hovered', c.onColour, c.primaryHover],
      ['danger button', c.onColour, c.danger],
      ['danger button, hovered', c.onColour, c.dangerHover],
      ['secondary button, hovered', c.primary, c.noticeBackground],
      ['a notice', c.text, c.noticeBackground],
      ['an alert', c.text, c.alertBackground],
    ];
    const low = text
      .map(([what, fg, bg]) => ({ what, ratio: contrast(fg, bg) }))
      .filter(({ ratio }) => ratio < 4.5);
    expect(low).toEqual([]);
    expect(contrast(c.field, c.card)).toBeGreaterThanOrEqual(3);
  });

  it.each(LANGUAGES)(
    '%s: are phone-sized, labelled, focus-visible, and need no script',
    (language) => {
      for (const html of partnerPageSamples(language)) {
        expect(html).toContain(`<html lang="${language === 'zh' ? 'zh-CN' : language}">`);
        expect(html).toContain(
          '<meta name="viewport" content="width=device-width, initial-scale=1">',
        );
        expect(html).toContain('main{max-width:40rem;');
        expect(html).toContain(':focus-visible{outline:3px solid #f59e0b;outline-offset:2px}');
        expect(html).not.toMatch(/<script|\sstyle=|\son\w+=|javascript:/i);
        // Every field has a label that names it, and a hint tied to it.
        const fields = [...html.matchAll(/<textarea id="([^"]+)"[^>]*aria-describedby="([^"]+)"/g)];
        expect(fields.length).toBe((html.match(/<textarea/g) ?? []).length);
        for (const [, id, hint] of fields) {
          expect(html).toMatch(new RegExp(`<label for="${id}">[^<]+</label>`));
          expect(html).toContain(`id="${hint}"`);
        }
        // Every button says what it does.
        for (const [, label] of html.matchAll(/<button[^>]*>([^<]*)<\/button>/g)) {
          expect(label.trim().length).toBeGreaterThan(0);
        }
        // One heading for the page.
        expect(html.match(/<h1>/g)).toHaveLength(1);
      }
    },
  );

  it('offer the approval page’s contact a comment for the coordinator, named by a nonce', () => {
    const html = partnerPageSamples('zh')[0];
    expect(html.match(/<form method="post" action="\/a\/token"/g)).toHaveLength(2);
    expect(html).toContain('<h2 id="comment-heading">给协调人的评论</h2>');
    expect(html).toContain('Ana 将通过电子邮件收到');
    expect(html).toContain('name="nonce" value="00000000-0000-4000-8000-000000000002"');
  });

  it('give each form its own heading (the task page has three forms)', () => {
    const html = partnerPageSamples('es')[1];
    expect(html.match(/<form method="post" action="\/t\/token"/g)).toHaveLength(3);
    // The comment form names its comment, so that sending it twice is one comment.
    expect(html).toContain(
      '<input type="hidden" name="nonce" value="00000000-0000-4000-8000-000000000001">',
    );
    for (const id of ['done-heading', 'blocked-heading', 'comment-heading']) {
      expect(html).toContain(`aria-labelledby="${id}"`);
      expect(html).toContain(`<h2 id="${id}">`);
    }
  });
});

describe(acceptedLanguage.name, () => {
  it.each([
    ['es-ES,es;q=0.9,en;q=0.8', 'es'],
    ['zh-CN,zh;q=0.9', 'zh'],
    ['fr-FR,fr;q=0.9,zh;q=0.5,es;q=0.4', 'zh'],
    ['en;q=0.2, es;q=0.7', 'es'],
    ['de-DE', 'en'],
    ['es;q=0', 'en'],
    ['', 'en'],
    [undefined, 'en'],
  ] as const)('%s → %s', (header, language) => {
    expect(acceptedLanguage(header)).toBe(language);
  });
});

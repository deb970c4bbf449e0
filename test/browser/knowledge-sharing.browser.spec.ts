import type { Language } from '@libs/domain';
import en from '../../web/src/i18n/en';
import es from '../../web/src/i18n/es';
import { expectAccessible, READERS, signInAt } from '../support/browser';
import { foundingCaseRequest } from '../support/fixtures';
import { http } from '../support/stack';
import { usePlatformInBrowser } from '../support/platform-browser';

const CATALOGS = { en, es } as const;
const SPANISH = 'Ayudas del IVACE y préstamos del CDTI para empresas emergentes.';
const CHINESE = '成都天使投资引导基金与科技金融政策。';

/**
 * The partnership page's "Knowledge sharing" panel in Debian's chromium, everything real: a
 * coordinator sees both organisations' contributions to a topic side by side, each marked with
 * the language it is written in, and downloads the Markdown export holding both as written; in
 * English and in Spanish, with axe.
 */
describe('knowledge sharing on the partnership page', () => {
  const { platform, publicBase, session } = usePlatformInBrowser();
  const base = (): string => publicBase().origin;
  const v1 = (path: string): string => `${platform().api.url}/api/v1${path}`;
  let id = '';

  beforeAll(async () => {
    expect((await http('PATCH', v1('/me'), { language: null })).status).toBe(200);
    const created = await http('POST', v1('/partnerships'), foundingCaseRequest());
    expect(created.status).toBe(201);
    id = created.body.id;
    const organisations = created.body.organisations as Record<string, any>[];
    const speaks = (language: string) =>
      organisations.find((o) => o.contacts[0].language === language)!.id as string;
    for (const [organisationId, text, language] of [
      [speaks('es'), SPANISH, 'es'],
      [speaks('zh'), CHINESE, 'zh'],
    ]) {
      const saved = await http(
        'PUT',
        v1(
          `/partnerships/${id}/knowledge/topics/funding_environment/contributions/${organisationId}`,
        ),
        { text, language, links: ['https://www.ivace.es/'] },
      );
      expect(saved.status).toBe(200);
    }
  });

  it.each<Language & keyof typeof CATALOGS>(['en', 'es'])(
    'in %s: both contributions side by side in their languages, and the Markdown download',
    async (language) => {
      const t = CATALOGS[language];
      const { page, problems } = await session.openPage({
        locale: READERS[language].locale,
        timezoneId: 'Europe/Madrid',
      });
      await signInAt(page, base(), t);
      await page.goto(`${base()}/partnerships/${id}`);
      const panel = page.getByRole('region', { name: t.knowledge.title });
      const spanish = panel.locator('p.knowledge-text[lang="es"]', { hasText: SPANISH });
      const chinese = panel.locator('p.knowledge-text[lang="zh"]', { hasText: CHINESE });
      await spanish.waitFor();
      await chinese.waitFor();
      // Side by side: the two sides of the topic share one row on a desktop screen.
      const [a, b] = [await spanish.boundingBox(), await chinese.boundingBox()];
      expect(a && b && Math.abs(a.y - b.y) < 40 && a.x !== b.x).toBe(true);
      const topic =
        es.knowledge.title && language === 'es' ? 'Entorno de financiación' : 'Funding environment';
      await panel.getByRole('heading', { level: 3, name: new RegExp(topic) }).waitFor();

      // The browser this suite launches cancels file downloads: the page's save is caught at the
      // anchor it clicks, and the file read from the blob it was made from.
      // (A string: this runs in the page, whose DOM types the tests' compiler does not have.)
      await page.evaluate(
        'window.saved = []; window.blobs = []; const create = URL.createObjectURL; URL.createObjectURL = (blob) => { window.blobs.push(blob); return create.call(URL, blob); }; HTMLAnchorElement.prototype.click = function () { window.saved.push({ name: this.download, href: this.href }); };',
      );
      await panel.getByRole('button', { name: t.knowledge.downloadMarkdown }).click();
      const file = await page.waitForFunction(
        () => (globalThis as unknown as { saved: unknown[] }).saved[0],
      );
      const { name } = (await file.jsonValue()) as { name: string; href: string };
      expect(name).toBe(`knowledge-sharing-${id}.md`);
      const markdown = await page.evaluate(() =>
        (globalThis as unknown as { blobs: { text(): Promise<string> }[] }).blobs[0].text(),
      );
      expect(markdown).toContain(CHINESE);
      expect(markdown).toContain(
        'Ayudas del IVACE y préstamos del CDTI para empresas emergentes\\.',
      );

      await expectAccessible(page, `the knowledge-sharing panel (${language})`);
      expect(problems.all()).toEqual([]);
    },
  );
});

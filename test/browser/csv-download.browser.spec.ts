import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import zh from '../../web/src/i18n/zh';
import { expectAccessible, READERS, signInAt } from '../support/browser';
import { foundingCaseRequest } from '../support/fixtures';
import { http } from '../support/stack';
import { usePlatformInBrowser } from '../support/platform-browser';

/**
 * The board's "Download CSV" in Debian's chromium, in Chinese: the file holds the partnerships
 * the board shows under its current filters (search and status from the address), with a UTF-8
 * byte-order mark and the Chinese title intact.
 */
describe('the board’s CSV download', () => {
  const { platform, publicBase, session } = usePlatformInBrowser();
  const base = (): string => publicBase().origin;
  const v1 = (path: string): string => `${platform().api.url}/api/v1${path}`;
  const suffix = randomUUID().slice(0, 8);
  const ids: string[] = [];

  beforeAll(async () => {
    expect((await http('PATCH', v1('/me'), { language: null })).status).toBe(200);
    for (const title of [`成都清洁能源合作 ${suffix}`, `Valencia paused ${suffix}`]) {
      const created = await http('POST', v1('/partnerships'), {
        ...foundingCaseRequest(suffix),
        title,
      });
      expect(created.status).toBe(201);
      ids.push(created.body.id as string);
    }
    expect(
      (await http('POST', v1(`/partnerships/${ids[1]}/pause`), { comment: 'verano' })).status,
    ).toBe(200);
  });

  it('downloads what the filtered board shows', async () => {
    const { page, problems } = await session.openPage({
      locale: READERS.zh.locale,
      timezoneId: 'Asia/Shanghai',
    });
    await signInAt(page, base(), zh);
    // The browser this suite launches cancels file downloads: the page's save is caught at the
    // anchor it clicks, and the file read from the blob it was made from.
    const catchSaves =
      'window.saved = []; window.blobs = []; const create = URL.createObjectURL; URL.createObjectURL = (blob) => { window.blobs.push(blob); return create.call(URL, blob); }; HTMLAnchorElement.prototype.click = function () { window.saved.push({ name: this.download, href: this.href }); };';
    const download = async (): Promise<{ name: string; bytes: Buffer }> => {
      await page.evaluate(catchSaves);
      await page.getByRole('button', { name: zh.app.downloadCsv }).click();
      const file = await page.waitForFunction(
        () => (globalThis as unknown as { saved: unknown[] }).saved[0],
      );
      const { name } = (await file.jsonValue()) as { name: string };
      // Bytes, not text(): decoding would drop the byte-order mark.
      const bytes = await page.evaluate(async () =>
        Array.from(
          new Uint8Array(
            await (
              globalThis as unknown as { blobs: { arrayBuffer(): Promise<ArrayBuffer> }[] }
            ).blobs[0].arrayBuffer(),
          ),
        ),
      );
      return { name, bytes: Buffer.from(bytes) };
    };
    const idsOf = (bytes: Buffer): string[] =>
      (parse(bytes, { bom: true, columns: true }) as Record<string, string>[]).map((r) => r.ID);

    await page.goto(`${base()}/?q=${suffix}`);
    await page.getByRole('link', { name: new RegExp(`成都清洁能源合作 ${suffix}`) }).waitFor();
    const all = await download();
    expect(all.name).toBe('partnerships.csv');
    expect([...all.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(all.bytes.toString('utf8')).toContain(`成都清洁能源合作 ${suffix}`);
    expect(idsOf(all.bytes).sort()).toEqual([...ids].sort());

    // The status filter chosen on the board narrows the file too.
    await page.getByLabel(zh.board.status).selectOption('paused');
    await page.waitForURL(/status=paused/);
    expect(idsOf((await download()).bytes)).toEqual([ids[1]]);

    await expectAccessible(page, 'the board with its CSV download (zh)');
    expect(problems.all()).toEqual([]);
  });
});

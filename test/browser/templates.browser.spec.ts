import { randomUUID } from 'node:crypto';
import en from '../../web/src/i18n/en';
import es from '../../web/src/i18n/es';
import { expectAccessible, READERS, signInAt } from '../support/browser';
import { http } from '../support/stack';
import { usePlatformInBrowser } from '../support/platform-browser';

const fill = (text: string, values: Record<string, string | number>): string =>
  Object.entries(values).reduce((s, [k, v]) => s.replace(`{{${k}}}`, String(v)), text);

/** A template key of this file's own: new partnerships elsewhere keep default version 2. */
const KEY = `browser_${randomUUID().slice(0, 8)}`;

/**
 * Stage templates in Debian's chromium with everything real: an admin, in English, writes a new
 * version on the Templates page (a task added to the introduction, titled in each language),
 * sees what publishing needs and what changes, and publishes it; the coordinator's partnership
 * page, in Spanish, shows the version it keeps and what moving to the new one would change, and
 * the coordinator moves it.
 */
describe('an admin publishes a template version; a partnership shows what it would change', () => {
  const { publicBase, session, v1, newPartnership } = usePlatformInBrowser({
    PARTNERSHIP_TEMPLATE_KEY: KEY,
  });
  const base = (): string => publicBase().origin;
  let id = '';

  beforeAll(async () => {
    // Version 1: default version 2 as it is; a partnership starts with it.
    expect(
      (
        await http('POST', v1(`/templates/${KEY}/versions`), {
          copyFrom: { key: 'default', version: 2 },
        })
      ).status,
    ).toBe(201);
    expect((await http('POST', v1(`/templates/${KEY}/versions/1/publish`))).status).toBe(200);
    id = (await newPartnership()).id;
  });

  it('in English: a new draft, a task added by keyboard and titled in three languages, the diff, published', async () => {
    const { page, problems } = await session.openPage(READERS.en);
    await signInAt(page, base(), en);
    await page.getByRole('link', { name: en.nav.templates }).click();
    await page.getByRole('heading', { name: en.templates.title, level: 1 }).waitFor();
    await page.getByRole('button', { name: en.templates.newDraft }).click();
    const panel = page.getByRole('region', {
      name: fill(en.templates.versionOf, { key: KEY, version: 2 }),
    });
    await panel.getByRole('button', { name: en.templates.save }).waitFor();
    await expectAccessible(page, 'a template draft (en)');

    // Add a task to the introduction from the keyboard.
    const add = panel.getByRole('button', {
      name: fill(en.templates.addTaskTo, { stage: en.stages.introduction }),
    });
    await add.focus();
    await page.keyboard.press('Enter');
    const task = panel.getByRole('group', {
      name: fill(en.templates.taskNumber, { stage: en.stages.introduction, number: 4 }),
    });
    await task.getByLabel(en.templates.key, { exact: true }).fill('site_visit');
    await task
      .getByLabel(fill(en.templates.titleIn, { language: en.languages.en }))
      .fill('Visit each other’s sites');
    await task.getByLabel(en.templates.dueOffset).fill('10');
    await page.keyboard.press('Tab');

    // Saved without the Spanish and Chinese titles: publishing says what it still needs.
    await panel.getByRole('button', { name: en.templates.save }).click();
    await panel.getByRole('status').getByText(en.templates.saved).waitFor();
    const missing = fill(en.templates.problems.title_missing, {
      stage: en.stages.introduction,
      task: 'site_visit',
      language: en.languages.zh,
    });
    await panel.getByText(missing).waitFor();
    await panel
      .getByText(fill(en.templates.added, { title: 'Visit each other’s sites' }))
      .waitFor();
    await expectAccessible(page, 'a template draft with its problems and diff (en)');

    await task
      .getByLabel(fill(en.templates.titleIn, { language: en.languages.es }))
      .fill('Visitar las instalaciones de cada socio');
    await task
      .getByLabel(fill(en.templates.titleIn, { language: en.languages.zh }))
      .fill('互访对方机构');
    await panel.getByRole('button', { name: en.templates.save }).click();
    await panel.getByText(en.templates.ready).waitFor();

    await panel.getByRole('button', { name: en.templates.publish }).click();
    const dialog = page.getByRole('dialog', { name: en.templates.publishTitle });
    await dialog.waitFor();
    await expectAccessible(page, 'the confirmation to publish a template version (en)');
    await dialog.getByRole('button', { name: en.templates.publish }).click();
    await panel
      .getByText(fill(en.templates.gateIs, { rule: en.templates.gatePartnersAny }))
      .waitFor();
    const list = (await http('GET', v1('/templates'))).body.items as Record<string, any>[];
    expect(list.filter((v) => v.key === KEY).map((v) => [v.version, v.status, v.current])).toEqual([
      [1, 'published', false],
      [2, 'published', true],
    ]);
    const published = (await http('GET', v1(`/templates/${KEY}/versions/2`))).body;
    expect(published.stages[0].tasks.at(-1)).toEqual({
      key: 'site_visit',
      kind: 'task',
      required: true,
      dueOffsetDays: 10,
      titles: {
        en: 'Visit each other’s sites',
        es: 'Visitar las instalaciones de cada socio',
        zh: '互访对方机构',
      },
    });
    expect(problems.all()).toEqual([]);
  });

  it('in Spanish: the partnership keeps version 1, shows what version 2 would change and moves to it', async () => {
    const { page, problems } = await session.openPage(READERS.es);
    await signInAt(page, base(), es);
    await page.goto(`${base()}/partnerships/${id}`);
    const section = page.getByRole('region', { name: es.templates.ofPartnership });
    await section.getByText(fill(es.templates.keeps, { key: KEY, version: 1 })).waitFor();
    await section.getByText(fill(es.templates.wouldChange, { version: 2 })).waitFor();
    await section
      .getByText(fill(es.templates.added, { title: 'Visitar las instalaciones de cada socio' }))
      .waitFor();
    await expectAccessible(page, 'a partnership page with a newer template version (es)');
    expect((await http('GET', v1(`/partnerships/${id}`))).body.templateVersion).toBe(1);

    // The coordinator moves it, by keyboard, with a comment.
    const moveTo = fill(es.templates.moveTo, { version: 2 });
    await section.getByRole('button', { name: moveTo }).focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: moveTo });
    await dialog.getByText(es.templates.moveExplained).waitFor();
    await expectAccessible(page, 'the confirmation to move a partnership to a newer version (es)');
    await dialog.getByLabel(es.changes.comment).fill('Normas del programa 2027');
    await dialog.getByRole('button', { name: es.templates.confirmMove }).click();
    await dialog.waitFor({ state: 'detached' });
    await section.getByText(fill(es.templates.keeps, { key: KEY, version: 2 })).waitFor();
    await page
      .getByRole('region', { name: es.partnership.timeline })
      .getByText(fill(es.events['partnership.template_changed'], { name: 2 }))
      .waitFor();
    await page.getByText('Visitar las instalaciones de cada socio').first().waitFor();
    const moved = (await http('GET', v1(`/partnerships/${id}`))).body;
    expect(moved.templateVersion).toBe(2);
    expect(problems.all()).toEqual([]);
  });
});

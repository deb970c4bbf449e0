import en from '../../web/src/i18n/en';
import zh from '../../web/src/i18n/zh';
import { expectAccessible, READERS, signInAt } from '../support/browser';
import { foundingCaseRequest } from '../support/fixtures';
import { http, waitFor } from '../support/stack';
import { usePlatformInBrowser } from '../support/platform-browser';

type Json = Record<string, any>;

const fill = (message: string, values: Record<string, string>): string =>
  message.replace(/\{\{(\w+)\}\}/g, (_, name: string) => values[name] ?? `{{${name}}}`);

/**
 * Changing a running partnership on its page, in Debian's chromium with everything real: a
 * coordinator renames it and changes its areas in the "Edit details" dialog, moves a contact to
 * another time zone in the contact's dialog, and removes the third partner with a reason; each
 * change shows on the page and on the timeline in the reader's words, and the dialogs are
 * keyboard-usable and axe clean, in English and in Chinese.
 */
describe('changing a partnership on its page', () => {
  const { platform, publicBase, session, newPartnership } = usePlatformInBrowser();
  const base = (): string => publicBase().origin;
  const v1 = (path: string): string => `${platform().api.url}/api/v1${path}`;

  function threePartners(): Json {
    const request = foundingCaseRequest();
    const suffix = request.title.slice(-8);
    request.organisations.push({
      name: `Chengdu Tianfu Innovation Centre ${suffix}`,
      region: 'Sichuan',
      country: 'CN',
      kind: 'agency',
      contacts: [
        {
          name: '王芳',
          email: `wang.fang+${suffix}@tianfu.example`,
          language: 'zh',
          timeZone: 'Asia/Shanghai',
        },
      ],
    });
    return request;
  }

  it('renames it, moves a contact to another zone and removes a partner, in English', async () => {
    const request = threePartners();
    const created = await newPartnership(request);
    const id = created.id as string;
    const { page, problems } = await session.openPage(READERS.en);
    await signInAt(page, base(), en);
    await page.goto(`${base()}/partnerships/${id}`);
    await page.getByRole('heading', { level: 1, name: request.title }).waitFor();

    // Details: the dialog opens on the title; Save sends only what changed.
    await page.getByRole('button', { name: en.changes.editDetails }).click();
    const dialog = page.getByRole('dialog', { name: en.changes.editDetails });
    const title = dialog.getByLabel(en.create.name);
    await title.waitFor();
    await expectAccessible(page, 'the Edit details dialog');
    await title.fill('Valencia – Chengdu: energy and mobility');
    await dialog.getByLabel(en.partnership.areas).fill('Clean energy\nSustainable mobility');
    await dialog.getByLabel(en.changes.comment).fill('Steering committee, 1 December');
    await dialog.getByRole('button', { name: en.changes.save }).click();
    await page
      .getByRole('heading', { level: 1, name: 'Valencia – Chengdu: energy and mobility' })
      .waitFor({ timeout: 20_000 });
    await page.getByText(en.changes.saved).waitFor();
    const timeline = page.locator('ol.timeline');
    await timeline
      .getByText(
        fill(en.events['partnership.renamed'], { name: 'Valencia – Chengdu: energy and mobility' }),
      )
      .waitFor({ timeout: 20_000 });
    await timeline.getByText(en.events['partnership.areas_changed']).waitFor();
    await timeline.getByText('Steering committee, 1 December').first().waitFor();
    const detail = (await http('GET', v1(`/partnerships/${id}`))).body;
    expect(detail.areas).toEqual(['Clean energy', 'Sustainable mobility']);
    expect(detail.coordinator).toEqual(created.coordinator);

    // A contact's zone: their dialog, by their name; the invalid zone is refused on the field.
    const raquel = request.organisations[0].contacts[0];
    await page
      .getByRole('button', { name: fill(en.changes.editContactNamed, { name: raquel.name }) })
      .click();
    const contact = page.getByRole('dialog', {
      name: fill(en.changes.editContactNamed, { name: raquel.name }),
    });
    const zone = contact.getByRole('combobox', { name: en.create.timeZone });
    await zone.fill('Mars/Olympus');
    await contact.getByRole('button', { name: en.changes.save }).click();
    await contact.getByText(en.validation.timeZone).waitFor();
    await expectAccessible(page, 'a contact’s dialog with a refused zone');
    await zone.fill('America/Mexico_City');
    await contact.getByRole('button', { name: en.changes.save }).click();
    await page.getByText(en.changes.contactSaved).waitFor({ timeout: 20_000 });
    await timeline
      .getByText(fill(en.events['contact.updated'], { name: raquel.name }))
      .waitFor({ timeout: 20_000 });
    const contactAfter = (await http('GET', v1(`/partnerships/${id}`))).body.organisations
      .flatMap((o: Json) => o.contacts as Json[])
      .find((c: Json) => c.email === raquel.email);
    expect(contactAfter.timeZone).toBe('America/Mexico_City');

    // The third partner leaves, with a reason.
    const tianfu = request.organisations[2].name as string;
    await page
      .getByRole('button', { name: fill(en.changes.removeNamed, { name: tianfu }) })
      .click();
    const leave = page.getByRole('dialog', {
      name: fill(en.changes.removeNamed, { name: tianfu }),
    });
    await leave.getByLabel(en.partnership.reason).fill('The centre left the programme');
    await leave.getByRole('button', { name: en.changes.confirmRemove }).click();
    await timeline
      .getByText(fill(en.events['organisation.removed'], { name: tianfu }))
      .waitFor({ timeout: 20_000 });
    await waitFor(
      async () =>
        (await page.locator('.partner h3').allInnerTexts()).every((t) => !t.includes(tianfu)),
      { what: 'the partner gone from the page' },
    );
    // Two partners stay: no more Remove buttons.
    expect(await page.getByRole('button', { name: /^Remove / }).count()).toBe(0);
    expect(problems.all()).toEqual([]);
  });

  it('says the same in Chinese, and refuses a change that changes nothing', async () => {
    const request = threePartners();
    const created = await newPartnership(request);
    const id = created.id as string;
    const { page, problems } = await session.openPage(READERS.zh);
    await signInAt(page, base(), zh);
    await page.goto(`${base()}/partnerships/${id}`);
    await page.getByRole('heading', { level: 1, name: request.title }).waitFor();
    await page.getByRole('button', { name: zh.changes.editDetails }).click();
    const dialog = page.getByRole('dialog', { name: zh.changes.editDetails });
    await dialog.getByLabel(zh.create.name).waitFor();
    // Nothing changed: said at once, nothing sent.
    await dialog.getByRole('button', { name: zh.changes.save }).click();
    await dialog.getByText(zh.errors.NOTHING_TO_CHANGE).waitFor();
    await dialog.getByLabel(zh.create.coordinatorName).fill('王协调');
    await expectAccessible(page, 'the Edit details dialog in Chinese');
    await dialog.getByRole('button', { name: zh.changes.save }).click();
    await page
      .locator('ol.timeline')
      .getByText(fill(zh.events['partnership.coordinator_changed'], { name: '王协调' }))
      .waitFor({ timeout: 20_000 });
    const events = (await http('GET', v1(`/partnerships/${id}/timeline?pageSize=100`))).body
      .items as Json[];
    expect(events.filter((e) => e.type.startsWith('partnership.')).map((e) => e.type)).toEqual([
      'partnership.created',
      'partnership.coordinator_changed',
    ]);
    expect(problems.all()).toEqual([]);
  });
});

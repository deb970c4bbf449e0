import { randomUUID } from 'node:crypto';
import es from '../../web/src/i18n/es';
import { expectAccessible, READERS, signInAt } from '../support/browser';
import { foundingCaseRequest } from '../support/fixtures';
import { http, waitFor } from '../support/stack';
import { usePlatformInBrowser } from '../support/platform-browser';

type Json = Record<string, any>;

const fill = (message: string, values: Record<string, string | number>): string =>
  message.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(values[name] ?? `{{${name}}}`));

const PASSWORD = 'a long coordinator passphrase';

/**
 * Who takes part, changed on the partnership's page by its coordinator, in Spanish, in Debian's
 * chromium with everything real: a new partner organisation joins with its first contact, a
 * contact joins IVACE, and IVACE's Raquel, who has an approval request to answer and an open
 * task, is deactivated with her new colleague taking over (the dialog says what she leaves
 * behind and asks who takes it); she is marked as no longer taking part and offered nowhere for
 * choosing, the timeline says each step, and she is reactivated. Axe checks each dialog and the
 * page.
 */
describe('partners joining and leaving on the partnership page', () => {
  const { session, publicBase, v1, newPartnership } = usePlatformInBrowser();
  const base = (): string => publicBase().origin;
  const email = `lucia-${randomUUID().slice(0, 8)}@iurc.example`;

  it('in Spanish: adds a partner and a contact, deactivates Raquel for Pablo, reactivates her', async () => {
    const request = foundingCaseRequest();
    const suffix = request.title.slice(-8);
    const created = await newPartnership(request);
    const id = created.id as string;
    const ivace = (created.organisations as Json[]).find((o) => o.name.includes('IVACE'))!;
    const raquel = (ivace.contacts as Json[])[0];

    // A coordinator of this partnership (not an admin), who acts on it from its page.
    const user = await http('POST', v1('/users'), {
      email,
      name: 'Lucía Coordinadora',
      role: 'coordinator',
      password: PASSWORD,
    });
    expect(user.status).toBe(201);
    const member = await http('PUT', v1(`/partnerships/${id}/members/${user.body.id}`), {
      role: 'coordinator',
    });
    expect(member.status).toBe(200);
    // What Raquel leaves behind: a request she has still to answer, and an open task.
    const deadline = new Date(Date.now() + 7 * 86_400_000).toISOString();
    const asked = await http('POST', v1(`/partnerships/${id}/approvals`), {
      subject: { kind: 'document', title: 'Memorando de entendimiento' },
      deadline,
      organisations: [
        { organisationId: ivace.id, rule: { kind: 'any' }, approverContactIds: [raquel.id] },
      ],
    });
    expect(asked.status).toBe(201);
    const task = (created.tasksByStage.introduction as Json[])[0];
    const assigned = await http('PATCH', v1(`/partnerships/${id}/tasks/${task.id}`), {
      assigneeContactId: raquel.id,
    });
    expect(assigned.status).toBe(200);

    const { page, problems } = await session.openPage(READERS.es);
    await signInAt(page, base(), es, email, PASSWORD);
    await page.goto(`${base()}/partnerships/${id}`);
    await page.getByRole('heading', { level: 1, name: request.title }).waitFor();
    const timeline = page.locator('ol.timeline');
    const partners = page.getByRole('region', { name: es.partnership.partners });

    // A new partner organisation with its first contact; an empty form is refused at once.
    const tianfu = `Chengdu Tianfu Innovation Centre ${suffix}`;
    await partners.getByRole('button', { name: es.partners.addOrganisation }).click();
    const join = page.getByRole('dialog', { name: es.partners.addOrganisation });
    await join.getByRole('button', { name: es.partners.confirmAddOrganisation }).click();
    await join.getByText(es.create.fixErrors).waitFor();
    await expectAccessible(page, 'the add-a-partner dialog, refused empty (es)');
    await join.locator('#add-partner-name').fill(tianfu);
    await join.getByLabel(es.create.kind).selectOption('agency');
    await join.getByRole('combobox', { name: es.create.country }).fill('CN');
    await page.keyboard.press('Escape');
    await join.getByLabel(es.create.region).fill('Sichuan');
    const first = join.getByRole('group', { name: es.partners.firstContact });
    await first.getByLabel(es.create.contactName).fill('王芳');
    await first.getByLabel(es.create.contactEmail).fill(`wang.fang+${suffix}@tianfu.example`);
    await first.getByLabel(es.create.contactLanguage).selectOption('zh');
    await first.getByRole('combobox', { name: es.create.timeZone }).fill('Asia/Shanghai');
    await page.keyboard.press('Escape');
    await expectAccessible(page, 'the add-a-partner dialog, filled in (es)');
    await join.getByRole('button', { name: es.partners.confirmAddOrganisation }).click();
    await partners.getByText(fill(es.partners.organisationAdded, { name: tianfu })).waitFor({
      timeout: 20_000,
    });
    await partners.getByRole('heading', { level: 3, name: tianfu }).waitFor();
    await timeline
      .getByText(fill(es.events['organisation.added'], { name: tianfu }))
      .waitFor({ timeout: 20_000 });

    // A contact joins IVACE; the zone starts as her colleague's.
    const addTo = fill(es.partners.addContactTo, { name: ivace.name });
    await partners.getByRole('button', { name: addTo }).click();
    const contact = page.getByRole('dialog', { name: addTo });
    const zone = contact.getByRole('combobox', { name: es.create.timeZone });
    expect(await zone.inputValue()).toContain('Madrid');
    await contact.getByLabel(es.create.contactName).fill('Pablo Ferrer');
    await contact.getByLabel(es.create.contactEmail).fill(`pablo+${suffix}@ivace.example`);
    await contact.getByLabel(es.create.contactRole).fill('Proyectos europeos');
    await contact.getByLabel(es.create.contactLanguage).selectOption('es');
    await expectAccessible(page, 'the add-a-contact dialog (es)');
    await contact.getByRole('button', { name: es.partners.confirmAddContact }).click();
    await partners
      .getByText(fill(es.partners.contactAdded, { name: 'Pablo Ferrer' }))
      .waitFor({ timeout: 20_000 });
    await timeline
      .getByText(fill(es.events['contact.added'], { name: 'Pablo Ferrer' }))
      .waitFor({ timeout: 20_000 });
    const pablo = ((await http('GET', v1(`/partnerships/${id}`))).body.organisations as Json[])
      .flatMap((o) => o.contacts as Json[])
      .find((c) => c.name === 'Pablo Ferrer')!;
    expect(pablo).toMatchObject({ active: true, language: 'es', timeZone: 'Europe/Madrid' });

    // Raquel leaves: the dialog says what she leaves behind; without a colleague it is refused.
    const leaveTitle = fill(es.partners.deactivateNamed, { name: raquel.name });
    await partners.getByRole('button', { name: leaveTitle }).click();
    const leave = page.getByRole('dialog', { name: leaveTitle });
    await leave.getByText(fill(es.partners.awaiting_one, { count: 1 }), { exact: false }).waitFor();
    await leave
      .getByText(fill(es.partners.openTasks_one, { count: 1 }), { exact: false })
      .waitFor();
    await leave.getByLabel(es.partnership.reason).fill('Raquel dejó IVACE en noviembre');
    await leave.getByRole('button', { name: es.partners.confirmDeactivate }).click();
    await leave.getByText(es.validation.required).waitFor();
    const delegate = leave.getByLabel(es.partners.delegateTo);
    await delegate.selectOption({ label: 'Pablo Ferrer' });
    await leave.getByText(fill(es.partners.delegateHelp, { name: 'Pablo Ferrer' })).waitFor();
    await expectAccessible(page, 'the deactivate dialog with a colleague chosen (es)');
    await leave.getByRole('button', { name: es.partners.confirmDeactivate }).click();
    await timeline
      .getByText(fill(es.partners.handedOver, { name: raquel.name, delegate: 'Pablo Ferrer' }))
      .waitFor({ timeout: 20_000 });
    await timeline.getByText('Raquel dejó IVACE en noviembre').waitFor();
    const raquelRow = partners.locator('li', { hasText: raquel.name });
    await raquelRow.getByText(es.partners.inactive).waitFor();
    // What she had went to Pablo, and she is offered for no choice on the page.
    const after = (await http('GET', v1(`/partnerships/${id}`))).body as Json;
    const contacts = (after.organisations as Json[]).flatMap((o) => o.contacts as Json[]);
    expect(contacts.find((c) => c.id === raquel.id)).toMatchObject({ active: false });
    expect(
      (after.tasksByStage.introduction as Json[]).find((x) => x.id === task.id)!.assigneeContactId,
    ).toBe(pablo.id);
    const approval = (await http('GET', v1(`/approvals/${asked.body.id}`))).body as Json;
    expect(approval.awaiting).toEqual([pablo.id]);
    expect(await page.locator('option', { hasText: 'Pablo Ferrer' }).count()).toBeGreaterThan(0);
    expect(await page.locator('option', { hasText: raquel.name }).count()).toBe(0);
    const meeting = page.getByRole('region', { name: es.meetingTime.title });
    await meeting.getByRole('checkbox', { name: /Pablo Ferrer/ }).waitFor();
    expect(await meeting.getByRole('checkbox', { name: new RegExp(raquel.name) }).count()).toBe(0);
    await expectAccessible(page, 'the partnership with a contact no longer taking part (es)');

    // She takes part again.
    const backTitle = fill(es.partners.reactivateNamed, { name: raquel.name });
    await partners.getByRole('button', { name: backTitle }).click();
    const back = page.getByRole('dialog', { name: backTitle });
    await back.getByText(fill(es.partners.reactivateExplained, { name: raquel.name })).waitFor();
    await expectAccessible(page, 'the reactivate dialog (es)');
    await back.getByRole('button', { name: es.partners.confirmReactivate }).click();
    await timeline
      .getByText(fill(es.events['contact.reactivated'], { name: raquel.name }))
      .waitFor({ timeout: 20_000 });
    await waitFor(async () => (await raquelRow.getByText(es.partners.inactive).count()) === 0, {
      what: 'the “no longer takes part” badge gone',
    });
    const final = (await http('GET', v1(`/partnerships/${id}`))).body as Json;
    expect(
      (final.organisations as Json[])
        .flatMap((o) => o.contacts as Json[])
        .find((c) => c.id === raquel.id),
    ).toMatchObject({ active: true });
    expect(problems.all()).toEqual([]);
  });
});

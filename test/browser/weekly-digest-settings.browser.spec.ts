import { randomUUID } from 'node:crypto';
import es from '../../web/src/i18n/es';
import { expectAccessible, READERS, signInAt } from '../support/browser';
import { http } from '../support/stack';
import { usePlatformInBrowser } from '../support/platform-browser';

const PASSWORD = 'a long coordinator passphrase';

/**
 * A coordinator sets their weekly digest on their account page, in Spanish (Debian's chromium,
 * everything real): a zone the browser does not know is refused before anything is sent; Kolkata
 * and no digest are saved on the account (test/e2e/weekly-digest.e2e.spec.ts sends the digest).
 */
describe('the weekly digest on the account page', () => {
  const { publicBase, session, v1 } = usePlatformInBrowser();
  const base = (): string => publicBase().origin;
  const email = `lucia-${randomUUID().slice(0, 8)}@digest.example`;
  let id = '';

  beforeAll(async () => {
    const created = await http('POST', v1('/users'), {
      email,
      name: 'Lucía',
      role: 'coordinator',
      password: PASSWORD,
    });
    expect(created.status).toBe(201);
    id = created.body.id;
  });

  it('in Spanish: refuses an unknown zone, saves Kolkata and the digest off', async () => {
    const { page, problems } = await session.openPage(READERS.es);
    await signInAt(page, base(), es, email, PASSWORD);
    await page.getByRole('link', { name: es.nav.account }).click();
    const panel = page.getByRole('region', { name: es.digest.title });
    const zone = panel.getByRole('combobox', { name: es.digest.timeZone });
    const digest = panel.getByRole('checkbox', { name: es.digest.weeklyDigest });
    expect(await digest.isChecked()).toBe(true);

    await zone.fill('Marte/Olimpo');
    await page.keyboard.press('Escape');
    await panel.getByRole('button', { name: es.app.save }).click();
    await panel.getByText(es.validation.timeZone).first().waitFor();
    expect((await http('GET', v1(`/users/${id}`))).body).toMatchObject({
      timeZone: null,
      weeklyDigest: true,
    });

    await zone.fill('Asia/Kolkata');
    await page.keyboard.press('Escape');
    await digest.uncheck();
    await expectAccessible(page, 'the weekly digest settings of the account (es)');
    await panel.getByRole('button', { name: es.app.save }).click();
    await panel.getByText(es.account.saved).waitFor();
    expect((await http('GET', v1(`/users/${id}`))).body).toMatchObject({
      timeZone: 'Asia/Kolkata',
      weeklyDigest: false,
    });
    expect(problems.all()).toEqual([]);
  });
});

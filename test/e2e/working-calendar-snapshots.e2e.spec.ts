import { calendarSnapshot, refreshWorkingCalendars } from '@libs/calendars';
import {
  partnershipWorkflowId,
  PartnershipWorkflowArgs,
} from '@workflows/partnership/partnership.contract';
import { foundingCaseRequest } from '../support/fixtures';
import { http, Platform } from '../support/stack';
import { useCalendarSources, usePlatform } from '../support/use-platform';

/**
 * Working calendars end to end: the API gives a new partnership's workflow each partner's
 * calendar (the holiday data as installed), and `npm run calendars:refresh` gives them again to
 * every partnership that has not ended, once per day however often it runs.
 */
describe('working calendars (end to end)', () => {
  let platform: Platform;
  usePlatform((p) => (platform = p));
  const sources = useCalendarSources();

  async function created(): Promise<{
    id: string;
    organisations: { id: string; country: string; region: string | null }[];
  }> {
    const res = await http(
      'POST',
      `${platform.api.url}/api/v1/partnerships`,
      foundingCaseRequest(),
    );
    expect(res.status).toBe(201);
    return { id: res.body.id, organisations: res.body.organisations };
  }

  it('starts a partnership with each organisation’s calendar from the holiday data', async () => {
    const before = new Date();
    const { id, organisations } = await created();
    const history = await platform.client.workflow
      .getHandle(partnershipWorkflowId(id))
      .fetchHistory();
    const payload = history.events![0].workflowExecutionStartedEventAttributes!.input!.payloads![0];
    const args = JSON.parse(Buffer.from(payload.data!).toString('utf8')) as PartnershipWorkflowArgs;
    expect(args.kind).toBe('new');
    const calendars = args.kind === 'new' ? args.input.calendars : undefined;
    const byCountry = (country: string) => organisations.find((o) => o.country === country)!;
    const es = byCountry('ES');
    const cn = byCountry('CN');
    expect(Object.keys(calendars ?? {}).sort()).toEqual([es.id, cn.id].sort());
    // What the data says for the day it was made (the test cannot fix the clock of the API).
    expect(calendars![es.id]).toEqual(calendarSnapshot(es, before));
    expect(calendars![cn.id]).toEqual(calendarSnapshot(cn, before));
    // The Valencian and the Chinese calendars are not the same days.
    expect(calendars![es.id]).not.toEqual(calendars![cn.id]);
  });

  it('gives them again to the partnerships that have not ended, once a day however often it runs', async () => {
    const open = await created();
    const ended = await created();
    const close = await http('POST', `${platform.api.url}/api/v1/partnerships/${ended.id}/close`, {
      reason: 'Ended before the refresh',
    });
    expect(close.status).toBe(200);
    const updates = async (id: string) =>
      (
        (await platform.client.workflow.getHandle(partnershipWorkflowId(id)).fetchHistory())
          .events ?? []
      ).filter(
        (e) =>
          e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name ===
          'setWorkingCalendars',
      ).length;

    const today = new Date();
    const first = await refreshWorkingCalendars(sources(), platform.client, today, {
      only: [open.id, ended.id],
    });
    expect(first).toEqual({ updated: [open.id], failed: [] });
    expect(await updates(open.id)).toBe(1);
    expect(await updates(ended.id)).toBe(0);

    // Run again the same day: answered, applied once.
    const again = await refreshWorkingCalendars(sources(), platform.client, today, {
      only: [open.id, ended.id],
    });
    expect(again).toEqual({ updated: [open.id], failed: [] });
    expect(await updates(open.id)).toBe(1);
  });
});

import type { OrganisationsRepository } from './repositories/organisations.repository';
import type {
  PartnershipCalendarSources,
  PartnershipsRepository,
} from './repositories/partnerships.repository';

/**
 * What the working-calendars refresh reads (libs/calendars `refreshWorkingCalendars`): the
 * partnerships that have not ended with their organisations, and each organisation's closures.
 */
export function calendarRefreshSources(
  partnerships: PartnershipsRepository,
  organisations: OrganisationsRepository,
) {
  return async (filter: {
    only?: string[];
    organisationId?: string;
  }): Promise<PartnershipCalendarSources[]> => {
    const found = await partnerships.calendarSources(filter);
    const ids = [...new Set(found.flatMap((p) => p.organisations.map((o) => o.id)))];
    const closures = await organisations.closuresOf(ids);
    return found.map((p) => ({
      ...p,
      organisations: p.organisations.map((o) => ({ ...o, closures: closures.get(o.id) ?? [] })),
    }));
  };
}

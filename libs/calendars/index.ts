export {
  workingCalendarFor,
  holidayStateCode,
  chinaArrangementYears,
  holidayDataThrough,
  MAX_CALENDAR_SPAN_DAYS,
} from './working-calendar-for';
export type { OrganisationCalendarSource, Closure } from './working-calendar-for';
export {
  calendarSnapshot,
  calendarSnapshots,
  coordinatorCalendarSnapshot,
  SNAPSHOT_DAYS,
} from './snapshot';
export { refreshWorkingCalendars } from './refresh';
export type { CalendarsRefresh, CalendarsRefreshFilter } from './refresh';

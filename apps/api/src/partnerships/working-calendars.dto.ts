import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsOptional,
  Validate,
  ValidatorConstraint,
  ValidatorConstraintInterface,
} from 'class-validator';
import type { CalendarDay } from '@libs/domain';
import { IntegerFrom } from '../platform/dto-fields';
import { WorkingHoursDto } from './partnership.dto';

/** How many working days a contact's list has by default, and at most. */
export const DEFAULT_WORKING_DAYS = 10;
export const MAX_WORKING_DAYS = 31;

@ValidatorConstraint({ name: 'isCalendarDate' })
class IsCalendarDateConstraint implements ValidatorConstraintInterface {
  /**
   * A real date YYYY-MM-DD (not 30 February) from year 1000 (Date.UTC reads 0–99 as 19xx) to
   * 9998 (the calendar looks a year past it, and must stay a four-digit year).
   */
  validate(value: unknown): boolean {
    const match = typeof value === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) : null;
    if (!match || Number(match[1]) < 1000 || Number(match[1]) > 9998) return false;
    const d = new Date(Date.UTC(+match[1], +match[2] - 1, +match[3]));
    return d.toISOString().slice(0, 10) === value;
  }
  defaultMessage(): string {
    return 'from must be a date YYYY-MM-DD';
  }
}

export class WorkingCalendarsQuery {
  @ApiPropertyOptional({
    example: '2026-12-03',
    description: 'First date to look at (each contact’s own local date); default today in UTC',
  })
  @IsOptional()
  @Validate(IsCalendarDateConstraint)
  from?: string;

  @ApiPropertyOptional({
    default: DEFAULT_WORKING_DAYS,
    minimum: 1,
    maximum: MAX_WORKING_DAYS,
    description: 'How many working days to list for each contact',
  })
  @IsOptional()
  @Type(() => Number)
  @IntegerFrom(1, MAX_WORKING_DAYS)
  days?: number;
}

const CALENDAR_DAY_KINDS = [
  'public_holiday',
  'regional_holiday',
  'closure',
  'adjusted_working_day',
] as const satisfies readonly CalendarDay['kind'][];

export class CalendarDayView {
  @ApiProperty({ example: '2026-12-08' }) date: string;
  @ApiProperty({
    example: 'La inmaculada concepción',
    description: 'In the words of the data it comes from (the country’s language)',
  })
  name: string;
  @ApiProperty({ enum: CALENDAR_DAY_KINDS }) kind: CalendarDay['kind'];
}

export class WorkingDayView {
  @ApiProperty({ example: '2026-12-09', description: 'The contact’s local date' })
  date: string;
  @ApiProperty({ example: '09:00', description: 'Start of the working window, local wall clock' })
  localStart: string;
  @ApiProperty({ example: '18:00', description: 'End of the working window, local wall clock' })
  localEnd: string;
  @ApiProperty({ format: 'date-time', example: '2026-12-09T08:00:00.000Z' }) start: string;
  @ApiProperty({ format: 'date-time', example: '2026-12-09T17:00:00.000Z' }) end: string;
  @ApiProperty({
    description: 'An adjusted working day (调休): worked although the contact’s week leaves it off',
  })
  adjusted: boolean;
}

export class ContactWorkingDaysView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ example: 'Europe/Madrid' }) timeZone: string;
  @ApiProperty({ type: WorkingHoursDto }) workingHours: WorkingHoursDto;
  @ApiProperty({ type: [WorkingDayView], description: 'Earliest first, at most `days`' })
  nextWorkingDays: WorkingDayView[];
}

export class OrganisationWorkingCalendarView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ example: 'ES' }) country: string;
  @ApiProperty({ nullable: true, type: String, example: 'Valencian Community' })
  region: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    example: 'VC',
    description: 'The date-holidays state code the region maps to, or null',
  })
  holidayStateCode: string | null;
  @ApiProperty({
    description:
      'The organisation has a region that maps to no state of its country, so only the ' +
      'national holidays count: the coordinator may correct the region. Always false for ' +
      'China, whose arrangement is national.',
  })
  regionNotRecognised: boolean;
  @ApiProperty({
    nullable: true,
    type: String,
    example: '2027-01-01',
    description:
      'The first date, within a year of `from` (as far as reminders plan), that the official ' +
      'holiday data does not cover yet: China publishes its arrangement a year at a time, and ' +
      'until the data is updated only the weekly hours count from this date. Null when the data ' +
      'covers the year (countries whose holidays are computed from rules always do).',
  })
  holidayDataMissingFrom: string | null;
  @ApiProperty({ type: [CalendarDayView], description: 'Off days from `from` to `to`' })
  offDays: CalendarDayView[];
  @ApiProperty({
    type: [CalendarDayView],
    description: 'Adjusted working days from `from` to `to`',
  })
  workingDays: CalendarDayView[];
  @ApiProperty({ type: [ContactWorkingDaysView] }) contacts: ContactWorkingDaysView[];
}

export class WorkingCalendarsView {
  @ApiProperty({ example: '2026-12-03' }) from: string;
  @ApiProperty({
    example: '2026-12-10',
    description: 'The last date any contact’s list reaches (at least `from` + `days` − 1)',
  })
  to: string;
  @ApiProperty({ example: 10 }) days: number;
  @ApiProperty({ type: [OrganisationWorkingCalendarView] })
  organisations: OrganisationWorkingCalendarView[];
}

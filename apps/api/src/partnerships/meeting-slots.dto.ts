import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDateString, IsOptional, IsString, Length, Matches } from 'class-validator';
import {
  DEFAULT_MEETING_STEP_MINUTES,
  MAX_MEETING_DURATION_MINUTES,
  MAX_MEETING_RANGE_DAYS,
  MIN_MEETING_STEP_MINUTES,
} from '@libs/domain';
import { IntegerFrom, IsTimeZone } from '../platform/dto-fields';
import { WorkingHoursDto } from './partnership.dto';

/** An instant with its offset: `2027-01-11T08:00:00Z`, `2027-01-11T09:00+01:00`. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export class MeetingSlotsQuery {
  @ApiPropertyOptional({
    description:
      'Comma-separated ids of the partnership’s contacts who attend. Default: all its contacts.',
    example: '5f0c…,9a1e…',
  })
  @IsOptional()
  @IsString()
  @Length(0, 4000)
  contactIds?: string;

  @ApiProperty({
    format: 'date-time',
    example: '2027-01-11T00:00:00Z',
    description: 'Start of the range: no meeting starts before it',
  })
  @IsDateString({ strict: true }, { message: 'from must be an ISO 8601 instant' })
  @Matches(INSTANT, { message: 'from must be an ISO 8601 instant with Z or an offset' })
  from: string;

  @ApiProperty({
    format: 'date-time',
    example: '2027-01-16T00:00:00Z',
    description: `End of the range: every meeting ends by it; at most ${MAX_MEETING_RANGE_DAYS} days after from`,
  })
  @IsDateString({ strict: true }, { message: 'to must be an ISO 8601 instant' })
  @Matches(INSTANT, { message: 'to must be an ISO 8601 instant with Z or an offset' })
  to: string;

  @ApiProperty({ minimum: 1, maximum: MAX_MEETING_DURATION_MINUTES, example: 60 })
  @Type(() => Number)
  @IntegerFrom(1, MAX_MEETING_DURATION_MINUTES)
  durationMinutes: number;

  @ApiPropertyOptional({
    minimum: MIN_MEETING_STEP_MINUTES,
    maximum: 1440,
    default: DEFAULT_MEETING_STEP_MINUTES,
    description: 'Meetings start on multiples of this many minutes in UTC; it must divide a day',
  })
  @IsOptional()
  @Type(() => Number)
  @IntegerFrom(MIN_MEETING_STEP_MINUTES, 1440)
  stepMinutes?: number;

  @ApiPropertyOptional({
    example: 'Europe/Madrid',
    description:
      'The caller attends too, in this zone, working 09:00–18:00 Monday to Friday with no holidays',
  })
  @IsOptional()
  @IsTimeZone()
  coordinatorTimeZone?: string;
}

export class MeetingAttendeeView {
  @ApiProperty({ description: 'A contact’s id, or `coordinator` for the caller' }) id: string;
  @ApiProperty({ enum: ['contact', 'coordinator'] }) kind: 'contact' | 'coordinator';
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) organisationId: string | null;
  @ApiProperty({ nullable: true, type: String }) organisationName: string | null;
  @ApiProperty({ example: 'Europe/Madrid' }) timeZone: string;
  @ApiProperty({ type: WorkingHoursDto }) workingHours: WorkingHoursDto;
}

export class LocalWallTimeView {
  @ApiProperty({ example: '2027-01-11' }) date: string;
  @ApiProperty({ example: '09:00' }) time: string;
}

export class MeetingSlotAttendeeView {
  @ApiProperty() id: string;
  @ApiProperty({ example: 'Europe/Madrid' }) timeZone: string;
  @ApiProperty({ type: LocalWallTimeView }) start: LocalWallTimeView;
  @ApiProperty({ type: LocalWallTimeView }) end: LocalWallTimeView;
  @ApiProperty({ description: 'outsideMinutes + 2 × nightMinutes + offDayMinutes; 0 inside' })
  inconvenience: number;
  @ApiProperty({ description: 'Minutes outside this attendee’s working time' })
  outsideMinutes: number;
  @ApiProperty({ description: 'Of those, minutes between 22:00 and 07:00 in their zone' })
  nightMinutes: number;
  @ApiProperty({ description: 'Of those, minutes on a day they do not work' })
  offDayMinutes: number;
}

export class MeetingSlotView {
  @ApiProperty({ format: 'date-time' }) start: string;
  @ApiProperty({ format: 'date-time' }) end: string;
  @ApiProperty({ description: 'Inside every attendee’s working time' }) fitsEveryone: boolean;
  @ApiProperty() worstInconvenience: number;
  @ApiProperty() totalInconvenience: number;
  @ApiProperty({ type: [MeetingSlotAttendeeView], description: 'In the order of `attendees`' })
  attendees: MeetingSlotAttendeeView[];
}

export class MeetingSlotProposalsView {
  @ApiProperty({
    enum: ['common', 'fair'],
    description:
      '`common`: slots inside everyone’s working time, earliest first; `fair`: none fits everyone, ' +
      'the least inconvenient ranked so that the inconvenience is shared',
  })
  mode: 'common' | 'fair';
  @ApiProperty({ description: 'How many slots in the range fit everyone' })
  commonSlotCount: number;
  @ApiProperty({ description: 'How many slots the range holds' }) candidateCount: number;
  @ApiProperty({ description: 'More slots could have been proposed' }) truncated: boolean;
  @ApiProperty({ type: [MeetingAttendeeView] }) attendees: MeetingAttendeeView[];
  @ApiProperty({ type: [MeetingSlotView] }) slots: MeetingSlotView[];
}

import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  ValidateIf,
} from 'class-validator';
import {
  ATTENDEE_ANSWERS,
  CALENDAR_EVENT_KINDS,
  CALENDAR_EVENT_STATUSES,
  MAX_EVENT_ATTENDEES,
  MAX_EVENT_PLACE_LENGTH,
  MAX_EVENT_TITLE_LENGTH,
} from '@libs/domain';
import type {
  AttendeeAnswer,
  AttendeeReply,
  CalendarEventKind,
  CalendarEventStatus,
  Language,
} from '@libs/domain';
import { IsTimeZone } from '../platform/dto-fields';

/** An instant with its offset: `2027-01-11T08:00:00Z`, `2027-01-11T09:00+01:00`. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const INSTANT_MESSAGE = 'must be an ISO 8601 instant with Z or an offset';

/** An event's own fields, as a create gives them. */
export class CalendarEventFieldsDto {
  @ApiProperty({ enum: CALENDAR_EVENT_KINDS })
  @IsIn(CALENDAR_EVENT_KINDS)
  kind: CalendarEventKind;

  @ApiProperty({ example: 'Introductory meeting', maxLength: MAX_EVENT_TITLE_LENGTH })
  @IsString()
  @Length(1, MAX_EVENT_TITLE_LENGTH)
  title: string;

  @ApiProperty({ format: 'date-time', example: '2027-01-11T08:00:00Z' })
  @Matches(INSTANT, { message: `start ${INSTANT_MESSAGE}` })
  start: string;

  @ApiProperty({
    format: 'date-time',
    example: '2027-01-11T09:00:00Z',
    description: 'After start, at most 12 hours later',
  })
  @Matches(INSTANT, { message: `end ${INSTANT_MESSAGE}` })
  end: string;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'https://meet.example/intro',
    description: 'An https link to join online; a place, a link or both',
  })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @Length(1, 2000)
  onlineUrl?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'IVACE, Sala 2, València' })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @Length(1, MAX_EVENT_PLACE_LENGTH)
  place?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'introduction.introductory_meeting',
    description: 'The partnership’s task the event fulfils (e.g. its introductory meeting)',
  })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @Length(1, 200)
  taskId?: string | null;
}

/**
 * What can be edited: any of an event's own fields, and who attends (each list, when given, is
 * everyone of its kind from now on; the organiser always attends). One edit is one change.
 */
export class UpdateCalendarEventDto extends PartialType(CalendarEventFieldsDto) {
  @ApiPropertyOptional({
    type: [String],
    description:
      'Ids of the partnership’s contacts who attend from now on (absent: the same). One newly named gets an invitation; one left out a METHOD:CANCEL for them alone',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_EVENT_ATTENDEES)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  contactIds?: string[];

  @ApiPropertyOptional({
    type: [String],
    description:
      'Ids of the users who attend from now on besides the organiser, who always does (absent: the same); they remind in the organiser’s zone',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_EVENT_ATTENDEES)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  userIds?: string[];
}

export class CreateCalendarEventDto extends CalendarEventFieldsDto {
  @ApiProperty({
    type: [String],
    description: 'Ids of the partnership’s contacts who attend (each gets an invitation)',
  })
  @IsArray()
  @ArrayMaxSize(MAX_EVENT_ATTENDEES)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  contactIds: string[];

  @ApiPropertyOptional({
    type: [String],
    description: 'Ids of other users who attend; the caller (the organiser) always does',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_EVENT_ATTENDEES)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  userIds?: string[];

  @ApiProperty({
    example: 'Europe/Madrid',
    description:
      'The zone the organiser and the other users are shown the time in, and remind in (09:00–18:00 Monday to Friday)',
  })
  @IsTimeZone()
  timeZone: string;
}

export class AnswerCalendarEventDto {
  @ApiProperty({ enum: ['accepted', 'declined'] })
  @IsIn(['accepted', 'declined'])
  answer: AttendeeReply;
}

export class CalendarEventAttendeeView {
  @ApiProperty({ enum: ['contact', 'user'] }) kind: 'contact' | 'user';
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() email: string;
  @ApiProperty({ enum: ['en', 'es', 'zh'] }) language: Language;
  @ApiProperty({ example: 'Asia/Shanghai' }) timeZone: string;
  @ApiProperty({ enum: ATTENDEE_ANSWERS }) answer: AttendeeAnswer;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) answeredAt: string | null;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description:
      'When their reminder goes out: the last moment inside their working hours and calendar at least 24 h before the start; null when there is none',
  })
  reminderAt: string | null;
  @ApiProperty() reminderSent: boolean;
}

export class CalendarEventOrganiserView {
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty() name: string;
  @ApiProperty() email: string;
}

export class CalendarEventView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) partnershipId: string;
  @ApiProperty({ enum: CALENDAR_EVENT_KINDS }) kind: CalendarEventKind;
  @ApiProperty() title: string;
  @ApiProperty({ format: 'date-time' }) start: string;
  @ApiProperty({ format: 'date-time' }) end: string;
  @ApiProperty({ type: String, nullable: true }) onlineUrl: string | null;
  @ApiProperty({ type: String, nullable: true }) place: string | null;
  @ApiProperty({ type: String, nullable: true }) taskId: string | null;
  @ApiProperty({ enum: CALENDAR_EVENT_STATUSES }) status: CalendarEventStatus;
  @ApiProperty({ description: 'The invitations’ SEQUENCE: 0, then one more per change' })
  sequence: number;
  @ApiProperty({ type: CalendarEventOrganiserView }) organiser: CalendarEventOrganiserView;
  @ApiProperty({ type: [CalendarEventAttendeeView] }) attendees: CalendarEventAttendeeView[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The coordinator’s follow-up task (minutes, next steps), once the event ended',
  })
  followUpTaskId: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class CalendarEventListView {
  @ApiProperty({ type: [CalendarEventView], description: 'Soonest first' })
  items: CalendarEventView[];
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsISO31661Alpha2, IsString, Matches, MaxLength } from 'class-validator';
import { MAX_FOLLOW_UP_WORKING_MINUTES } from '@libs/config';
import {
  FOLLOW_UP_KINDS,
  LANGUAGES,
  MAX_REGION_LENGTH,
  MAX_REMINDERS,
  MIN_REPEAT_MINUTES,
  STAGES,
} from '@libs/domain';
import type {
  FollowUpKind,
  FollowUpPolicy,
  FollowUpPolicyPatch,
  Language,
  ReminderPolicy,
  Stage,
} from '@libs/domain';
import { Given, IntegerField, IsTimeZone, NestedObject } from '../platform/dto-fields';

const MINUTES =
  'Minutes of the recipient’s working time (a 09:00–18:00 working day is 540 minutes)';

const FIRST_REMINDER = {
  example: 1080,
  minimum: 1,
  maximum: MAX_FOLLOW_UP_WORKING_MINUTES,
  description: `First reminder this long after the request. ${MINUTES}`,
};
const NEXT_REMINDERS = {
  example: 540,
  minimum: MIN_REPEAT_MINUTES,
  maximum: MAX_FOLLOW_UP_WORKING_MINUTES,
  description: `Each next reminder this long after the previous one. ${MINUTES}`,
};
const REMINDER_COUNT = { example: 3, minimum: 1, maximum: MAX_REMINDERS };

/** A full reminder policy: all four fields. */
export class ReminderPolicyDto implements ReminderPolicy {
  @IntegerField(FIRST_REMINDER)
  firstAfterWorkingMinutes: number;

  @IntegerField(NEXT_REMINDERS)
  repeatEveryWorkingMinutes: number;

  @IntegerField(REMINDER_COUNT)
  maxReminders: number;

  @ApiProperty({
    example: true,
    description:
      'After the last reminder, one more interval later, tell the coordinator who is still awaited',
  })
  @IsBoolean()
  escalate: boolean;
}

/** Part of a reminder policy: any field may be left out. */
export class ReminderPolicyPatchDto implements Partial<ReminderPolicy> {
  @IntegerField(FIRST_REMINDER, 'given')
  firstAfterWorkingMinutes?: number;

  @IntegerField(NEXT_REMINDERS, 'given')
  repeatEveryWorkingMinutes?: number;

  @IntegerField(REMINDER_COUNT, 'given')
  maxReminders?: number;

  @ApiPropertyOptional({ example: true, description: 'Escalate to the coordinator at the end' })
  @Given()
  @IsBoolean()
  escalate?: boolean;
}

export class OverdueTasksPatchDto {
  @ApiPropertyOptional({ example: true, description: 'Remind assignees of overdue open tasks' })
  @Given()
  @IsBoolean()
  enabled?: boolean;

  @IntegerField(
    {
      ...NEXT_REMINDERS,
      description: `From the start of the day after the due date, every so often. ${MINUTES}`,
    },
    'given',
  )
  repeatEveryWorkingMinutes?: number;

  @IntegerField(REMINDER_COUNT, 'given')
  maxReminders?: number;
}

export class StalledStagePatchDto {
  @ApiPropertyOptional({
    example: true,
    description: 'Remind the coordinator when nobody acts on the partnership for a while',
  })
  @Given()
  @IsBoolean()
  enabled?: boolean;

  @IntegerField({ example: 10, minimum: 1, maximum: 365 }, 'given')
  afterWorkingDays?: number;

  @IntegerField(REMINDER_COUNT, 'given')
  maxReminders?: number;
}

export class CoordinatorFollowUpPatchDto {
  @ApiPropertyOptional({
    example: 'Europe/Madrid',
    description: 'The coordinator’s IANA time zone: their reminders go out in its working hours',
  })
  @Given()
  @IsTimeZone()
  timeZone?: string;

  @ApiPropertyOptional({ enum: LANGUAGES, example: 'es', description: 'Of their e-mails' })
  @Given()
  @IsIn(LANGUAGES)
  language?: Language;

  @ApiPropertyOptional({
    example: 'ES',
    description:
      'Where the coordinator works (ISO 3166-1 alpha-2): their stalled-stage reminders skip its public holidays (docs/calendars.md)',
  })
  @Given()
  @Matches(/^[A-Z]{2}$/, { message: 'country must be an ISO 3166-1 alpha-2 code, e.g. ES' })
  @IsISO31661Alpha2({ message: 'country must be an ISO 3166-1 alpha-2 code, e.g. ES' })
  country?: string;

  @ApiPropertyOptional({
    example: 'Valencian Community',
    description: 'Their region, for its holidays ("" for none)',
  })
  @Given()
  @IsString()
  @MaxLength(MAX_REGION_LENGTH)
  region?: string;
}

/**
 * A change to a partnership's follow-up policy: every part, and every field in it, may be left out;
 * what is given replaces the current value. `null` is refused (leave the field out instead).
 */
export class FollowUpPolicyPatchDto {
  @NestedObject(ReminderPolicyPatchDto, 'given', {
    description: 'Reminders to approvers who have not answered, then escalation',
  })
  approvals?: ReminderPolicyPatchDto;

  @NestedObject(OverdueTasksPatchDto, 'given')
  overdueTasks?: OverdueTasksPatchDto;

  @NestedObject(StalledStagePatchDto, 'given')
  stalledStage?: StalledStagePatchDto;

  @NestedObject(CoordinatorFollowUpPatchDto, 'given')
  coordinator?: CoordinatorFollowUpPatchDto;

  @ApiPropertyOptional({
    example: false,
    description: 'E-mails in the recipient’s language followed by an English copy',
  })
  @Given()
  @IsBoolean()
  bilingualEmails?: boolean;
}

/**
 * The patch as a plain object with only the fields given. (DTO instances carry every declared
 * field, undefined when absent, and a spread of those would erase values when merged.)
 */
export function toFollowUpPolicyPatch(
  dto: FollowUpPolicyPatchDto | undefined,
): FollowUpPolicyPatch {
  const defined = <T extends object>(part: T | undefined): Partial<T> | undefined => {
    if (!part) return undefined;
    const entries = Object.entries(part).filter(([, v]) => v !== undefined);
    return entries.length > 0 ? (Object.fromEntries(entries) as Partial<T>) : undefined;
  };
  const patch: FollowUpPolicyPatch = {
    approvals: defined(dto?.approvals),
    overdueTasks: defined(dto?.overdueTasks),
    stalledStage: defined(dto?.stalledStage),
    coordinator: defined(dto?.coordinator),
    bilingualEmails: dto?.bilingualEmails,
  };
  return defined(patch) ?? {};
}

// ----- Views -----

export class OverdueTasksPolicyView {
  @ApiProperty() enabled: boolean;
  @ApiProperty({ example: 540, description: MINUTES }) repeatEveryWorkingMinutes: number;
  @ApiProperty({ example: 3 }) maxReminders: number;
}

export class StalledStagePolicyView {
  @ApiProperty() enabled: boolean;
  @ApiProperty({ example: 10 }) afterWorkingDays: number;
  @ApiProperty({ example: 3 }) maxReminders: number;
}

export class CoordinatorFollowUpView {
  @ApiProperty({ example: 'Europe/Madrid' }) timeZone: string;
  @ApiProperty({ enum: LANGUAGES, example: 'es' }) language: Language;
  @ApiPropertyOptional({ example: 'ES', description: 'Absent: no country, weekly hours alone' })
  country?: string;
  @ApiPropertyOptional({ example: 'Valencian Community' }) region?: string;
}

export class FollowUpPolicyView implements FollowUpPolicy {
  @ApiProperty({ type: ReminderPolicyDto }) approvals: ReminderPolicyDto;
  @ApiProperty({ type: OverdueTasksPolicyView }) overdueTasks: OverdueTasksPolicyView;
  @ApiProperty({ type: StalledStagePolicyView }) stalledStage: StalledStagePolicyView;
  @ApiProperty({ type: CoordinatorFollowUpView }) coordinator: CoordinatorFollowUpView;
  @ApiProperty() bilingualEmails: boolean;
}

export class PlannedFollowUpEntry {
  @ApiProperty({ enum: FOLLOW_UP_KINDS }) kind: FollowUpKind;
  @ApiProperty({
    format: 'date-time',
    example: '2027-01-13T08:00:00.000Z',
    description:
      'When it will be sent, in UTC: inside the recipient’s working hours in their own time zone',
  })
  at: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'approval-reminder, approval-escalation' })
  approvalId?: string;
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'approval-reminder: the approver; task-overdue: the assignee',
  })
  contactId?: string;
  @ApiPropertyOptional({ description: 'approval-reminder, task-overdue, stage-stalled: 1, 2, …' })
  reminderNumber?: number;
  @ApiPropertyOptional({ type: [String], description: 'approval-escalation: contacts awaited' })
  awaiting?: string[];
  @ApiPropertyOptional({ description: 'task-overdue' }) taskId?: string;
  @ApiPropertyOptional({ example: '2027-01-15', description: 'task-overdue' }) dueDate?: string;
  @ApiPropertyOptional({ enum: STAGES, description: 'stage-stalled' }) stage?: Stage;
  @ApiPropertyOptional({
    format: 'date-time',
    description: 'stage-stalled: the last activity the stall is counted from',
  })
  since?: string;
}

export class FollowUpPlanView {
  @ApiProperty({ type: FollowUpPolicyView }) policy: FollowUpPolicyView;
  @ApiProperty({
    description: 'False for partnerships started before follow-ups existed: nothing is planned',
  })
  enabled: boolean;
  @ApiProperty({
    nullable: true,
    type: String,
    format: 'date-time',
    description: 'The last time a person acted on the partnership (the stalled-stage clock)',
  })
  lastActivityAt: string | null;
  @ApiProperty({
    type: [PlannedFollowUpEntry],
    description:
      'Earliest first: the next reminder for each awaited approver of each pending request, ' +
      'the escalation of a request whose reminders are all sent, the next reminder for each ' +
      'overdue assigned task, and the stalled-stage reminder. Each `at` is UTC. Only the next ' +
      'one per recipient is listed; it is planned again after each one is sent.',
  })
  planned: PlannedFollowUpEntry[];
}

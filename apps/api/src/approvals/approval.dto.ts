import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDateString,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Length,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { APPROVAL_STATUSES, STAGES } from '@libs/domain';
import type { ApprovalStatus, Stage } from '@libs/domain';
import { ReminderPolicyDto } from '../partnerships/follow-up-policy.dto';
import { NestedObject } from '../platform/dto-fields';

export class RuleDto {
  @ApiProperty({ enum: ['all', 'any', 'quorum'], example: 'all' })
  @IsIn(['all', 'any', 'quorum'])
  kind: 'all' | 'any' | 'quorum';

  @ApiPropertyOptional({
    description: 'For quorum: how many approvals the organisation needs',
    example: 2,
  })
  @ValidateIf((o: RuleDto) => o.kind === 'quorum')
  @IsInt()
  @Min(1)
  @Max(50)
  n?: number;
}

export class OrganisationApproversDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  organisationId: string;

  @NestedObject(RuleDto, 'required')
  rule: RuleDto;

  @ApiProperty({ type: [String], description: 'Contacts of this organisation who are asked' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true })
  approverContactIds: string[];
}

export class SubjectDto {
  @ApiProperty({ enum: ['gate', 'task', 'document'], example: 'gate' })
  @IsIn(['gate', 'task', 'document'])
  kind: 'gate' | 'task' | 'document';

  @ApiPropertyOptional({ example: 'area_exploration.priority_areas', description: 'For a task' })
  @ValidateIf((o: SubjectDto) => o.kind === 'task')
  @IsString()
  @Length(1, 200)
  taskId?: string;

  @ApiPropertyOptional({
    example: 'Cooperation project proposal v2',
    description: 'For a document',
  })
  @ValidateIf((o: SubjectDto) => o.kind === 'document')
  @IsString()
  @Length(1, 300)
  title?: string;

  @ApiPropertyOptional({ example: 'https://drive.example/proposal-v2.pdf' })
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true })
  link?: string;

  @ApiPropertyOptional({ description: 'The document text, when there is no link' })
  @IsOptional()
  @IsString()
  @Length(1, 20_000)
  text?: string;
}

export class CreateApprovalDto {
  @NestedObject(SubjectDto, 'required')
  subject: SubjectDto;

  @ApiProperty({ example: '2027-01-20T17:00:00Z' })
  @IsDateString({ strict: true })
  deadline: string;

  @ApiPropertyOptional({
    type: [OrganisationApproversDto],
    description: 'Defaults, for a gate: every partner organisation, all its contacts, rule `any`',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => OrganisationApproversDto)
  organisations?: OrganisationApproversDto[];

  @NestedObject(ReminderPolicyDto, 'optional', {
    nullable: true,
    description:
      'This request’s own reminder policy, all four fields. Left out (or null), the request ' +
      'follows the partnership’s policy (`followUpPolicy.approvals`), including later changes.',
  })
  reminderPolicy?: ReminderPolicyDto | null;
}

/** Changes to a pending request; give at least one field. */
export class ReviseApprovalDto {
  @ApiPropertyOptional({
    example: '2027-02-03T17:00:00Z',
    description:
      'A new deadline, in the future. Reminders that would fall at or after it are not sent.',
  })
  @ValidateIf((_, v) => v !== undefined)
  @IsDateString({ strict: true })
  deadline?: string;

  @NestedObject(ReminderPolicyDto, 'optional', {
    nullable: true,
    description:
      'This request’s own reminder policy (all four fields); null follows the partnership’s again',
  })
  reminderPolicy?: ReminderPolicyDto | null;

  @ApiPropertyOptional({
    type: String,
    example: '2027-01-25T08:00:00Z',
    nullable: true,
    description:
      'No reminder or escalation before this instant (in the future, before the deadline); ' +
      'null ends the snooze',
  })
  @IsOptional()
  @IsDateString({ strict: true })
  snoozedUntil?: string | null;
}

export class DelegateDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() fromContactId: string;
  @ApiProperty({ format: 'uuid' }) @IsUUID() toContactId: string;
}

// ----- Views -----

class WorkingHoursView {
  @ApiProperty({ example: '09:00' }) start: string;
  @ApiProperty({ example: '18:00' }) end: string;
  @ApiProperty({ type: 'array', items: { type: 'integer' }, example: [1, 2, 3, 4, 5] })
  days: number[];
}

class ApproverDecisionView {
  @ApiProperty({ enum: ['approved', 'rejected'] }) outcome: 'approved' | 'rejected';
  @ApiProperty({ nullable: true, type: String }) comment: string | null;
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ format: 'uuid', description: 'Who decided' }) contactId: string;
}

class ReminderProgressView {
  @ApiProperty({ example: 1, description: 'Reminders sent to this approver' }) sent: number;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) lastAt: string | null;
}

class ApproverView {
  @ApiProperty({ format: 'uuid' }) contactId: string;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) delegatedFrom: string | null;
  @ApiProperty({ description: 'Handed to a colleague' }) delegated: boolean;
  @ApiProperty({ type: ApproverDecisionView, nullable: true })
  decision: ApproverDecisionView | null;
  @ApiPropertyOptional({ example: 'Asia/Shanghai', description: 'Reminders go out in its hours' })
  timeZone?: string;
  @ApiPropertyOptional({ type: WorkingHoursView }) workingHours?: WorkingHoursView;
  @ApiPropertyOptional({
    type: ReminderProgressView,
    description: 'Absent on requests made before follow-ups existed',
  })
  reminders?: ReminderProgressView;
}

class ApprovalSubjectView {
  @ApiProperty({ enum: ['gate', 'task', 'document'] }) kind: 'gate' | 'task' | 'document';
  @ApiProperty({ example: 'Leave introduction' }) title: string;
  @ApiPropertyOptional({ enum: STAGES, description: 'kind gate: the stage to leave' })
  stage?: Stage;
  @ApiPropertyOptional({ description: 'kind task' }) taskId?: string;
  @ApiPropertyOptional({ description: 'kind document' }) link?: string;
  @ApiPropertyOptional({ description: 'kind document' }) text?: string;
}

class RequesterView {
  @ApiPropertyOptional({ example: 'Ana' }) name?: string;
  @ApiPropertyOptional({ example: 'ana@iurc.example' }) email?: string;
}

class OrganisationApprovalView {
  @ApiProperty({ format: 'uuid' }) organisationId: string;
  @ApiProperty({ type: RuleDto }) rule: RuleDto;
  @ApiProperty({ type: [ApproverView] }) approvers: ApproverView[];
}

export class ApprovalRequestView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) partnershipId: string;
  @ApiProperty({
    type: ApprovalSubjectView,
    example: { kind: 'gate', stage: 'introduction', title: 'Leave introduction' },
    description: '`kind` gate (`stage`), task (`taskId`) or document (`link`, `text`), and `title`',
  })
  subject: ApprovalSubjectView;
  @ApiProperty({ enum: APPROVAL_STATUSES })
  status: ApprovalStatus;
  @ApiProperty({ format: 'date-time' }) requestedAt: string;
  @ApiProperty({ format: 'date-time' }) deadline: string;
  @ApiProperty({ type: RequesterView }) requestedBy: RequesterView;
  @ApiProperty({ type: [OrganisationApprovalView] }) organisations: OrganisationApprovalView[];
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) closedAt: string | null;
  @ApiProperty({
    type: 'array',
    items: { type: 'string', format: 'uuid' },
    description: 'Contacts who have not answered yet',
  })
  awaiting: string[];
  @ApiPropertyOptional({ description: 'Followed up by reminders (requests since follow-ups)' })
  followUps?: boolean;
  @ApiPropertyOptional({
    type: ReminderPolicyDto,
    nullable: true,
    description: 'The request’s own policy; null follows the partnership’s',
  })
  reminderPolicy?: ReminderPolicyDto | null;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'date-time' })
  snoozedUntil?: string | null;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    format: 'date-time',
    description: 'When the coordinator was told the request stalls',
  })
  escalatedAt?: string | null;
}

export class ApprovalPageView {
  @ApiProperty({ type: [ApprovalRequestView] }) items: ApprovalRequestView[];
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
  @ApiProperty() total: number;
}

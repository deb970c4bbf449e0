import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDefined,
  IsIn,
  IsInt,
  IsISO31661Alpha2,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import {
  CONSENT_STATUSES,
  GATE_CONSENTS,
  LANGUAGES,
  ORGANISATION_CONSENT_RULES,
  ORGANISATION_KINDS,
  PARTNERSHIP_STATUSES,
  STAGES,
  TIMELINE_EVENT_TYPES,
} from '@libs/domain';
import type {
  ConsentStatus,
  EventActor,
  GateConsent,
  OrganisationConsentRule,
  Language,
  OrganisationKind,
  PartnershipStatus,
  Stage,
  TimelineEventType,
} from '@libs/domain';
import { EmailAddress, IsTimeZone, NestedObject, PersonName } from '../platform/dto-fields';
import { FollowUpPolicyPatchDto, FollowUpPolicyView } from './follow-up-policy.dto';
import { TemplateTitlesView } from '../templates/templates.dto';

export class WorkingHoursDto {
  @ApiProperty({
    example: '09:00',
    description: 'Start of the working day, HH:MM in the contact’s zone',
  })
  @Matches(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'start must be HH:MM (24h)' })
  start: string;

  @ApiProperty({ example: '18:00' })
  @Matches(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'end must be HH:MM (24h)' })
  end: string;

  @ApiProperty({
    type: 'array',
    items: { type: 'integer', minimum: 1, maximum: 7 },
    minItems: 1,
    maxItems: 7,
    example: [1, 2, 3, 4, 5],
    description: 'ISO weekdays, 1 = Monday … 7 = Sunday',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(7)
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(7, { each: true })
  days: number[];
}

export class ContactDto {
  @PersonName('Raquel Aguado Muñoz')
  name: string;

  @EmailAddress('raquel.aguado@ivace.example')
  email: string;

  @ApiPropertyOptional({ example: 'International projects officer' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  role?: string;

  @ApiProperty({ enum: LANGUAGES, example: 'es' })
  @IsIn(LANGUAGES)
  language: Language;

  @ApiProperty({ example: 'Europe/Madrid' })
  @IsTimeZone()
  timeZone: string;

  @ApiPropertyOptional({
    type: WorkingHoursDto,
    description: 'Defaults to 09:00–18:00 Monday–Friday',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => WorkingHoursDto)
  workingHours?: WorkingHoursDto;
}

/** Either an existing organisation (`id`) or a new one given inline (`name`, `country`, `kind`). */
export class PartnerOrganisationDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'An existing organisation' })
  @IsOptional()
  @IsUUID()
  id?: string;

  @ApiPropertyOptional({ example: 'Valencian Institute of Business Competitiveness (IVACE)' })
  @ValidateIf((o: PartnerOrganisationDto) => o.id === undefined)
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional({ example: 'Valencian Community' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  region?: string;

  @ApiPropertyOptional({ example: 'ES', description: 'ISO 3166-1 alpha-2' })
  @ValidateIf((o: PartnerOrganisationDto) => o.id === undefined)
  @IsISO31661Alpha2()
  country?: string;

  @ApiPropertyOptional({ enum: ORGANISATION_KINDS, example: 'agency' })
  @ValidateIf((o: PartnerOrganisationDto) => o.id === undefined)
  @IsIn(ORGANISATION_KINDS)
  kind?: OrganisationKind;

  @ApiPropertyOptional({ type: [ContactDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => ContactDto)
  contacts?: ContactDto[];
}

export class CoordinatorDto {
  @PersonName('Ana Programme-Officer')
  name: string;

  @EmailAddress('ana@iurc.example')
  email: string;
}

export class CreatePartnershipDto {
  @ApiProperty({ example: 'Valencia – Chengdu: clean-energy entrepreneurship' })
  @IsString()
  @Length(3, 200)
  title: string;

  @ApiProperty({ type: [PartnerOrganisationDto], minItems: 2 })
  @IsDefined()
  @IsArray()
  @ArrayMinSize(2, { message: 'organisations must name at least two partner organisations' })
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => PartnerOrganisationDto)
  organisations: PartnerOrganisationDto[];

  @NestedObject(CoordinatorDto, 'required')
  coordinator: CoordinatorDto;

  @ApiPropertyOptional({
    example: [
      'Innovative solutions and entrepreneurship in clean energy',
      'Internationalisation of companies',
      'Co-organised events and training',
    ],
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Length(1, 300, { each: true })
  areas?: string[];

  @NestedObject(FollowUpPolicyPatchDto, 'optional', {
    description:
      'Follow-up settings that differ from the defaults (set by the server’s configuration); ' +
      'what is left out keeps its default.',
    example: { approvals: { maxReminders: 2 }, coordinator: { timeZone: 'Europe/Madrid' } },
  })
  followUpPolicy?: FollowUpPolicyPatchDto;
}

export class ContactView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() email: string;
  @ApiProperty({ nullable: true, type: String }) role: string | null;
  @ApiProperty({ enum: LANGUAGES }) language: Language;
  @ApiProperty() timeZone: string;
  @ApiProperty({ type: WorkingHoursDto }) workingHours: WorkingHoursDto;
  @ApiProperty({
    description:
      'In a partnership: false for a contact of its organisation who does not take part in it (deactivated, or added through another partnership of the organisation and not taken here): asked and assigned nothing here. In the organisations list: true',
  })
  active: boolean;
}

export class OrganisationView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String }) region: string | null;
  @ApiProperty() country: string;
  @ApiProperty({ enum: ORGANISATION_KINDS }) kind: OrganisationKind;
  @ApiProperty({ type: [ContactView] }) contacts: ContactView[];
}

export class TaskView {
  @ApiProperty({ example: 'introduction.introductory_meeting' }) id: string;
  @ApiProperty({ enum: STAGES }) stage: Stage;
  @ApiProperty() title: string;
  @ApiProperty() required: boolean;
  @ApiProperty({ enum: ['task', 'approval'] }) kind: 'task' | 'approval';
  @ApiPropertyOptional({
    enum: ['partners'],
    description:
      'partners: an approval task that only the partners’ approval completes (ask for it with POST …/approvals, subject kind task); absent: the coordinator completes it',
  })
  answeredBy?: 'partners';
  @ApiProperty({ enum: ['open', 'done'] }) status: 'open' | 'done';
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) assigneeContactId: string | null;
  @ApiProperty({ nullable: true, type: String, example: '2027-01-15' }) dueDate: string | null;
  @ApiProperty({ enum: ['template', 'custom'] }) source: 'template' | 'custom';
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) completedAt: string | null;
  @ApiPropertyOptional({
    type: TemplateTitlesView,
    description:
      'A template task: its title in each language, as the partnership’s template version has it (shown while `title` is still the English one)',
  })
  titles?: TemplateTitlesView;
}

export class BlockerView {
  @ApiProperty({ enum: ['task', 'consent', 'knowledge'] }) kind: 'task' | 'consent' | 'knowledge';
  @ApiPropertyOptional({ description: 'kind task' }) taskId?: string;
  @ApiPropertyOptional({ description: 'kind task; kind knowledge: the topic’s title' })
  title?: string;
  @ApiPropertyOptional({ description: 'kind knowledge: the topic without a contribution' })
  topicKey?: string;
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'kind knowledge: the organisation that has not contributed to the topic',
  })
  organisationId?: string;
  @ApiPropertyOptional({ enum: STAGES, description: 'kind task' }) stage?: Stage;
  @ApiPropertyOptional({
    format: 'uuid',
    nullable: true,
    type: String,
    description:
      'kind consent: the gate approval request of this visit to the stage; null: none yet',
  })
  approvalId?: string | null;
  @ApiPropertyOptional({
    enum: CONSENT_STATUSES,
    description:
      'kind consent: the gate request’s status, or not_requested (approved only when a partner’s consent under the template’s rule is still missing)',
  })
  status?: ConsentStatus;
  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'string', format: 'uuid' },
    description: 'kind consent: contacts still awaited',
  })
  awaiting?: string[];
  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'string', format: 'uuid' },
    description: 'kind consent: the partner organisations whose consent is missing',
  })
  organisationIds?: string[];
}

export class GateConsentRuleView {
  @ApiProperty({
    enum: GATE_CONSENTS,
    description: 'none: no consent unless a gate request is made; partners: every partner’s',
  })
  consent: GateConsent;
  @ApiPropertyOptional({
    enum: ORGANISATION_CONSENT_RULES,
    description: 'consent partners: any one contact of each organisation, or all of them',
  })
  organisationRule?: OrganisationConsentRule;
}

export class OrganisationConsentView {
  @ApiProperty({ format: 'uuid' }) organisationId: string;
  @ApiProperty() consented: boolean;
  @ApiProperty({
    type: 'array',
    items: { type: 'string', format: 'uuid' },
    description: 'Contacts who approved for the organisation',
  })
  consentedBy: string[];
}

export class GateConsentView {
  @ApiProperty({
    description:
      'True when the gate needs consent: the stage template asks for it, or a gate request was made in the stage',
  })
  required: boolean;
  @ApiProperty({ type: GateConsentRuleView }) rule: GateConsentRuleView;
  @ApiProperty({
    nullable: true,
    type: String,
    format: 'uuid',
    description: 'The latest gate request of this visit to the stage (a send-back clears it)',
  })
  approvalId: string | null;
  @ApiProperty({ enum: CONSENT_STATUSES }) status: ConsentStatus;
  @ApiProperty({ type: [OrganisationConsentView] }) organisations: OrganisationConsentView[];
}

export class GateView {
  @ApiProperty({ description: 'True when the current stage may be advanced' }) open: boolean;
  @ApiProperty({ type: [BlockerView] }) blockers: BlockerView[];
  @ApiProperty({
    type: GateConsentView,
    description: 'Whose consent the gate needs, and who gave it',
  })
  consent: GateConsentView;
}

/** Every stage that has tasks (all but agreed), each with its tasks in order. */
export class TasksByStageView implements Record<Exclude<Stage, 'agreed'>, TaskView[]> {
  @ApiProperty({ type: [TaskView] }) introduction: TaskView[];
  @ApiProperty({ type: [TaskView] }) area_exploration: TaskView[];
  @ApiProperty({ type: [TaskView] }) knowledge_sharing: TaskView[];
  @ApiProperty({ type: [TaskView] }) project_proposal: TaskView[];
}

export class PartnershipView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() title: string;
  @ApiProperty({ enum: STAGES, example: 'introduction' }) stage: Stage;
  @ApiProperty({ enum: PARTNERSHIP_STATUSES, example: 'active' }) status: PartnershipStatus;
  @ApiProperty({ type: CoordinatorDto }) coordinator: CoordinatorDto;
  @ApiProperty({ type: [String] }) areas: string[];
  @ApiProperty({ type: [OrganisationView] }) organisations: OrganisationView[];
  @ApiProperty({ type: TasksByStageView, description: 'Tasks per stage, in order' })
  tasksByStage: TasksByStageView;
  @ApiProperty({ type: GateView }) gate: GateView;
  @ApiProperty({
    example: 'default',
    description: 'The stage template the partnership started with (GET /api/v1/templates)',
  })
  templateKey: string;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'The version of it the partnership keeps',
  })
  templateVersion: number | null;
  @ApiProperty({
    type: FollowUpPolicyView,
    description:
      'What is followed up and when (see GET /api/v1/partnerships/{id}/follow-ups for the plan)',
  })
  followUpPolicy: FollowUpPolicyView;
  @ApiProperty({ description: 'False while the workflow has not yet recorded the partnership' })
  recorded: boolean;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) lastActivityAt: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) createdAt: string | null;
  @ApiProperty({ example: 'partnership-2b1c…' }) workflowId: string;
}

// ----- The board -----

/** A partner organisation as a board card shows it. */
export class PartnerView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'IVACE' }) name: string;
  @ApiProperty({ example: 'ES', description: 'ISO 3166-1 alpha-2' }) country: string;
}

/** One card of the board. */
export class PartnershipCardView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() title: string;
  @ApiProperty({ enum: STAGES, example: 'introduction' }) stage: Stage;
  @ApiProperty({ enum: PARTNERSHIP_STATUSES, example: 'active', description: 'paused: on hold' })
  status: PartnershipStatus;
  @ApiProperty({ type: CoordinatorDto }) coordinator: CoordinatorDto;
  @ApiProperty({ type: [PartnerView], description: 'By name' }) organisations: PartnerView[];
  @ApiProperty({
    format: 'date-time',
    description: 'When the partnership entered its current stage (created, advanced or sent back)',
  })
  stageEnteredAt: string;
  @ApiProperty({
    type: 'integer',
    minimum: 0,
    example: 12,
    description: 'Whole days since `stageEnteredAt`',
  })
  daysInStage: number;
  @ApiProperty({
    type: 'integer',
    minimum: 0,
    description: 'Required tasks of the current stage not done yet',
  })
  openRequiredTasks: number;
  @ApiProperty({
    type: 'integer',
    minimum: 0,
    description:
      'Open tasks (any stage) past their due date: from the start of the next day in the ' +
      'assignee’s time zone, or the coordinator’s for an unassigned task',
  })
  overdueTasks: number;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Approval requests still pending' })
  pendingApprovals: number;
  @ApiProperty({
    type: 'array',
    items: { type: 'string', format: 'uuid' },
    description:
      'Partner organisations (ids from `organisations`) a pending request still waits for: ' +
      'not yet agreed under their rule (all, any, quorum)',
  })
  awaitingOrganisationIds: string[];
  @ApiProperty({ format: 'date-time', description: 'The board is sorted by it, newest first' })
  lastActivityAt: string;
}

/** Partnerships per stage. */
export class StageCountsView implements Record<Stage, number> {
  @ApiProperty({ type: 'integer', minimum: 0 }) introduction: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) area_exploration: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) knowledge_sharing: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) project_proposal: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) agreed: number;
}

/** Partnerships per status. */
export class StatusCountsView implements Record<PartnershipStatus, number> {
  @ApiProperty({ type: 'integer', minimum: 0 }) active: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) paused: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) agreed: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) closed: number;
}

export class PartnershipPageView {
  @ApiProperty({ type: [PartnershipCardView] }) items: PartnershipCardView[];
  @ApiProperty({ type: 'integer', minimum: 1 }) page: number;
  @ApiProperty({ type: 'integer', minimum: 1 }) pageSize: number;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Matching partnerships in all pages' })
  total: number;
  @ApiProperty({
    type: StageCountsView,
    description: 'Partnerships per stage under the same filters except `stage`',
  })
  countsByStage: StageCountsView;
  @ApiProperty({
    type: StatusCountsView,
    description: 'Partnerships per status under the same filters except `status`',
  })
  countsByStatus: StatusCountsView;
}

// ----- The timeline -----

export class EventActorView implements EventActor {
  @ApiProperty({
    enum: ['coordinator', 'contact', 'user', 'system'],
    description: 'user: a signed-in user; contact: a partner contact (through a signed link)',
  })
  kind: EventActor['kind'];
  @ApiPropertyOptional({ description: 'The user’s or the contact’s id' }) id?: string;
  @ApiPropertyOptional() name?: string;
  @ApiPropertyOptional() email?: string;
}

export class TimelineEntryView {
  @ApiProperty({ type: 'integer', minimum: 1, description: 'Numbers the partnership’s events' })
  sequence: number;
  @ApiProperty({ enum: TIMELINE_EVENT_TYPES, example: 'stage.advanced' })
  type: TimelineEventType;
  @ApiProperty({ type: EventActorView }) actor: EventActorView;
  @ApiProperty({ format: 'date-time' }) occurredAt: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'What happened; its fields depend on `type`',
    example: { from: 'introduction', to: 'area_exploration', comment: null },
  })
  payload: Record<string, unknown>;
}

export class TimelinePageView {
  @ApiProperty({ type: [TimelineEntryView], description: 'Oldest first' })
  items: TimelineEntryView[];
  @ApiProperty({ type: 'integer', minimum: 1 }) page: number;
  @ApiProperty({ type: 'integer', minimum: 1 }) pageSize: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) total: number;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import {
  GATE_CONSENTS,
  LANGUAGES,
  MAX_DUE_OFFSET_DAYS,
  ORGANISATION_CONSENT_RULES,
  TEMPLATE_KEY_PATTERN,
  TEMPLATE_PROBLEM_CODES,
  TEMPLATE_STAGES,
  TEMPLATE_STATUSES,
  TEMPLATE_TASK_FIELDS,
} from '@libs/domain';
import type {
  GateConsent,
  Language,
  OrganisationConsentRule,
  TemplateProblemCode,
  TemplateStage,
  TemplateStatus,
  TemplateTaskField,
} from '@libs/domain';
import { IntegerField, NestedObject } from '../platform/dto-fields';

/** Tasks a stage of a template may have, at most. */
const MAX_TASKS_PER_STAGE = 30;
const KEY_MESSAGE = 'must be lower-case letters, digits and _ (1–40, a letter first)';

// ----- What a version says (read and written alike) -----

export class TemplateTitlesDto {
  @ApiProperty({ example: 'Hold the introductory meeting', description: 'Always there' })
  @IsString()
  @Length(1, 300)
  en: string;

  @ApiPropertyOptional({
    example: 'Celebrar la reunión de presentación',
    description: 'Needed to publish',
  })
  @IsOptional()
  @IsString()
  @Length(0, 300)
  es?: string;

  @ApiPropertyOptional({ example: '召开首次介绍会议', description: 'Needed to publish' })
  @IsOptional()
  @IsString()
  @Length(0, 300)
  zh?: string;
}

/** A task title in each language (the partnership page's and e-mails' words for a template task). */
export class TemplateTitlesView {
  @ApiProperty() en: string;
  @ApiPropertyOptional() es?: string;
  @ApiPropertyOptional() zh?: string;
}

export class TemplateGateRuleDto {
  @ApiProperty({
    enum: GATE_CONSENTS,
    description: 'none: no consent unless a gate request is made; partners: every partner’s',
  })
  @IsIn(GATE_CONSENTS)
  consent: GateConsent;

  @ApiPropertyOptional({
    enum: ORGANISATION_CONSENT_RULES,
    description: 'consent partners (and only then): any one contact of each organisation, or all',
  })
  @ValidateIf(
    (o: TemplateGateRuleDto) => o.consent === 'partners' || o.organisationRule !== undefined,
  )
  @IsIn(ORGANISATION_CONSENT_RULES)
  organisationRule?: OrganisationConsentRule;
}

export class TemplateTaskDto {
  @ApiProperty({
    example: 'introductory_meeting',
    description: `Unique in its stage; the task's id is \`<stage>.<key>\` (${KEY_MESSAGE})`,
  })
  @IsString()
  @Matches(TEMPLATE_KEY_PATTERN, { message: `key ${KEY_MESSAGE}` })
  key: string;

  @ApiProperty({ enum: ['task', 'approval'] })
  @IsIn(['task', 'approval'])
  kind: 'task' | 'approval';

  @ApiProperty({ description: 'Required tasks must be done before the stage’s gate opens' })
  @IsBoolean()
  required: boolean;

  @ApiPropertyOptional({
    enum: ['partners'],
    description: 'An approval task only the partners’ approval completes',
  })
  @IsOptional()
  @IsIn(['partners'])
  answeredBy?: 'partners';

  @ApiProperty({
    nullable: true,
    type: 'integer',
    minimum: 0,
    maximum: MAX_DUE_OFFSET_DAYS,
    description:
      'Working days after the partnership enters the stage by which the task is due; null: no due date',
  })
  @ValidateIf((_, v) => v !== null)
  @IsInt()
  @Min(0)
  @Max(MAX_DUE_OFFSET_DAYS)
  dueOffsetDays: number | null;

  @NestedObject(TemplateTitlesDto, 'required')
  titles: TemplateTitlesDto;
}

export class TemplateStageDto {
  @ApiProperty({ enum: TEMPLATE_STAGES })
  @IsIn(TEMPLATE_STAGES)
  stage: TemplateStage;

  @NestedObject(TemplateGateRuleDto, 'required', { description: 'Whose consent the gate needs' })
  gate: TemplateGateRuleDto;

  @ApiProperty({ type: [TemplateTaskDto], description: 'In order' })
  @IsDefined()
  @IsArray()
  @ArrayMaxSize(MAX_TASKS_PER_STAGE)
  @ValidateNested({ each: true })
  @Type(() => TemplateTaskDto)
  tasks: TemplateTaskDto[];
}

/** A draft's whole content: each stage's tasks and gate rule (a stage left out has none). */
export class TemplateContentDto {
  @ApiProperty({ type: [TemplateStageDto] })
  @IsDefined()
  @IsArray()
  @ArrayMaxSize(TEMPLATE_STAGES.length)
  @ValidateNested({ each: true })
  @Type(() => TemplateStageDto)
  stages: TemplateStageDto[];
}

export class TemplateCopyDto {
  @ApiPropertyOptional({
    example: 'default',
    description: 'The template to copy from; the new draft’s own when left out',
  })
  @IsOptional()
  @IsString()
  @Matches(TEMPLATE_KEY_PATTERN, { message: `key ${KEY_MESSAGE}` })
  key?: string;

  @IntegerField({ minimum: 1, maximum: 1_000_000, example: 2 })
  version: number;
}

export class CreateTemplateDraftDto {
  @NestedObject(TemplateCopyDto, 'optional', {
    description: 'A version whose content the draft starts with; empty when left out',
  })
  copyFrom?: TemplateCopyDto;
}

// ----- Views -----

export class TemplateProblemView {
  @ApiProperty({ enum: TEMPLATE_PROBLEM_CODES }) code: TemplateProblemCode;
  @ApiProperty({ example: 'stages[0].tasks[2].titles.es' }) field: string;
  @ApiProperty({ example: 'introduction' }) stage: string;
  @ApiPropertyOptional({ example: 'introductory_meeting' }) taskKey?: string;
  @ApiPropertyOptional({ enum: LANGUAGES }) language?: Language;
  @ApiProperty({ example: 'introduction.introductory_meeting: the title in es is missing' })
  message: string;
}

export class TemplateGateRuleView {
  @ApiProperty({ enum: GATE_CONSENTS }) consent: GateConsent;
  @ApiPropertyOptional({ enum: ORGANISATION_CONSENT_RULES })
  organisationRule?: OrganisationConsentRule;
}

export class TemplateTaskView {
  @ApiProperty({ example: 'introductory_meeting' }) key: string;
  @ApiProperty({ enum: ['task', 'approval'] }) kind: 'task' | 'approval';
  @ApiProperty() required: boolean;
  @ApiPropertyOptional({ enum: ['partners'] }) answeredBy?: 'partners';
  @ApiProperty({ nullable: true, type: 'integer' }) dueOffsetDays: number | null;
  @ApiProperty({ type: TemplateTitlesView }) titles: TemplateTitlesView;
}

export class TemplateStageView {
  @ApiProperty({ enum: TEMPLATE_STAGES }) stage: TemplateStage;
  @ApiProperty({ type: TemplateGateRuleView }) gate: TemplateGateRuleView;
  @ApiProperty({ type: [TemplateTaskView] }) tasks: TemplateTaskView[];
}

export class TemplateVersionSummaryView {
  @ApiProperty({ example: 'default' }) key: string;
  @ApiProperty({ example: 3 }) version: number;
  @ApiProperty({ enum: TEMPLATE_STATUSES }) status: TemplateStatus;
  @ApiProperty({ nullable: true, type: String, format: 'uuid', description: 'null: seeded' })
  createdBy: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty({
    nullable: true,
    type: String,
    format: 'uuid',
    description: 'null while a draft, or when a migration published it',
  })
  publishedBy: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) publishedAt: string | null;
  @ApiProperty() taskCount: number;
  @ApiProperty({ description: 'True for the version new partnerships start with' })
  current: boolean;
}

export class TemplateListView {
  @ApiProperty({
    example: 'default',
    description: 'The template new partnerships start with (its latest published version)',
  })
  newPartnershipsKey: string;
  @ApiProperty({ type: [TemplateVersionSummaryView], description: 'By key, then version' })
  items: TemplateVersionSummaryView[];
}

export class TemplateVersionView extends TemplateVersionSummaryView {
  @ApiProperty({ type: [TemplateStageView], description: 'Every stage, in order' })
  stages: TemplateStageView[];
  @ApiProperty({
    type: [TemplateProblemView],
    description: 'What publishing would refuse now (none once published)',
  })
  problems: TemplateProblemView[];
}

export class TemplateTaskChangeView {
  @ApiProperty() key: string;
  @ApiProperty({ enum: TEMPLATE_TASK_FIELDS, isArray: true }) fields: TemplateTaskField[];
  @ApiProperty({ type: TemplateTaskView }) from: TemplateTaskView;
  @ApiProperty({ type: TemplateTaskView }) to: TemplateTaskView;
}

export class TemplateGateChangeView {
  @ApiProperty({ type: TemplateGateRuleView }) from: TemplateGateRuleView;
  @ApiProperty({ type: TemplateGateRuleView }) to: TemplateGateRuleView;
}

export class TemplateStageDiffView {
  @ApiProperty({ enum: TEMPLATE_STAGES }) stage: TemplateStage;
  @ApiProperty({ type: [TemplateTaskView] }) added: TemplateTaskView[];
  @ApiProperty({ type: [TemplateTaskView] }) removed: TemplateTaskView[];
  @ApiProperty({ type: [TemplateTaskChangeView] }) changed: TemplateTaskChangeView[];
  @ApiPropertyOptional({ type: TemplateGateChangeView, description: 'When the gate rule differs' })
  gate?: TemplateGateChangeView;
}

export class TemplateDiffView {
  @ApiProperty({ example: 'default' }) key: string;
  @ApiProperty({ example: 2 }) from: number;
  @ApiProperty({ example: 3 }) to: number;
  @ApiProperty({
    type: [TemplateStageDiffView],
    description: 'Only the stages that differ, in order; none when the versions say the same',
  })
  stages: TemplateStageDiffView[];
}

export class TemplateDiffQuery {
  @ApiProperty({ type: 'integer', minimum: 1, description: 'The version moved from' })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  from: number;

  @ApiProperty({ type: 'integer', minimum: 1, description: 'The version moved to' })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  to: number;
}

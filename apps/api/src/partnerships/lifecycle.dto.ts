import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Min,
  ValidateIf,
} from 'class-validator';
import { PARTNERSHIP_STATUSES, STAGES } from '@libs/domain';
import type { PartnershipStatus, Stage } from '@libs/domain';
import { IntegerFrom } from '../platform/dto-fields';

/** YYYY-MM-DD from year 0001: PostgreSQL has no year 0, so 0000-01-01 could never be stored. */
const DATE = /^([1-9]\d{3}|0[1-9]\d{2}|00[1-9]\d|000[1-9])-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

export class TransitionDto {
  @ApiPropertyOptional({ example: 'Both partners confirmed the priority areas', maxLength: 2000 })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  comment?: string;

  @ApiPropertyOptional({
    example: 'Funding assumptions changed',
    description: 'Required for send-back and close',
    maxLength: 2000,
  })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  reason?: string;
}

export class ReopenDto {
  @ApiProperty({
    example: 'The funding was renewed',
    description: 'Why the closed partnership is reopened (on its timeline)',
    maxLength: 2000,
  })
  @IsString()
  @Length(1, 2000)
  reason: string;
}

export class AddTaskDto {
  @ApiProperty({ example: 'Share the SME maturity report' })
  @IsString()
  @Length(1, 300)
  title: string;

  @ApiPropertyOptional({ enum: STAGES, description: 'Defaults to the current stage' })
  @IsOptional()
  @IsIn(STAGES)
  stage?: Stage;

  @ApiPropertyOptional({
    default: true,
    description: 'Required tasks must be done before the gate opens',
  })
  @IsOptional()
  @IsBoolean()
  required?: boolean;

  @ApiPropertyOptional({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'A contact of a partner organisation',
  })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsUUID()
  assigneeContactId?: string | null;

  @ApiPropertyOptional({ type: String, example: '2027-01-15', nullable: true })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @Matches(DATE, { message: 'dueDate must be a date YYYY-MM-DD' })
  dueDate?: string | null;
}

export class UpdateTaskDto {
  @ApiPropertyOptional({ example: 'Share the SME maturity report (2026 edition)' })
  @IsOptional()
  @IsString()
  @Length(1, 300)
  title?: string;

  @ApiPropertyOptional({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'null unassigns',
  })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsUUID()
  assigneeContactId?: string | null;

  @ApiPropertyOptional({
    type: String,
    example: '2027-01-15',
    nullable: true,
    description: 'null clears',
  })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @Matches(DATE, { message: 'dueDate must be a date YYYY-MM-DD' })
  dueDate?: string | null;
}

export class TaskActionDto {
  @ApiPropertyOptional({ example: 'Minutes shared in the drive', maxLength: 2000 })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  comment?: string;
}

/** Paging for every list: `pageSize` is bounded (≤ 100). */
export class PageQuery {
  @ApiPropertyOptional({ default: 1, minimum: 1 })
  @IsOptional()
  @Type(() => Number)
  @IntegerFrom(1, 100_000)
  page?: number;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 100,
    description: 'Default 20 (board), 50 (timeline)',
  })
  @IsOptional()
  @Type(() => Number)
  @IntegerFrom(1, 100)
  pageSize?: number;
}

/** A board's status filter: one status, or `open` (active or paused). */
export const BOARD_STATUS_FILTERS = [...PARTNERSHIP_STATUSES, 'open'] as const;
export type BoardStatusFilter = (typeof BOARD_STATUS_FILTERS)[number];

export function matchesStatusFilter(
  status: PartnershipStatus,
  filter: BoardStatusFilter | undefined,
): boolean {
  if (!filter) return true;
  return filter === 'open' ? status === 'active' || status === 'paused' : status === filter;
}

export class ListPartnershipsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: STAGES })
  @IsOptional()
  @IsIn(STAGES)
  stage?: Stage;

  @ApiPropertyOptional({
    enum: BOARD_STATUS_FILTERS,
    description: '`open`: active or paused (what the board shows by default)',
  })
  @IsOptional()
  @IsIn(BOARD_STATUS_FILTERS)
  status?: BoardStatusFilter;

  @ApiPropertyOptional({
    description: 'Text in the title or a partner organisation’s name',
    example: 'Chengdu',
  })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  q?: string;
}

/** The board's filters without its paging: what a CSV export of the board takes. */
export class BoardExportQuery extends OmitType(ListPartnershipsQuery, ['page', 'pageSize']) {}

export class TimelineQuery extends PageQuery {}

export class StreamQuery {
  @ApiPropertyOptional({
    description: 'Send events after this sequence (or use the Last-Event-ID header)',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  after?: number;
}

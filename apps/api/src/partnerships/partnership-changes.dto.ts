import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsInt,
  Max,
  Min,
  IsArray,
  IsEmail,
  IsIn,
  IsOptional,
  IsString,
  Length,
  ValidateNested,
} from 'class-validator';
import {
  LANGUAGES,
  MAX_AREAS,
  MAX_AREA_LENGTH,
  MAX_TITLE_LENGTH,
  MIN_TITLE_LENGTH,
} from '@libs/domain';
import type { Language } from '@libs/domain';
import { IsTimeZone, NestedObject } from '../platform/dto-fields';
import { CoordinatorDto, WorkingHoursDto } from './partnership.dto';

const COMMENT = { example: 'Agreed at the steering committee', maxLength: 2000 };

/** The partnership's own details; what is left out stays as it is. */
export class ChangePartnershipDto {
  @ApiPropertyOptional({ example: 'Valencia – Chengdu: clean energy and mobility' })
  @IsOptional()
  @IsString()
  @Length(MIN_TITLE_LENGTH, MAX_TITLE_LENGTH)
  title?: string;

  @ApiPropertyOptional({
    type: [String],
    maxItems: MAX_AREAS,
    description: 'The whole new list (trimmed, each once)',
    example: ['Clean energy', 'Sustainable mobility'],
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_AREAS)
  @IsString({ each: true })
  @Length(1, MAX_AREA_LENGTH, { each: true })
  areas?: string[];

  @NestedObject(CoordinatorDto, 'optional', {
    description:
      'The coordinator who now runs the partnership (their follow-up e-mails go to them)',
  })
  coordinator?: CoordinatorDto;

  @ApiPropertyOptional(COMMENT)
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  comment?: string;
}

/** A partner contact's details; what is left out stays as it is. */
export class ChangeContactDto {
  @ApiPropertyOptional({ example: 'Raquel Aguado Muñoz' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional({ example: 'raquel.aguado@ivace.example' })
  @IsOptional()
  @IsEmail()
  @Length(3, 320)
  email?: string;

  @ApiPropertyOptional({ enum: LANGUAGES, example: 'es' })
  @IsOptional()
  @IsIn(LANGUAGES)
  language?: Language;

  @ApiPropertyOptional({ example: 'America/Mexico_City' })
  @IsOptional()
  @IsTimeZone()
  timeZone?: string;

  @ApiPropertyOptional({ type: WorkingHoursDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => WorkingHoursDto)
  workingHours?: WorkingHoursDto;

  @ApiPropertyOptional(COMMENT)
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  comment?: string;
}

export class RemoveOrganisationDto {
  @ApiProperty({ example: 'The agency left the programme', maxLength: 2000 })
  @IsString()
  @Length(1, 2000)
  reason: string;
}

/** The newer version of its template a partnership moves to. */
export class MoveTemplateDto {
  @ApiProperty({
    example: 3,
    minimum: 1,
    maximum: 1_000_000,
    description:
      'A published version of the template the partnership follows, newer than its own (`GET /api/v1/templates/{key}/diff?from=<own>&to=<this>` shows what it changes)',
  })
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  version: number;

  @ApiPropertyOptional(COMMENT)
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  comment?: string;
}

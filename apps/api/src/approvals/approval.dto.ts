import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDateString,
  IsDefined,
  IsIn,
  IsInt,
  IsObject,
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

  @ApiProperty({ type: RuleDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => RuleDto)
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
  @ApiProperty({ type: SubjectDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => SubjectDto)
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
}

export class DelegateDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() fromContactId: string;
  @ApiProperty({ format: 'uuid' }) @IsUUID() toContactId: string;
}

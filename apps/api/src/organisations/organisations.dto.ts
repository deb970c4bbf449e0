import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';
import { PageQuery } from '../partnerships/lifecycle.dto';
import { OrganisationView } from '../partnerships/partnership.dto';

export class ListOrganisationsQuery extends PageQuery {
  @ApiPropertyOptional({
    description:
      'Text in the organisation’s name, matched literally (`%` and `_` are no wildcards)',
    example: 'IVACE',
  })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  q?: string;
}

export class OrganisationPageView {
  @ApiProperty({ type: [OrganisationView], description: 'By name' }) items: OrganisationView[];
  @ApiProperty({ type: 'integer', minimum: 1 }) page: number;
  @ApiProperty({ type: 'integer', minimum: 1 }) pageSize: number;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Matching organisations in all pages' })
  total: number;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { ContactDto, PartnerOrganisationDto } from './partnership.dto';

const COMMENT = { example: 'Agreed at the steering committee', maxLength: 2000 };

/** An organisation that joins: an existing one (`id`), or a new one given inline. */
export class AddOrganisationDto extends PartnerOrganisationDto {
  @ApiPropertyOptional(COMMENT)
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  comment?: string;
}

/** A new contact of a partner organisation. */
export class AddContactDto extends ContactDto {
  @ApiPropertyOptional(COMMENT)
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  comment?: string;
}

export class DeactivateContactDto {
  @ApiProperty({ example: 'Raquel left IVACE in November', maxLength: 2000 })
  @IsString()
  @Length(1, 2000)
  reason: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description:
      'A colleague in the same organisation who takes over the approval requests the contact has ' +
      'still to answer (required when there are any) and their open tasks (left unassigned without one)',
  })
  @IsOptional()
  @IsUUID()
  delegateTo?: string;
}

export class ReactivateContactDto {
  @ApiPropertyOptional(COMMENT)
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  comment?: string;
}

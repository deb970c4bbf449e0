import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

export class SetClosureDto {
  @ApiProperty({
    description: 'Why the organisation is closed that day, as its people say it (1–100 characters)',
    example: 'Cierre de verano',
  })
  @IsString()
  @Length(1, 100)
  name: string;
}

export class ClosureView {
  @ApiProperty({ description: 'The local date the organisation is closed', example: '2027-08-13' })
  date: string;
  @ApiProperty({ example: 'Cierre de verano' }) name: string;
  @ApiProperty({ format: 'uuid', description: 'The admin who set it last' }) updatedBy: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class ClosuresView {
  @ApiProperty({ format: 'uuid' }) organisationId: string;
  @ApiProperty({ example: 'Valencian Institute of Business Competitiveness (IVACE)' })
  organisationName: string;
  @ApiProperty({ type: [ClosureView], description: 'By date' }) items: ClosureView[];
}

export class ClosureChangeView extends ClosuresView {
  @ApiProperty({
    type: [String],
    description:
      'The partnerships (not ended) of the organisation whose workflows took the new calendars and planned their follow-ups again',
  })
  replanned: string[];
  @ApiProperty({
    type: [String],
    description:
      'Those whose workflows could not take them now (e.g. a worker is down): `POST …/closures/replan` (or `npm run calendars:refresh`) re-plans them',
  })
  notReplanned: string[];
}

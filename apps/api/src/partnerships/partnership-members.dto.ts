import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { MEMBER_ROLES, MemberRole, USER_ROLES, UserRole } from '@libs/domain';

export class SetMemberDto {
  @ApiProperty({ enum: MEMBER_ROLES, example: 'observer' })
  @IsIn(MEMBER_ROLES)
  role: MemberRole;
}

export class MemberView {
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty() name: string;
  @ApiProperty() email: string;
  @ApiProperty({ enum: MEMBER_ROLES }) role: MemberRole;
  @ApiProperty({ enum: USER_ROLES, description: 'The account’s own role' })
  accountRole: UserRole;
  @ApiProperty({ format: 'date-time' }) addedAt: string;
  @ApiProperty({
    nullable: true,
    type: String,
    format: 'uuid',
    description: 'Who added them; null: the creator',
  })
  addedBy: string | null;
}

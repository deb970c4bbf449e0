import { Body, Controller, Delete, Get, HttpCode, Injectable, Param, Put } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiTags,
} from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { DataSource } from 'typeorm';
import { MemberRow, MembersRepository, UsersRepository } from '@libs/db';
import {
  AuthUser,
  DomainError,
  ErrorCode,
  isUuid,
  MEMBER_ROLES,
  MemberRole,
  USER_ROLES,
  UserRole,
} from '@libs/domain';
import { CurrentUser } from '../auth/auth.decorators';
import { audit } from '../platform/audit';
import { PartnershipRoute } from './partnership-access';
import { PartnershipReadService } from './partnership-read.service';

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

/**
 * A partnership's members. Coordinators act on it, observers read it; admins see every
 * partnership without being members. Each change is written to the audit log with its actor.
 */
@Injectable()
export class PartnershipMembersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly members: MembersRepository,
    private readonly users: UsersRepository,
    private readonly read: PartnershipReadService,
  ) {}

  async list(partnershipId: string): Promise<MemberView[]> {
    await this.read.requireRow(partnershipId);
    const rows = await this.members.list(partnershipId);
    return rows.map(toView);
  }

  async set(
    by: AuthUser,
    partnershipId: string,
    userId: string,
    role: MemberRole,
  ): Promise<MemberView> {
    await this.read.requireRow(partnershipId);
    const user = isUuid(userId) ? await this.users.roleOf(userId) : undefined;
    if (!user) throw new DomainError(ErrorCode.USER_NOT_FOUND, `No user ${userId}`);
    if (user.role === 'observer' && role === 'coordinator') {
      throw new DomainError(ErrorCode.VALIDATION_FAILED, 'An observer account can only observe', {
        errors: [{ field: 'role', messages: ['an observer account can only be an observer'] }],
      });
    }
    await this.dataSource.transaction(async (tx) => {
      await this.members.set(tx, { partnershipId, userId, role, addedBy: by.id });
      await audit(tx, by, 'partnership.member_set', partnershipId, {
        userId,
        role,
      });
    });
    return (await this.list(partnershipId)).find((m) => m.userId === userId)!;
  }

  async remove(by: AuthUser, partnershipId: string, userId: string): Promise<void> {
    await this.read.requireRow(partnershipId);
    await this.dataSource.transaction(async (tx) => {
      const removed = isUuid(userId) && (await this.members.remove(tx, partnershipId, userId));
      if (!removed) {
        throw new DomainError(ErrorCode.MEMBER_NOT_FOUND, `${userId} is not a member`);
      }
      await audit(tx, by, 'partnership.member_removed', partnershipId, { userId });
    });
  }
}

function toView(row: MemberRow): MemberView {
  return {
    userId: row.user_id,
    name: row.name,
    email: row.email,
    role: row.role,
    accountRole: row.account_role,
    addedAt: new Date(row.added_at).toISOString(),
    addedBy: row.added_by,
  };
}

@ApiTags('partnerships')
@Controller('api/v1/partnerships')
export class PartnershipMembersController {
  constructor(private readonly members: PartnershipMembersService) {}

  @Get(':id/members')
  @PartnershipRoute('read')
  @ApiOperation({ summary: 'Who coordinates and who observes the partnership' })
  @ApiOkResponse({ type: [MemberView] })
  @ApiNotFoundResponse({ description: 'PARTNERSHIP_NOT_FOUND (also when you may not see it)' })
  list(@Param('id') id: string): Promise<MemberView[]> {
    return this.members.list(id);
  }

  @Put(':id/members/:userId')
  @PartnershipRoute('act')
  @ApiOperation({
    summary: 'Add a coordinator or an observer, or change their role (admins and coordinators)',
  })
  @ApiOkResponse({ type: MemberView })
  @ApiBadRequestResponse({ description: 'An observer account made a coordinator' })
  @ApiForbiddenResponse({ description: 'You observe this partnership' })
  @ApiNotFoundResponse({ description: 'PARTNERSHIP_NOT_FOUND, USER_NOT_FOUND' })
  set(
    @Param('id') id: string,
    @Param('userId') userId: string,
    @Body() body: SetMemberDto,
    @CurrentUser() user: AuthUser,
  ): Promise<MemberView> {
    return this.members.set(user, id, userId, body.role);
  }

  @Delete(':id/members/:userId')
  @HttpCode(204)
  @PartnershipRoute('act')
  @ApiOperation({ summary: 'Remove a member (admins and coordinators)' })
  @ApiNoContentResponse()
  @ApiForbiddenResponse({ description: 'You observe this partnership' })
  @ApiNotFoundResponse({ description: 'PARTNERSHIP_NOT_FOUND, MEMBER_NOT_FOUND' })
  async remove(
    @Param('id') id: string,
    @Param('userId') userId: string,
    @CurrentUser() user: AuthUser,
  ): Promise<void> {
    await this.members.remove(user, id, userId);
  }
}

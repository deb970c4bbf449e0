import { Body, Controller, Delete, Get, HttpCode, Param, Put } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { AuthUser } from '@libs/domain';
import { CurrentUser } from '../auth/auth.decorators';
import { PartnershipRoute } from './partnership-access';
import { MemberView, SetMemberDto } from './partnership-members.dto';
import { PartnershipMembersService } from './partnership-members.service';

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

import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { AuthUser } from '@libs/domain';
import { CurrentUser } from '../auth/auth.decorators';
import { MyWorkQuery, MyWorkPageView } from './my-work.dto';
import { MyWorkService } from './my-work.service';

@ApiTags('partnerships')
@Controller('api/v1/me')
export class MyWorkController {
  constructor(private readonly work: MyWorkService) {}

  @Get('work')
  @ApiOperation({
    summary: 'What waits on you across the partnerships you coordinate, newest first',
    description:
      'Gates ready to advance, approval requests answered or expired, escalations, overdue tasks ' +
      'and stalled stages, in the running partnerships where you are a coordinator member ' +
      '(an observer or an admin who coordinates none gets an empty list). News (a closed or ' +
      'escalated request, a stall) stays until someone acts on the partnership; a gate or an ' +
      'overdue task until it changes.',
  })
  @ApiOkResponse({ type: MyWorkPageView })
  @ApiUnauthorizedResponse({ description: 'UNAUTHENTICATED' })
  list(@Query() query: MyWorkQuery, @CurrentUser() user: AuthUser): Promise<MyWorkPageView> {
    return this.work.list(user.id, query);
  }
}

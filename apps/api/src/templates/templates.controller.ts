import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { AuthUser } from '@libs/domain';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import {
  CreateTemplateDraftDto,
  TemplateContentDto,
  TemplateDiffQuery,
  TemplateDiffView,
  TemplateListView,
  TemplateVersionView,
} from './templates.dto';
import { TemplatesService } from './templates.service';

const ADMINS_ONLY = 'FORBIDDEN: admins only';

@ApiTags('templates')
@Controller('api/v1/templates')
@ApiUnauthorizedResponse({ description: 'UNAUTHENTICATED' })
export class TemplatesController {
  constructor(private readonly templates: TemplatesService) {}

  @Get()
  @ApiOperation({
    summary: 'Every stage template version, drafts included, by key then version',
    description: '`current` marks the version new partnerships start with.',
  })
  @ApiOkResponse({ type: TemplateListView })
  list(): Promise<TemplateListView> {
    return this.templates.list();
  }

  @Get(':key/versions/:version')
  @ApiOperation({
    summary: 'One template version: each stage’s tasks and gate rule',
    description: 'A draft also says what publishing it would refuse now (`problems`).',
  })
  @ApiOkResponse({ type: TemplateVersionView })
  @ApiNotFoundResponse({ description: 'TEMPLATE_NOT_FOUND' })
  get(@Param('key') key: string, @Param('version') version: string): Promise<TemplateVersionView> {
    return this.templates.get(key, version);
  }

  @Post(':key/versions')
  @Roles('admin')
  @ApiOperation({
    summary: 'A new draft version of a template (admins), empty or copied from a version',
    description:
      'Numbered after the template’s latest version. One draft per template at a time, so a ' +
      'retried request makes no second one (`409 TEMPLATE_DRAFT_EXISTS`).',
  })
  @ApiCreatedResponse({ type: TemplateVersionView })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED, naming each invalid field' })
  @ApiForbiddenResponse({ description: ADMINS_ONLY })
  @ApiNotFoundResponse({ description: 'TEMPLATE_NOT_FOUND: no such version to copy' })
  @ApiConflictResponse({ description: 'TEMPLATE_DRAFT_EXISTS' })
  create(
    @Param('key') key: string,
    @Body() dto: CreateTemplateDraftDto,
    @CurrentUser() user: AuthUser,
  ): Promise<TemplateVersionView> {
    return this.templates.createDraft(user, key, dto);
  }

  @Put(':key/versions/:version')
  @Roles('admin')
  @ApiOperation({
    summary: 'Replace a draft’s stages, tasks and gate rules (admins)',
    description:
      'The whole content: a stage left out has no tasks and needs no consent. Titles in es and ' +
      'zh may wait until publishing; what the rules refuse even in a draft (a task key twice in ' +
      'a stage, a gate that checks nothing, an approval-only field on a plain task) is a 400.',
  })
  @ApiOkResponse({ type: TemplateVersionView })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED, naming each invalid field' })
  @ApiForbiddenResponse({ description: ADMINS_ONLY })
  @ApiNotFoundResponse({ description: 'TEMPLATE_NOT_FOUND' })
  @ApiConflictResponse({ description: 'TEMPLATE_PUBLISHED: a published version never changes' })
  edit(
    @Param('key') key: string,
    @Param('version') version: string,
    @Body() dto: TemplateContentDto,
    @CurrentUser() user: AuthUser,
  ): Promise<TemplateVersionView> {
    return this.templates.edit(user, key, version, dto);
  }

  @Post(':key/versions/:version/publish')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({
    summary: 'Publish a draft (admins): new partnerships start with it; it never changes again',
    description:
      'Partnerships that started with an earlier version keep theirs. Refused with every ' +
      'problem the rules find (`problems`) when the draft is not complete.',
  })
  @ApiOkResponse({ type: TemplateVersionView })
  @ApiForbiddenResponse({ description: ADMINS_ONLY })
  @ApiNotFoundResponse({ description: 'TEMPLATE_NOT_FOUND' })
  @ApiConflictResponse({
    description: 'TEMPLATE_PUBLISHED: published already; TEMPLATE_INVALID: `problems` lists why',
  })
  publish(
    @Param('key') key: string,
    @Param('version') version: string,
    @CurrentUser() user: AuthUser,
  ): Promise<TemplateVersionView> {
    return this.templates.publish(user, key, version);
  }

  @Get(':key/diff')
  @ApiOperation({
    summary: 'What moving from one version of a template to another changes, stage by stage',
    description: 'Tasks added, removed and changed (field by field), and gate rules changed.',
  })
  @ApiOkResponse({ type: TemplateDiffView })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED, naming each invalid parameter' })
  @ApiNotFoundResponse({ description: 'TEMPLATE_NOT_FOUND' })
  diff(@Param('key') key: string, @Query() query: TemplateDiffQuery): Promise<TemplateDiffView> {
    return this.templates.diff(key, query);
  }
}

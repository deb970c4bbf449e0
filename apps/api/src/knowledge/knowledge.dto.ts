import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  MaxLength,
} from 'class-validator';
import {
  LANGUAGES,
  MAX_KNOWLEDGE_LINK_LENGTH,
  MAX_KNOWLEDGE_LINKS,
  MAX_KNOWLEDGE_REQUEST_CONTACTS,
  MAX_KNOWLEDGE_TEXT_LENGTH,
  MAX_KNOWLEDGE_TOPIC_TITLE_LENGTH,
} from '@libs/domain';
import type { EventActor, Language } from '@libs/domain';

export class AddKnowledgeTopicDto {
  @ApiProperty({ maxLength: MAX_KNOWLEDGE_TOPIC_TITLE_LENGTH, example: 'Public procurement' })
  @IsString()
  @Length(1, MAX_KNOWLEDGE_TOPIC_TITLE_LENGTH)
  title: string;

  @ApiPropertyOptional({
    default: true,
    description: 'Whether the gate (when it asks for contributions) needs this topic',
  })
  @IsOptional()
  @IsBoolean()
  required?: boolean;
}

export class KnowledgeContributionDto {
  @ApiProperty({
    maxLength: MAX_KNOWLEDGE_TEXT_LENGTH,
    description: 'In its author’s language, kept as written',
  })
  @IsString()
  @MaxLength(MAX_KNOWLEDGE_TEXT_LENGTH)
  text: string;

  @ApiProperty({ enum: LANGUAGES, description: 'The language the text is written in' })
  @IsIn(LANGUAGES)
  language: Language;

  @ApiPropertyOptional({
    type: [String],
    maxItems: MAX_KNOWLEDGE_LINKS,
    description: `http(s) URLs of at most ${MAX_KNOWLEDGE_LINK_LENGTH} characters`,
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_KNOWLEDGE_LINKS)
  @IsString({ each: true })
  @MaxLength(MAX_KNOWLEDGE_LINK_LENGTH, { each: true })
  links?: string[];
}

export class SetKnowledgeGateDto {
  @ApiProperty({
    description:
      'True: advancing out of knowledge sharing needs a contribution from every organisation on every required topic',
  })
  @IsBoolean()
  requireContributions: boolean;
}

export class RequestKnowledgeDto {
  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    maxItems: MAX_KNOWLEDGE_REQUEST_CONTACTS,
    description: 'Partner contacts to ask; every contact of every partner when left out',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_KNOWLEDGE_REQUEST_CONTACTS)
  @IsUUID('all', { each: true })
  contactIds?: string[];
}

export class KnowledgeRequestView {
  @ApiProperty({
    type: [String],
    format: 'uuid',
    description: 'Who was asked (each got an e-mail)',
  })
  contactIds: string[];
}

export class KnowledgeGateView {
  @ApiProperty() requireContributions: boolean;
}

export class KnowledgeAuthorView {
  @ApiProperty({ enum: ['coordinator', 'contact', 'user', 'system'] })
  kind: EventActor['kind'];
  @ApiPropertyOptional() id?: string;
  @ApiPropertyOptional() name?: string;
}

export class KnowledgeContributionView {
  @ApiProperty() topicKey: string;
  @ApiProperty({ format: 'uuid' }) organisationId: string;
  @ApiProperty({ description: '1 for the first, one more for each edit' }) revision: number;
  @ApiProperty() text: string;
  @ApiProperty({ enum: LANGUAGES }) language: Language;
  @ApiProperty({ type: [String] }) links: string[];
  @ApiProperty({ type: KnowledgeAuthorView }) author: KnowledgeAuthorView;
  @ApiProperty({ format: 'date-time' }) at: string;
}

export class KnowledgeSideView {
  @ApiProperty({ format: 'uuid' }) organisationId: string;
  @ApiProperty({ type: KnowledgeContributionView, nullable: true })
  contribution: KnowledgeContributionView | null;
}

export class KnowledgeTopicView {
  @ApiProperty({ example: 'funding_environment' }) key: string;
  @ApiProperty({ description: 'English for a default topic; as written for an added one' })
  title: string;
  @ApiProperty() required: boolean;
  @ApiProperty({ enum: ['default', 'custom'] }) source: 'default' | 'custom';
  @ApiProperty({ type: [KnowledgeSideView], description: 'One per organisation, in partner order' })
  sides: KnowledgeSideView[];
}

export class KnowledgeOrganisationView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() country: string;
}

export class KnowledgeMissingView {
  @ApiProperty() topicKey: string;
  @ApiProperty() title: string;
  @ApiProperty({ format: 'uuid' }) organisationId: string;
}

export class KnowledgeComparisonView {
  @ApiProperty({ format: 'uuid' }) partnershipId: string;
  @ApiProperty() title: string;
  @ApiProperty() requireContributions: boolean;
  @ApiProperty({ type: [KnowledgeOrganisationView] }) organisations: KnowledgeOrganisationView[];
  @ApiProperty({ type: [KnowledgeTopicView] }) topics: KnowledgeTopicView[];
  @ApiProperty({
    type: [KnowledgeMissingView],
    description:
      'Required topics an organisation has not contributed to (whether or not the gate asks)',
  })
  missing: KnowledgeMissingView[];
}

export class KnowledgeTopicAddedView {
  @ApiProperty() key: string;
  @ApiProperty({ description: 'False: a topic of this title already existed (nothing added)' })
  added: boolean;
}

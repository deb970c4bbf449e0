import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';
import { MAX_COMMENT_LENGTH } from '@libs/domain';

export class AddCommentDto {
  @ApiProperty({
    example: 'The seminar moves to Tuesday; please bring the agenda.',
    description: `1 to ${MAX_COMMENT_LENGTH} characters once trimmed (COMMENT_REQUIRED, COMMENT_TOO_LONG)`,
  })
  @IsString()
  text: string;

  @ApiPropertyOptional({
    example: 'introduction.introductory_meeting',
    description: 'The task it is on; absent: the partnership',
  })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  taskId?: string;
}

export class CommentView {
  @ApiProperty({ format: 'uuid' }) commentId: string;
  @ApiProperty({ description: 'False when this Idempotency-Key recorded the comment before' })
  recorded: boolean;
}

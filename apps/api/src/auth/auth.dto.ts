import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsString,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { LANGUAGES, USER_ROLES } from '@libs/domain';
import type { Language, UserRole } from '@libs/domain';
import { IsTimeZone } from '../platform/dto-fields';

const trim = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim() : value;

/** Optional but not nullable: validated unless absent (IsOptional lets null through too). */
const present = (_: object, value: unknown): boolean => value !== undefined;

export class LoginDto {
  @ApiProperty({ example: 'admin@entente.local', maxLength: 320 })
  @IsString()
  @MaxLength(320)
  email: string;

  @ApiProperty({ example: 'correct horse battery staple', maxLength: 1024, format: 'password' })
  @IsString()
  @MaxLength(1024)
  password: string;
}

export class RefreshTokenDto {
  @ApiProperty({ description: 'The refresh token from the last login or refresh', maxLength: 200 })
  @IsString()
  @MaxLength(200)
  refreshToken: string;
}

export class AccountView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'ana@iurc.example' }) email: string;
  @ApiProperty({ example: 'Ana' }) name: string;
  @ApiProperty({ enum: USER_ROLES }) role: UserRole;
  @ApiProperty({
    // null among the values too: OpenAPI 3.0 checks enum before nullable.
    enum: [...LANGUAGES, null],
    nullable: true,
    type: String,
    description: "The web app's language the user chose; null: the browser's",
  })
  language: Language | null;
  @ApiProperty({
    nullable: true,
    type: String,
    example: 'Asia/Kolkata',
    description:
      "IANA time zone of the user's weekly digest (sent Monday 09:00 there); null: the configured `COORDINATOR_TIME_ZONE`",
  })
  timeZone: string | null;
  @ApiProperty({ description: 'Whether a coordinator gets the weekly digest e-mail' })
  weeklyDigest: boolean;
}

/** A web session: the access token in the body, the refresh token in an httpOnly cookie. */
export class SessionView {
  @ApiProperty({ description: 'JWT (HS256); keep it in memory, send as `Authorization: Bearer`' })
  accessToken: string;
  @ApiProperty({ example: 'Bearer' }) tokenType: 'Bearer';
  @ApiProperty({ description: 'Seconds until the access token expires', example: 900 })
  expiresIn: number;
  @ApiProperty({ type: AccountView }) user: AccountView;
}

/** A time zone or null (the configured default); absent: unchanged. */
const zoneGiven = (_: object, value: unknown): boolean => value !== undefined && value !== null;

export class UpdateMeDto {
  @ApiPropertyOptional({
    // null among the values too: OpenAPI 3.0 checks enum before nullable.
    enum: [...LANGUAGES, null],
    nullable: true,
    type: String,
    description: "The web app's language; null: the browser's; absent: unchanged",
  })
  @ValidateIf((_o, v) => v !== null && v !== undefined)
  @IsIn(LANGUAGES)
  language?: Language | null;

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    example: 'Asia/Kolkata',
    maxLength: 100,
    description:
      'IANA time zone of your weekly digest; null: the configured default; absent: unchanged',
  })
  @ValidateIf(zoneGiven)
  @IsString()
  @MaxLength(100)
  @IsTimeZone()
  timeZone?: string | null;

  @ApiPropertyOptional({ description: 'Get the weekly digest e-mail; absent: unchanged' })
  @ValidateIf(present)
  @IsBoolean()
  weeklyDigest?: boolean;
}

export class TokenPairView {
  @ApiProperty({ description: 'JWT (HS256); send as `Authorization: Bearer <accessToken>`' })
  accessToken: string;
  @ApiProperty({ example: 'Bearer' }) tokenType: 'Bearer';
  @ApiProperty({ description: 'Seconds until the access token expires', example: 900 })
  expiresIn: number;
  @ApiProperty({
    description: 'Single use: exchange it at /api/v1/auth/refresh for a new pair',
  })
  refreshToken: string;
  @ApiProperty({ format: 'date-time' }) refreshExpiresAt: string;
  @ApiProperty({ type: AccountView }) user: AccountView;
}

export class CreateApiTokenDto {
  @ApiProperty({ example: 'CRM sync', minLength: 1, maxLength: 100 })
  @Transform(trim)
  @IsString()
  @Length(1, 100)
  name: string;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 3650,
    description:
      'Days until it expires: at most `AUTH_API_TOKEN_MAX_DAYS` (365 by default; longer is refused), which is also the lifetime when absent',
  })
  @ValidateIf(present)
  @IsInt()
  @Min(1)
  @Max(3650)
  expiresInDays?: number;
}

export class ApiTokenView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'CRM sync' }) name: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) expiresAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) lastUsedAt: string | null;
}

export class RevokedApiTokensView {
  @ApiProperty({ description: 'How many live API tokens of the user were revoked', example: 2 })
  revoked: number;
}

export class CreatedApiTokenView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({
    description: 'Shown once: `ent_pat_<id>_<secret>`. Send as `Authorization: Bearer <token>`.',
  })
  token: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) expiresAt: string;
}

export class CreateUserDto {
  @ApiProperty({ example: 'ana@iurc.example', maxLength: 320 })
  @Transform(trim)
  @IsEmail()
  @MaxLength(320)
  email: string;

  @ApiProperty({ example: 'Ana', minLength: 1, maxLength: 200 })
  @Transform(trim)
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiProperty({ enum: USER_ROLES })
  @IsIn(USER_ROLES)
  role: UserRole;

  @ApiProperty({ minLength: 12, maxLength: 256, format: 'password' })
  @IsString()
  @MaxLength(1024) // the characters are counted by the password rules (12 to 256)
  password: string;
}

export class UpdateUserDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 200 })
  @ValidateIf(present)
  @Transform(trim)
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional({ enum: USER_ROLES })
  @ValidateIf(present)
  @IsIn(USER_ROLES)
  role?: UserRole;

  @ApiPropertyOptional({ description: 'A disabled user cannot log in; their sessions end' })
  @ValidateIf(present)
  @IsBoolean()
  disabled?: boolean;

  @ApiPropertyOptional({
    minLength: 12,
    maxLength: 256,
    format: 'password',
    description: 'A new password ends their sessions and lifts a lock',
  })
  @ValidateIf(present)
  @IsString()
  @MaxLength(1024)
  password?: string;

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    example: 'Asia/Kolkata',
    maxLength: 100,
    description: 'IANA time zone of their weekly digest; null: the configured default',
  })
  @ValidateIf(zoneGiven)
  @IsString()
  @MaxLength(100)
  @IsTimeZone()
  timeZone?: string | null;

  @ApiPropertyOptional({ description: 'Whether they get the weekly digest e-mail' })
  @ValidateIf(present)
  @IsBoolean()
  weeklyDigest?: boolean;
}

export class UserView extends AccountView {
  @ApiProperty() disabled: boolean;
  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    description: 'Set while repeated failed logins keep the account locked',
  })
  lockedUntil: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class UserPage {
  @ApiProperty({ type: [UserView] }) items: UserView[];
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
  @ApiProperty() total: number;
}

export class AuditActorView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'admin@entente.local' }) email: string;
  @ApiProperty({ example: 'Administrator' }) name: string;
}

export class AuditEntryView {
  @ApiProperty({ example: '42' }) id: string;
  @ApiProperty({
    nullable: true,
    type: AuditActorView,
    description: 'Who made the change; null for the configured admin or `npm run user:create`',
  })
  actor: AuditActorView | null;
  @ApiProperty({ example: 'user.updated' }) action: string;
  @ApiProperty({ example: 'user:6f1c…' }) target: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) details: Record<string, unknown>;
  @ApiProperty({ format: 'date-time' }) at: string;
}

export class AuditPage {
  @ApiProperty({ type: [AuditEntryView] }) items: AuditEntryView[];
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
  @ApiProperty() total: number;
}

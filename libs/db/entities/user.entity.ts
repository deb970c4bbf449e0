import { Check, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import * as column from './columns';
import type { Language, UserRole } from '../../domain';

/**
 * An account: admin, coordinator or observer (partner contacts have none; they act through signed
 * links). The e-mail is stored lower-cased, so the unique index makes it unique regardless of case.
 * Users are disabled, never deleted, so every actor recorded anywhere keeps pointing at someone.
 */
@Entity({ name: 'users' })
@Index('UQ_users_email', ['email'], { unique: true })
@Check('CHK_users_role', `"role" IN ('admin', 'coordinator', 'observer')`)
@Check('CHK_users_language', `"language" IN ('en', 'es', 'zh')`)
export class UserEntity {
  @PrimaryColumn('uuid') id: string;

  @column.Text() email: string;

  @column.Text() name: string;

  @column.Text() role: UserRole;

  /** `scrypt$N$r$p$salt$hash` (libs/auth); never leaves the API. */
  @column.Text({ name: 'password_hash' }) passwordHash: string;

  @column.Bool({ default: false }) disabled: boolean;

  /** The web app's language for this user; null: the browser's. */
  @column.Text({ nullable: true }) language: Language | null;

  /** IANA zone of the user's weekly digest (sent Monday 09:00 there); null: COORDINATOR_TIME_ZONE. */
  @column.Text({ name: 'time_zone', nullable: true }) timeZone: string | null;

  /** Whether a coordinator gets the weekly digest e-mail (docs/digest.md). */
  @column.Bool({ name: 'weekly_digest', default: true }) weeklyDigest: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

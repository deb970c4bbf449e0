import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryColumn,
  UpdateDateColumn,
} from 'typeorm';
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
  @PrimaryColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  email: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  role: UserRole;

  /** `scrypt$N$r$p$salt$hash` (libs/auth); never leaves the API. */
  @Column({ name: 'password_hash', type: 'text' })
  passwordHash: string;

  @Column({ type: 'boolean', default: false })
  disabled: boolean;

  /** The web app's language for this user; null: the browser's. */
  @Column({ type: 'text', nullable: true })
  language: Language | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

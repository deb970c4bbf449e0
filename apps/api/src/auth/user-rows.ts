import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { hashPassword, SCRYPT_PARAMS, type ScryptParams } from '@libs/auth';
import { recordAudit, UserEntity, UsersRepository } from '@libs/db';
import type { UserRole } from '@libs/domain';

/** E-mails are compared case-insensitively: stored lower-cased, under a unique index. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * Inserts a user unless the e-mail is taken (then undefined), with its `user.created` audit entry,
 * in the caller's transaction. Shared by the admin API, the configured first admin and
 * `npm run user:create` (no Nest needed). The password must already satisfy `passwordProblems`.
 */
export async function insertUser(
  m: EntityManager,
  input: { email: string; name: string; role: UserRole; password: string },
  actor: { actorUserId: string | null; source: 'api' | 'config' | 'cli' },
  /** The cost of the password's hash (the API's PASSWORD_HASH_COST). */
  scrypt: ScryptParams = SCRYPT_PARAMS,
): Promise<UserEntity | undefined> {
  const id = randomUUID();
  const email = normaliseEmail(input.email);
  const passwordHash = await hashPassword(input.password, scrypt);
  const users = new UsersRepository(m.connection);
  const inserted = await users.insertUnlessTaken(m, {
    id,
    email,
    name: input.name,
    role: input.role,
    passwordHash,
  });
  if (!inserted) return undefined;
  await recordAudit(m, {
    actorUserId: actor.actorUserId,
    action: 'user.created',
    target: `user:${id}`,
    details: { email, name: input.name, role: input.role, source: actor.source },
  });
  return users.get(m, id);
}

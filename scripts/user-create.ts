/**
 * `npm run user:create -- --email ana@iurc.example --name "Ana" --role admin`: creates a user
 * (the first admin, typically) in DATABASE_URL or the embedded database, after running pending
 * migrations. The password comes from USER_PASSWORD, or from standard input (a prompt without
 * echo on a terminal, or a pipe: `printf '%s' "$PW" | npm run user:create -- …`). It is never
 * printed, and the audit log records the user as created by `user:create`.
 */
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { passwordProblems } from '@libs/auth';
import { createDataSource, runMigrationsLocked } from '@libs/db';
import { USER_ROLES } from '@libs/domain';
import type { UserRole } from '@libs/domain';
import { insertUser } from '../apps/api/src/auth/user-rows';
import { withDatabase } from './lib/database-url';

const USAGE =
  'usage: npm run user:create -- --email <e-mail> --name <name> [--role admin|coordinator|observer]\n' +
  '       password from USER_PASSWORD or standard input';

async function readPassword(): Promise<string> {
  if (process.env.USER_PASSWORD) return process.env.USER_PASSWORD;
  if (!process.stdin.isTTY) {
    let text = '';
    for await (const chunk of process.stdin) text += String(chunk);
    return text.replace(/\r?\n$/, '');
  }
  // A terminal: prompt, and echo nothing while the password is typed.
  process.stdout.write('Password: ');
  const muted = new Writable({ write: (_chunk, _encoding, done) => done() });
  const rl = createInterface({ input: process.stdin, output: muted, terminal: true });
  const password = await new Promise<string>((resolve) => rl.question('', resolve));
  rl.close();
  process.stdout.write('\n');
  return password;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      email: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string', default: 'admin' },
    },
  });
  const email = values.email?.trim();
  const name = values.name?.trim();
  const role = values.role as UserRole;
  if (!email || !/^[^\s@]+@[^\s@]+$/.test(email) || !name || !USER_ROLES.includes(role)) {
    throw new Error(USAGE);
  }
  const password = await readPassword();
  const problems = passwordProblems(password);
  if (problems.length) throw new Error(`the password ${problems.join(', ')}`);

  await withDatabase(async (url) => {
    const dataSource = createDataSource(url);
    await dataSource.initialize();
    try {
      await runMigrationsLocked(dataSource);
      const user = await dataSource.transaction((m) =>
        insertUser(m, { email, name, role, password }, { actorUserId: null, source: 'cli' }),
      );
      if (!user) throw new Error(`a user with the e-mail ${email.toLowerCase()} already exists`);
      console.log(`created ${user.role} ${user.email} (${user.id})`);
    } finally {
      await dataSource.destroy();
    }
  });
}

main().catch((err: unknown) => {
  console.error(`[user:create] ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});

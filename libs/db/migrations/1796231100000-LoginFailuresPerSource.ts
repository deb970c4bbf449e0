import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Failed logins are counted per account and source (`login_failures`), no longer on the user row,
 * so that a lock from one source leaves the account open from every other.
 */
export class LoginFailuresPerSource1796231100000 implements MigrationInterface {
  name = 'LoginFailuresPerSource1796231100000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "login_failures" ("user_id" uuid NOT NULL, "source" text NOT NULL, "failed_logins" integer NOT NULL DEFAULT '0', "locked_until" TIMESTAMP WITH TIME ZONE, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_login_failures" PRIMARY KEY ("user_id", "source"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "login_failures" ADD CONSTRAINT "FK_login_failures_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "failed_logins"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "locked_until"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" ADD "locked_until" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "users" ADD "failed_logins" integer NOT NULL DEFAULT '0'`);
    await queryRunner.query(`DROP TABLE "login_failures"`);
  }
}

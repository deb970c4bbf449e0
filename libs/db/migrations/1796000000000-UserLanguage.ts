import { MigrationInterface, QueryRunner } from 'typeorm';

/** The web app's language per user (null: the browser's). */
export class UserLanguage1796000000000 implements MigrationInterface {
  name = 'UserLanguage1796000000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" ADD "language" text`);
    await queryRunner.query(
      `ALTER TABLE "users" ADD CONSTRAINT "CHK_users_language" CHECK ("language" IN ('en', 'es', 'zh'))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" DROP CONSTRAINT "CHK_users_language"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "language"`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The weekly digest (docs/digest.md): each user's IANA time zone (null: COORDINATOR_TIME_ZONE) and
 * whether they get the digest; the outbox keeps e-mails of no partnership (a digest covers
 * several), so its `partnership_id` may be null.
 */
export class WeeklyDigest1796500000002 implements MigrationInterface {
  name = 'WeeklyDigest1796500000002';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" ADD "time_zone" text`);
    await queryRunner.query(
      `ALTER TABLE "users" ADD "weekly_digest" boolean NOT NULL DEFAULT true`,
    );
    await queryRunner.query(
      `ALTER TABLE "notifications" ALTER COLUMN "partnership_id" DROP NOT NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM "notifications" WHERE "partnership_id" IS NULL`);
    await queryRunner.query(
      `ALTER TABLE "notifications" ALTER COLUMN "partnership_id" SET NOT NULL`,
    );
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "weekly_digest"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "time_zone"`);
  }
}

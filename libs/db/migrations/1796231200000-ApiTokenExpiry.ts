import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every API token expires: a token made without an expiry gets one 365 days from now (the default
 * of AUTH_API_TOKEN_MAX_DAYS; the API shortens it at start when the setting is lower).
 */
export class ApiTokenExpiry1796231200000 implements MigrationInterface {
  name = 'ApiTokenExpiry1796231200000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `UPDATE "api_tokens" SET "expires_at" = now() + interval '365 days' WHERE "expires_at" IS NULL`,
    );
    await queryRunner.query(`ALTER TABLE "api_tokens" ALTER COLUMN "expires_at" SET NOT NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "api_tokens" ALTER COLUMN "expires_at" DROP NOT NULL`);
  }
}

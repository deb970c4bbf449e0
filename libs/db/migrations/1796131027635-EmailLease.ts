import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The e-mail outbox's lease: which attempt holds a key (`claim_id`) and until when
 * (`lease_expires_at`), how many attempts claimed it, and the refusal of a key that failed for
 * good (status `failed`).
 */
export class EmailLease1796131027635 implements MigrationInterface {
  name = 'EmailLease1796131027635';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "notifications" ADD "claim_id" uuid`);
    await queryRunner.query(
      `ALTER TABLE "notifications" ADD "lease_expires_at" TIMESTAMP WITH TIME ZONE`,
    );
    await queryRunner.query(
      `ALTER TABLE "notifications" ADD "attempts" integer NOT NULL DEFAULT '0'`,
    );
    await queryRunner.query(`ALTER TABLE "notifications" ADD "error" text`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "notifications" DROP COLUMN "error"`);
    await queryRunner.query(`ALTER TABLE "notifications" DROP COLUMN "attempts"`);
    await queryRunner.query(`ALTER TABLE "notifications" DROP COLUMN "lease_expires_at"`);
    await queryRunner.query(`ALTER TABLE "notifications" DROP COLUMN "claim_id"`);
  }
}

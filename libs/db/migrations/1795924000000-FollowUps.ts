import { MigrationInterface, QueryRunner } from 'typeorm';

/** Follow-ups in the read model: the partnership's policy and each request's reminder state. */
export class FollowUps1795924000000 implements MigrationInterface {
  name = 'FollowUps1795924000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "partnerships" ADD "follow_up_policy" jsonb`);
    await queryRunner.query(
      `ALTER TABLE "approval_requests" ADD "follow_ups" boolean NOT NULL DEFAULT false`,
    );
    await queryRunner.query(`ALTER TABLE "approval_requests" ADD "reminder_policy" jsonb`);
    await queryRunner.query(
      `ALTER TABLE "approval_requests" ADD "snoozed_until" TIMESTAMP WITH TIME ZONE`,
    );
    await queryRunner.query(
      `ALTER TABLE "approval_requests" ADD "escalated_at" TIMESTAMP WITH TIME ZONE`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "approval_requests" DROP COLUMN "escalated_at"`);
    await queryRunner.query(`ALTER TABLE "approval_requests" DROP COLUMN "snoozed_until"`);
    await queryRunner.query(`ALTER TABLE "approval_requests" DROP COLUMN "reminder_policy"`);
    await queryRunner.query(`ALTER TABLE "approval_requests" DROP COLUMN "follow_ups"`);
    await queryRunner.query(`ALTER TABLE "partnerships" DROP COLUMN "follow_up_policy"`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/** The Idempotency-Keys of approval requests, with the hash of the body each first came with. */
export class ApprovalRequestKeys1796200000000 implements MigrationInterface {
  name = 'ApprovalRequestKeys1796200000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "approval_request_keys" ("approval_id" uuid NOT NULL, "request_hash" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_approval_request_keys" PRIMARY KEY ("approval_id"))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "approval_request_keys"`);
  }
}

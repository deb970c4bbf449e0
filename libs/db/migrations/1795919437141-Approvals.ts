import { MigrationInterface, QueryRunner } from 'typeorm';

export class Approvals1795919437141 implements MigrationInterface {
  name = 'Approvals1795919437141';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "approval_requests" ("id" uuid NOT NULL, "partnership_id" uuid NOT NULL, "subject" jsonb NOT NULL, "status" text NOT NULL, "requested_at" TIMESTAMP WITH TIME ZONE NOT NULL, "deadline" TIMESTAMP WITH TIME ZONE NOT NULL, "closed_at" TIMESTAMP WITH TIME ZONE, "requested_by" jsonb NOT NULL, "organisations" jsonb NOT NULL, "updated_sequence" integer NOT NULL, CONSTRAINT "PK_484806bb8ff331b851fc75973c0" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_approval_requests_partnership" ON "approval_requests" ("partnership_id", "requested_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "notifications" ("key" text NOT NULL, "partnership_id" uuid NOT NULL, "channel" text NOT NULL, "recipient" text NOT NULL, "status" text NOT NULL, "message_id" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "sent_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_d51d565cc502858700f21071677" PRIMARY KEY ("key"))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "notifications"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_approval_requests_partnership"`);
    await queryRunner.query(`DROP TABLE "approval_requests"`);
  }
}

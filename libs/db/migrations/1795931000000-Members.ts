import { MigrationInterface, QueryRunner } from 'typeorm';

/** Partnership members: who coordinates or observes which partnership. */
export class Members1795931000000 implements MigrationInterface {
  name = 'Members1795931000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "partnership_members" ("partnership_id" uuid NOT NULL, "user_id" uuid NOT NULL, "role" text NOT NULL, "added_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "added_by" uuid, CONSTRAINT "PK_partnership_members" PRIMARY KEY ("partnership_id", "user_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_partnership_members_user" ON "partnership_members" ("user_id") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_partnership_members_user"`);
    await queryRunner.query(`DROP TABLE "partnership_members"`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each partnership's insight folded through its timeline, kept as of its `last_sequence`, with
 * its figures as rows for the aggregates (PartnershipInsightFoldEntity, docs/analytics.md).
 * Empty to start: the first insight read folds every partnership it covers and keeps the folds.
 */
export class InsightFolds1796500000004 implements MigrationInterface {
  name = 'InsightFolds1796500000004';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "partnership_insight_folds" ("partnership_id" uuid NOT NULL, "through_sequence" integer NOT NULL, "fold_version" integer NOT NULL, "through_ms" bigint, "fold" jsonb NOT NULL, "folded_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_4a8a93ee1f15eaf5823d5de44e7" PRIMARY KEY ("partnership_id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "partnership_insight_stays" ("partnership_id" uuid NOT NULL, "position" integer NOT NULL, "stage" text NOT NULL, "ms" bigint NOT NULL, "ended_by_move" boolean NOT NULL, "open" boolean NOT NULL, CONSTRAINT "PK_93ea4d39ca7aeae1b7e995048d6" PRIMARY KEY ("partnership_id", "position"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "partnership_insight_turnarounds" ("partnership_id" uuid NOT NULL, "position" integer NOT NULL, "organisation_id" uuid NOT NULL, "ms" bigint NOT NULL, CONSTRAINT "PK_e56e511eba65b7e58aedc5b5155" PRIMARY KEY ("partnership_id", "position"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "partnership_insight_sides" ("partnership_id" uuid NOT NULL, "position" integer NOT NULL, "organisation_id" uuid, "ms" bigint NOT NULL, "waiting_now" boolean NOT NULL, CONSTRAINT "PK_b1cb2398ac9420f48c4d66238ce" PRIMARY KEY ("partnership_id", "position"))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "partnership_insight_sides"`);
    await queryRunner.query(`DROP TABLE "partnership_insight_turnarounds"`);
    await queryRunner.query(`DROP TABLE "partnership_insight_stays"`);
    await queryRunner.query(`DROP TABLE "partnership_insight_folds"`);
  }
}

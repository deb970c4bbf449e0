import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * An `Idempotency-Key` of `POST /partnerships/:id/approvals`, claimed by the first request that
 * came with it: the id of the approval request it makes (derived from the user, the partnership
 * and the key) and the hash of that request's body. A retry with the same body finds the same
 * request; another body under the same key is refused (`IDEMPOTENCY_KEY_REUSED`).
 */
@Entity({ name: 'approval_request_keys' })
export class ApprovalRequestKeyEntity {
  @PrimaryColumn({ name: 'approval_id', type: 'uuid' })
  approvalId: string;

  @Column({ name: 'request_hash', type: 'text' })
  requestHash: string;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}

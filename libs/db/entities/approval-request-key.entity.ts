import { Entity, PrimaryColumn } from 'typeorm';
import * as column from './columns';

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

  @column.Text({ name: 'request_hash' }) requestHash: string;

  @column.Timestamp({ name: 'created_at', default: () => 'now()' }) createdAt: Date;
}

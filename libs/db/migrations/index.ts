import { InsightFolds1796500000004 } from './1796500000004-InsightFolds';
import { InactiveContacts1796500000003 } from './1796500000003-InactiveContacts';
import { Templates1796500000001 } from './1796500000001-Templates';
import { WeeklyDigest1796500000002 } from './1796500000002-WeeklyDigest';
import { GateConsent1796400000000 } from './1796400000000-GateConsent';
import { OverdueFromParallelUnsafe1796500000000 } from './1796500000000-OverdueFromParallelUnsafe';
import { CalendarEvents1796300000001 } from './1796300000001-CalendarEvents';
import { OrganisationClosures1796300000000 } from './1796300000000-OrganisationClosures';
import { EmailLease1796131027635 } from './1796131027635-EmailLease';
import { ApiTokenExpiry1796231200000 } from './1796231200000-ApiTokenExpiry';
import { LoginFailuresPerSource1796231100000 } from './1796231100000-LoginFailuresPerSource';
import { ApprovalRequestKeys1796200000000 } from './1796200000000-ApprovalRequestKeys';
import { BoardReadModel1796100000000 } from './1796100000000-BoardReadModel';
import { UserLanguage1796000000000 } from './1796000000000-UserLanguage';
import { Members1795931000000 } from './1795931000000-Members';
import { Auth1795930000000 } from './1795930000000-Auth';
import { FollowUps1795924000000 } from './1795924000000-FollowUps';
import { Webhooks1795923077614 } from './1795923077614-Webhooks';
import { Approvals1795919437141 } from './1795919437141-Approvals';
import { Lifecycle1795917305047 } from './1795917305047-Lifecycle';
import { Initial1795915600633 } from './1795915600633-Initial';
// Migrations in order. `npm run db:migration:generate -- Name` adds a file and a line here.
export const migrations = [
  Initial1795915600633,
  Lifecycle1795917305047,
  Approvals1795919437141,
  Webhooks1795923077614,
  FollowUps1795924000000,
  Auth1795930000000,
  Members1795931000000,
  UserLanguage1796000000000,
  BoardReadModel1796100000000,
  EmailLease1796131027635,
  ApprovalRequestKeys1796200000000,
  LoginFailuresPerSource1796231100000,
  ApiTokenExpiry1796231200000,
  OrganisationClosures1796300000000,
  CalendarEvents1796300000001,
  GateConsent1796400000000,
  Templates1796500000001,
  WeeklyDigest1796500000002,
  OverdueFromParallelUnsafe1796500000000,
  InactiveContacts1796500000003,
  InsightFolds1796500000004,
];

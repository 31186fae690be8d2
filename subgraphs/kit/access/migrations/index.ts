/** Migrations of the shared `access` schema, in order. */
import { CreateAccessLedgerAndLog } from './001-create-access-ledger-and-log.js';
import { ChainTheAccessLog } from './002-chain-the-access-log.js';
import { CreateCommandLog } from './003-command-log.js';
import { CounsellorSubject } from './004-counsellor-subject.js';
import { Outbox } from './005-outbox.js';
import { DataVersion } from './006-data-version.js';
import { ReferentIndexes } from './007-referent-indexes.js';
import { OwnedClaimsAndSelf } from './008-owned-claims-and-self.js';
import { RandomisedOn } from './009-randomised-on.js';
import { DataChangeNotice } from './010-data-change-notice.js';

export const accessMigrations = [
  CreateAccessLedgerAndLog,
  ChainTheAccessLog,
  CreateCommandLog,
  CounsellorSubject,
  Outbox,
  DataVersion,
  ReferentIndexes,
  OwnedClaimsAndSelf,
  RandomisedOn,
  DataChangeNotice,
];

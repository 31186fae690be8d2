/** Checked-in migrations, in order (listed explicitly: jest cannot discover compiled files). */
import { CreateParticipantsAndReferrals } from './001-create-participants-and-referrals.js';
import { AddConsentAndIncapacity } from './002-add-consent-and-incapacity.js';
import { ReferralVersions } from './003-referral-versions.js';
import { IncapacityEnd } from './004-incapacity-end.js';
import { StaffDirectory } from './005-staff-directory.js';
import { WorklistIndexes } from './006-worklist-indexes.js';
import { PublishedReferralPostcode } from './007-published-referral-postcode.js';
import { NissForPseudonymVault } from './009-niss-for-pseudonym-vault.js';
import { ScreeningLog } from './010-screening-log.js';
import { SupersededByIndex } from './011-superseded-by-index.js';
import { FormerStaffIndex } from './012-former-staff-index.js';
import { PublishedResearchProfile } from './013-published-research-profile.js';
import { StaffFteAndDates } from './015-staff-fte-and-dates.js';

export const migrations = [
  CreateParticipantsAndReferrals,
  AddConsentAndIncapacity,
  ReferralVersions,
  IncapacityEnd,
  StaffDirectory,
  WorklistIndexes,
  PublishedReferralPostcode,
  NissForPseudonymVault,
  ScreeningLog,
  SupersededByIndex,
  FormerStaffIndex,
  PublishedResearchProfile,
  StaffFteAndDates,
];

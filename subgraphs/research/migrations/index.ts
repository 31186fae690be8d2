/** Checked-in migrations, in order (listed explicitly: jest cannot discover compiled files). */
import { CreateAllocations } from './001-create-allocations.js';
import { Randomisation } from './002-randomisation.js';
import { FidelityReviews } from './003-fidelity-reviews.js';
import { QuestionnaireWaves } from './004-questionnaire-waves.js';
import { DataRequests } from './005-data-requests.js';
import { TrialDesignApproval } from './006-trial-design-approval.js';
import { ApprovalBeforeVersion } from './007-approval-before-version.js';
import { ExtractFiles } from './009-extract-files.js';
import { AggregateSnapshots } from './010-aggregate-snapshots.js';
import { CellKeySecret } from './011-cell-key-secret.js';

export const migrations = [
  CreateAllocations,
  Randomisation,
  FidelityReviews,
  QuestionnaireWaves,
  DataRequests,
  TrialDesignApproval,
  ApprovalBeforeVersion,
  ExtractFiles,
  AggregateSnapshots,
  CellKeySecret,
];

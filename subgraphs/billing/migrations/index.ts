/** Checked-in migrations, in order (listed explicitly: jest cannot discover compiled files). */
import { CreateConventions } from './001-create-conventions.js';
import { BenefitStatements } from './002-benefit-statements.js';
import { PartnerShareAndCatchment } from './003-partner-share-and-catchment.js';
import { BenefitStatementUploads } from './005-benefit-statement-uploads.js';
import { ConventionTerms } from './006-convention-terms.js';
import { Claims } from './007-claims.js';

export const migrations = [
  CreateConventions,
  BenefitStatements,
  PartnerShareAndCatchment,
  BenefitStatementUploads,
  ConventionTerms,
  Claims,
];

/** Checked-in migrations, in order (listed explicitly: jest cannot discover compiled files). */
import { CreateConventions } from './001-create-conventions.js';
import { BenefitStatements } from './002-benefit-statements.js';

export const migrations = [CreateConventions, BenefitStatements];

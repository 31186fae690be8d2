/** Checked-in migrations, in order (listed explicitly: jest cannot discover compiled files). */
import { CreateConventions } from './001-create-conventions.js';
import { PartnerShareAndCatchment } from './003-partner-share-and-catchment.js';

export const migrations = [CreateConventions, PartnerShareAndCatchment];

/** Checked-in migrations, in order (listed explicitly: jest cannot discover compiled files). */
import { CreateConventions } from './001-create-conventions.js';

export const migrations = [CreateConventions];

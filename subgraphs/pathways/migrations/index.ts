/** Checked-in migrations, in order (listed explicitly: jest cannot discover compiled files). */
import { CreatePathways } from './001-create-pathways.js';

export const migrations = [CreatePathways];

/** Checked-in migrations, in order (listed explicitly: jest cannot discover compiled files). */
import { CreateParticipantsAndReferrals } from './001-create-participants-and-referrals.js';

export const migrations = [CreateParticipantsAndReferrals];

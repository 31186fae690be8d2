/**
 * A convention's terms, amendments, capacity and staffing as the convention-terms service builds them
 * (R17): plain data, no GraphQL. The GraphQL types of graphql/convention-terms.type.ts implement these
 * shapes, so the two cannot drift apart without the type check saying so.
 */
import type { AmendmentStatus } from '../entities/convention-amendment.entity.js';

/** A convention's pathways against its capacity: room, 90 % or more (INAMI is warned), full (registration paused). */
export enum CapacityState {
  OPEN = 'OPEN',
  NEAR_FULL = 'NEAR_FULL',
  FULL = 'FULL',
}

/** A month's staffing against the convention's: equal, above, below, or one above and the other below. */
export enum StaffingState {
  AS_CONVENTION = 'AS_CONVENTION',
  ABOVE = 'ABOVE',
  BELOW = 'BELOW',
  MIXED = 'MIXED',
}

export interface ConventionTermChangeView {
  term: string;
  before: string | null;
  after: string | null;
}

export interface ConventionAmendmentView {
  id: string;
  version: number | null;
  basedOnVersion: number;
  status: AmendmentStatus;
  reason: string;
  changes: ConventionTermChangeView[];
  changesMoney: boolean;
  proposedBy: string;
  proposedAt: Date;
  approvedBy: string | null;
  approvedAt: Date | null;
}

export interface ConventionTermsView {
  code: string;
  version: number;
  validFrom: string;
  validTo: string | null;
  partnerPathways: number;
  coachFteHundredths: number;
  supervisorFteHundredths: number;
  coachFteMonthCents: number;
  supervisorFteMonthCents: number;
  pathwayStartCents: number | null;
  fundedStaffingMonthCents: number;
  illustrative: boolean;
  amendments: ConventionAmendmentView[];
}

export interface ConventionCapacityView {
  code: string;
  capacity: number;
  counted: number;
  activeIps: number;
  awaitingRandomisation: number;
  registered: number;
  share: number;
  state: CapacityState;
  warning: string | null;
}

export interface ConventionStaffingView {
  code: string;
  month: string;
  coachFteHundredths: number;
  supervisorFteHundredths: number;
  conventionCoachFteHundredths: number;
  conventionSupervisorFteHundredths: number;
  coachDifferenceHundredths: number;
  supervisorDifferenceHundredths: number;
  state: StaffingState;
}

/** The terms an amendment proposes to change; what is omitted stays as it is. */
export interface ConventionTermsChange {
  validTo?: string | null;
  partnerPathways?: number | null;
  coachFteHundredths?: number | null;
  supervisorFteHundredths?: number | null;
  coachFteMonthCents?: number | null;
  supervisorFteMonthCents?: number | null;
  pathwayStartCents?: number | null;
}

/** An INAMI agent's amendment of a convention, with its reason (four eyes when it changes money). */
export interface ConventionAmendmentRequest {
  conventionId: string;
  reason: string;
  terms: ConventionTermsChange;
}

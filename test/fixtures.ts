/** Builders for valid inputs; each test changes only what it is about. */
import { randomUUID } from 'node:crypto';
import { makeNiss } from '../subgraphs/participants/services/niss.js';

export const SUBMIT_REFERRAL = `
  mutation Submit($input: SubmitReferralInput!, $key: String!) {
    submitReferral(input: $input, idempotencyKey: $key) {
      referralId participantId submittedAt
    }
  }`;

export const REGISTER_PATHWAY = `
  mutation Register($input: RegisterPathwayInput!, $key: String!) {
    registerPathway(input: $input, idempotencyKey: $key) { pathwayId participantId pathway { id registryNumber status referralId participant { id } convention { code } } }
  }`;

/** Registration asking for the id only: what INAMI may read of the pathway depends on the person's consent. */
export const REGISTER_PATHWAY_ID = `
  mutation Register($input: RegisterPathwayInput!, $key: String!) {
    registerPathway(input: $input, idempotencyKey: $key) { pathwayId }
  }`;

export const CONVENTION_IDS = {
  'VDAB-GTB': '0b6f1c1e-5a8e-4c55-9a43-6f3f8c1d0a01',
  'ARTICLE-23': '0b6f1c1e-5a8e-4c55-9a43-6f3f8c1d0a02',
  ISPPC: '0b6f1c1e-5a8e-4c55-9a43-6f3f8c1d0a03',
  'EQUIPE-MASS': '0b6f1c1e-5a8e-4c55-9a43-6f3f8c1d0a04',
} as const;

let serial = 100;

/** A valid Walloon referral (FIF, Liège) for a new person; override any part. */
export function referralInput(
  overrides: { person?: Record<string, unknown>; eligibility?: Record<string, unknown>; [key: string]: unknown } = {},
) {
  const birthDate = '1985-07-30';
  const { person, eligibility, ...rest } = overrides;
  return {
    person: {
      niss: makeNiss(birthDate, serial++),
      givenName: 'Camille',
      familyName: 'Lambert',
      birthDate,
      region: 'WALLONIA',
      postcode: '4000',
      incapacityStatus: 'INVALIDITY',
      ...person,
    },
    form: 'FIF',
    eligibility: {
      meetsIncapacityAndMentalDisorderConditions: true,
      needsVocationalRehabilitation: true,
      needsIntensiveSupport: true,
      wantsToReturnToWork: true,
      consentsToInformationSharing: true,
      consentsToResearch: true,
      ...eligibility,
    },
    signedOn: '2026-11-02',
    informationSharingConsentForm: 'CONSENT-2026-0042',
    researchConsentForm: 'RESEARCH-2026-0042',
    ...rest,
  };
}

export function newKey(): string {
  return randomUUID();
}

/** The referral as the physician gets it back with the receipt (when the consent lets them see it). */
export const SUBMIT_REFERRAL_AND_READ = `
  mutation Submit($input: SubmitReferralInput!, $key: String!) {
    submitReferral(input: $input, idempotencyKey: $key) {
      referralId participantId
      referral {
        id form region signedOn referringPhysician healthInsurer
        eligibility { meetsIncapacityAndMentalDisorderConditions consentsToResearch }
        participant { id niss givenName familyName birthDate region postcode healthInsurer }
      }
    }
  }`;

/** A researcher proposes a design (R6); it is live only once a second researcher approves it (APPROVE_TRIAL_DESIGN). */
export const CONFIGURE_TRIAL = `
  mutation Configure($input: ConfigureTrialInput!) {
    configureTrial(input: $input) { id status version procedure blockSizes maximalImbalance strata proposedBy approvedBy design { version } }
  }`;

export const APPROVE_TRIAL_DESIGN = `
  mutation Approve($id: ID!) {
    approveTrialDesign(proposalId: $id) {
      id status version proposedBy approvedBy approvedAt
      design { version procedure blockSizes maximalImbalance strata configuredBy approvedBy consort { sequenceGeneration restriction concealment implementation } }
    }
  }`;

/** The second researcher of the team, who approves what the harness's RESEARCHER proposes (four eyes). */
export const SECOND_RESEARCHER = { role: 'RESEARCHER', organisation: 'ULB', subject: 'researcher-2' } as const;

export const PERMUTED_BLOCKS_DESIGN = {
  procedure: 'PERMUTED_BLOCKS',
  blockSizes: [2, 4, 6],
  rationale: 'Protocol v1: permuted blocks of random size, stratified by region.',
};

export const RANDOMISE = `
  mutation Randomise($participantId: ID!, $key: String!) {
    randomise(participantId: $participantId, idempotencyKey: $key) { participantId allocationId allocation { arm stratum } }
  }`;

export const ASSIGN_JOB_COACH = `
  mutation AssignJobCoach($input: AssignJobCoachInput!) {
    assignJobCoach(input: $input) { id jobCoach }
  }`;

export const ROUTE_TO_EMPLOYMENT_SERVICE = `
  mutation Route($id: ID!) {
    routeToEmploymentService(pathwayId: $id) { pathwayId inboxItemId item { mailbox employmentService } }
  }`;

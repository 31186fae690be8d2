/**
 * Fluent seed builder: a person taken along the pathway through the real mutations, each
 * step as the actor who does it, e.g.
 *
 *   const person = await seed(graph).person({ postcode: '6000' }).referredBy(physician)
 *     .registered({ convention: 'ISPPC' }).randomised({ arm: 'IPS' }).withCoach('coach-1').routed().build();
 *
 * Steps run in the order of the pathway, whatever order they are written in; a step that
 * fails throws with the GraphQL errors. The operations live in fixtures.ts.
 */
import type { Identity, Role } from '../schema/identity.js';
import {
  APPROVE_TRIAL_DESIGN,
  ASSIGN_JOB_COACH,
  CONFIGURE_TRIAL,
  CONVENTION_IDS,
  newKey,
  PERMUTED_BLOCKS_DESIGN,
  RANDOMISE,
  REGISTER_PATHWAY_ID,
  referralInput,
  ROUTE_TO_EMPLOYMENT_SERVICE,
  SECOND_RESEARCHER,
  SUBMIT_REFERRAL,
} from './fixtures.js';
import type { GraphQLResponse, TestPlatform } from './harness.js';

export type Convention = keyof typeof CONVENTION_IDS;
export type Arm = 'IPS' | 'CONTROL';
type ReferralOverrides = Omit<NonNullable<Parameters<typeof referralInput>[0]>, 'person'>;

/** What a seeded person ends up with: the ids of each step taken (absent for a step not taken). */
export interface SeededPerson {
  participantId: string;
  referralId: string;
  niss: string;
  /** The person as a caller (role PARTICIPANT), to query `me` or withdraw consent. */
  self: Identity;
  pathwayId?: string;
  conventionCode?: Convention;
  arm?: Arm;
  allocationId?: string;
  jobCoach?: string;
  inboxItemId?: string;
}
/** A person taken at least as far as registration. */
export type RegisteredPerson = SeededPerson & { pathwayId: string; conventionCode: Convention };
/** A person taken at least as far as randomisation. */
export type RandomisedPerson = RegisteredPerson & { arm: Arm; allocationId: string };

/** A postcode in each convention's catchment (billing migration 003): a person registered under ISPPC lives in Charleroi. */
const SITE_POSTCODE: Partial<Record<Convention, string>> = { ISPPC: '6000' };

/** The IPS partner's convention in each region when a test does not name one. */
const DEFAULT_CONVENTION: Record<string, Convention> = {
  WALLONIA: 'ARTICLE-23',
  FLANDERS: 'VDAB-GTB',
  BRUSSELS: 'EQUIPE-MASS',
};
/** Referring again until the arm wanted comes up: with blocks of at most 6, a handful of tries suffice. */
const MAX_ARM_TRIES = 40;

export function seed(graph: TestPlatform) {
  return {
    /** A researcher proposes the trial design and a second one approves it (randomisation needs a live one); returns its version. */
    async trial(design: Record<string, unknown> = PERMUTED_BLOCKS_DESIGN): Promise<number> {
      const proposed = await expectOk(
        graph.query<{ configureTrial: { id: string } }>('RESEARCHER', CONFIGURE_TRIAL, { input: design }),
        'configureTrial',
      );
      const approved = await expectOk(
        graph.query<{ approveTrialDesign: { version: number } }>({ ...SECOND_RESEARCHER }, APPROVE_TRIAL_DESIGN, {
          id: proposed.configureTrial.id,
        }),
        'approveTrialDesign',
      );
      return approved.approveTrialDesign.version;
    },
    /** A new person (a fresh NISS unless given); `fields` override the referral's `person`. */
    person(fields: Record<string, unknown> = {}): PersonBuilder<SeededPerson> {
      return new PersonBuilder(graph, fields);
    },
  };
}

interface Steps {
  physician: Identity | Role;
  referral: ReferralOverrides;
  registered?: { convention?: Convention };
  randomised?: { arm?: Arm };
  coach?: { jobCoach: string; by?: Identity };
  routed?: boolean;
}

export class PersonBuilder<Result extends SeededPerson> {
  private readonly steps: Steps = { physician: 'MEDECIN_CONSEIL', referral: {} };

  constructor(
    private readonly graph: TestPlatform,
    private readonly fields: Record<string, unknown>,
  ) {}

  /** Referred by this physician (default: the harness's MEDECIN_CONSEIL), with any other part of the form overridden. */
  referredBy(physician: Identity | Role, referral: ReferralOverrides = {}): this {
    Object.assign(this.steps, { physician, referral });
    return this;
  }

  /** INAMI registers the pathway under the convention (default: the region's first partner). */
  registered(options: { convention?: Convention } = {}): PersonBuilder<Result & RegisteredPerson> {
    this.steps.registered = options;
    return this as PersonBuilder<Result & RegisteredPerson>;
  }

  /**
   * INAMI randomises. With `arm`, new people are referred (and registered) until one lands
   * in that arm; the others stay behind, registered and randomised, with nothing more.
   */
  randomised(options: { arm?: Arm } = {}): PersonBuilder<Result & RandomisedPerson> {
    this.steps.registered ??= {};
    this.steps.randomised = options;
    return this as PersonBuilder<Result & RandomisedPerson>;
  }

  /**
   * The IPS partner's supervisor (by default one of the convention's partner) assigns the referent
   * job coach (R11), whom the partner enrols in its staff directory first. Only IPS-arm people have
   * a coach: the person is randomised into the IPS arm.
   */
  withCoach(
    jobCoach: string | Identity,
    options: { by?: Identity } = {},
  ): PersonBuilder<Result & RandomisedPerson & { jobCoach: string }> {
    this.steps.registered ??= {};
    if (this.steps.randomised?.arm === 'CONTROL') throw new Error('seed: a control-group person has no job coach (R9)');
    this.steps.randomised = { ...this.steps.randomised, arm: 'IPS' };
    this.steps.coach = { jobCoach: typeof jobCoach === 'string' ? jobCoach : jobCoach.subject, by: options.by };
    return this as PersonBuilder<Result & RandomisedPerson & { jobCoach: string }>;
  }

  /** INAMI forwards the pathway to the SRE of the region (R7). */
  routed(): PersonBuilder<Result & RandomisedPerson & { inboxItemId: string }> {
    this.steps.randomised ??= {};
    this.steps.registered ??= {};
    this.steps.routed = true;
    return this as PersonBuilder<Result & RandomisedPerson & { inboxItemId: string }>;
  }

  /** Runs the steps through the gateway and returns the ids. */
  async build(): Promise<Result> {
    const wanted = this.steps.randomised?.arm;
    if (wanted && this.fields.niss)
      throw new Error('seed: a given NISS cannot be re-referred until it lands in an arm');
    for (let attempt = 1; ; attempt++) {
      const person = await this.referAndRegister();
      if (!this.steps.randomised) return this.finish(person);
      const randomised = await expectOk(
        this.graph.query<{ randomise: { allocationId: string; allocation: { arm: Arm } | null } }>('INAMI', RANDOMISE, {
          participantId: person.participantId,
          key: newKey(),
        }),
        'randomise',
      );
      Object.assign(person, {
        arm: randomised.randomise.allocation?.arm ?? (await this.armUnseenByInami(person.participantId)),
        allocationId: randomised.randomise.allocationId,
      });
      if (!wanted || person.arm === wanted) return this.finish(person);
      if (attempt >= MAX_ARM_TRIES)
        throw new Error(`seed: no one landed in the ${wanted} arm in ${MAX_ARM_TRIES} tries`);
    }
  }

  private async referAndRegister(): Promise<SeededPerson> {
    const convention = this.steps.registered?.convention;
    const site = convention && SITE_POSTCODE[convention] ? { postcode: SITE_POSTCODE[convention] } : {};
    const input = referralInput({ ...this.steps.referral, person: { ...site, ...this.fields } });
    const submitted = await expectOk(
      this.graph.query<{ submitReferral: { referralId: string; participantId: string } }>(
        this.steps.physician,
        SUBMIT_REFERRAL,
        { input, key: newKey() },
      ),
      'submitReferral',
    );
    const niss = String(input.person.niss);
    const person: SeededPerson = {
      ...submitted.submitReferral,
      niss,
      self: { role: 'PARTICIPANT', organisation: 'SELF', subject: niss },
    };
    if (!this.steps.registered) return person;
    const conventionCode = this.steps.registered.convention ?? DEFAULT_CONVENTION[String(input.person.region)];
    if (!conventionCode) throw new Error(`seed: no default convention for region ${String(input.person.region)}`);
    const registered = await expectOk(
      this.graph.query<{ registerPathway: { pathwayId: string } }>('INAMI', REGISTER_PATHWAY_ID, {
        input: { referralId: person.referralId, conventionId: CONVENTION_IDS[conventionCode] },
        key: newKey(),
      }),
      'registerPathway',
    );
    return Object.assign(person, { pathwayId: registered.registerPathway.pathwayId, conventionCode });
  }

  /** A consent that does not name INAMI hides the arm from INAMI's own answer: read the research subgraph's published contract. */
  private async armUnseenByInami(participantId: string): Promise<Arm> {
    const [row] = await this.graph.sql<{ arm: Arm }>(
      'select arm from research.published_allocation where participant_id = $1',
      [participantId],
    );
    if (!row) throw new Error(`seed: randomise returned no allocation for ${participantId}`);
    return row.arm;
  }

  private async finish(person: SeededPerson): Promise<Result> {
    const { coach, routed } = this.steps;
    if (coach) {
      const supervisor: Identity = coach.by ?? {
        role: 'SUPERVISOR',
        organisation: person.conventionCode!,
        subject: `supervisor-${person.conventionCode!.toLowerCase()}`,
      };
      await this.graph.enrol({ role: 'JOB_COACH', organisation: person.conventionCode!, subject: coach.jobCoach });
      const assigned = await expectOk(
        this.graph.query<{ assignJobCoach: { jobCoach: string } }>(supervisor, ASSIGN_JOB_COACH, {
          input: { pathwayId: person.pathwayId, jobCoach: coach.jobCoach },
        }),
        'assignJobCoach',
      );
      person.jobCoach = assigned.assignJobCoach.jobCoach;
    }
    if (routed) {
      const forwarded = await expectOk(
        this.graph.query<{ routeToEmploymentService: { inboxItemId: string } }>('INAMI', ROUTE_TO_EMPLOYMENT_SERVICE, {
          id: person.pathwayId,
        }),
        'routeToEmploymentService',
      );
      person.inboxItemId = forwarded.routeToEmploymentService.inboxItemId;
    }
    return person as Result;
  }
}

async function expectOk<TData>(pending: Promise<GraphQLResponse<TData>>, step: string): Promise<TData> {
  const response = await pending;
  if (response.errors?.length || !response.data)
    throw new Error(`seed: ${step} failed: ${JSON.stringify(response.errors ?? response)}`);
  return response.data;
}

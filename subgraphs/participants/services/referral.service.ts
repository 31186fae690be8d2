/**
 * Submitting a referral (R1–R4): the advising physician's form is validated whole,
 * then stored with its person in one transaction, idempotently.
 */
import { LockMode } from '@mikro-orm/core';
import { writeLedgerFacts } from '../../kit/access/ledger.js';
import type { TargetFacts } from '../../kit/access/decide.js';
import { runCommand, type CommandTx } from '../../kit/command.js';
import type { SubgraphContext } from '../../kit/context.js';
import { belgianToday, EMPLOYMENT_SERVICE_OF, regionOfPostcode } from '../../kit/domain.js';
import { InvalidInputError } from '../../../schema/errors.js';
import { queryOneRow, queryRows } from '../../kit/raw-sql.js';
import { assertUuid, cleanText } from '../../kit/validation.js';
import { ResearchConsentEntity } from '../entities/consent.entity.js';
import type { Region } from '../../kit/domain.js';
import { ParticipantEntity, type IncapacityStatus } from '../entities/participant.entity.js';
import {
  ALL_R1_CONFIRMATIONS,
  FORM_OF_REGION,
  ReferralEntity,
  type RegionalForm,
} from '../entities/referral.entity.js';
import {
  assertSignedForm,
  ConsentService,
  FULL_CONSENT,
  validateGrants,
  type GrantRequest,
} from './consent.service.js';
import { birthDateFitsNiss, checkNiss, encodedBirthDate } from './niss.js';

const R1_CONFIRMATIONS = [
  'meetsIncapacityAndMentalDisorderConditions',
  'needsVocationalRehabilitation',
  'needsIntensiveSupport',
  'wantsToReturnToWork',
  'consentsToInformationSharing',
  'consentsToResearch',
] as const;

/** The person as the regional form names them (R3). */
export interface ReferredPerson {
  niss: string;
  givenName: string;
  familyName: string;
  birthDate: string;
  region: Region;
  postcode: string;
  incapacityStatus: IncapacityStatus;
}

/** A regional referral form (R3) as the advising physician signs it; the GraphQL input implements it. */
export interface ReferralRequest {
  person: ReferredPerson;
  form: RegionalForm;
  eligibility: Record<(typeof R1_CONFIRMATIONS)[number], boolean>;
  signedOn: string;
  informationSharingConsentForm: string;
  researchConsentForm: string;
  informationSharing?: GrantRequest[] | null;
}

/** Checks a referral form; throws BAD_USER_INPUT naming the first offending field. Returns the NISS digits. */
export function validateReferral(input: ReferralRequest, today: string = belgianToday()): string {
  const { person } = input;
  const niss = checkNiss(person.niss);
  if (!niss.valid) throw new InvalidInputError('input.person.niss', niss.message);
  if (!birthDateFitsNiss(niss.facts, person.birthDate)) {
    const id = niss.facts.birthDate ? 'referral.birthDateNotNiss' : 'referral.birthDateNotNissPart';
    throw new InvalidInputError('input.person.birthDate', {
      id,
      params: { birthDate: niss.facts.birthDate ?? encodedBirthDate(niss.facts) },
    });
  }
  if (person.birthDate > today) throw new InvalidInputError('input.person.birthDate', { id: 'date.future' });
  for (const field of ['givenName', 'familyName'] as const)
    cleanText(`input.person.${field}`, person[field], { max: 200 });
  const postcodeRegion = regionOfPostcode(person.postcode);
  if (!postcodeRegion) throw new InvalidInputError('input.person.postcode', { id: 'referral.notBelgianPostcode' });
  if (postcodeRegion !== person.region) {
    throw new InvalidInputError('input.person.postcode', {
      id: 'referral.postcodeOtherRegion',
      params: { postcodeRegion, region: person.region },
    });
  }
  const expectedForm = FORM_OF_REGION[person.region];
  if (input.form !== expectedForm)
    throw new InvalidInputError('input.form', {
      id: 'referral.wrongForm',
      params: { region: person.region, form: expectedForm },
    });
  for (const confirmation of R1_CONFIRMATIONS) {
    if (!input.eligibility[confirmation]) {
      throw new InvalidInputError(`input.eligibility.${confirmation}`, { id: 'referral.eligibilityRequired' });
    }
  }
  if (input.signedOn > today) throw new InvalidInputError('input.signedOn', { id: 'date.future' });
  if (input.signedOn < person.birthDate) throw new InvalidInputError('input.signedOn', { id: 'date.beforeBirth' });
  assertSignedForm('input.informationSharingConsentForm', input.informationSharingConsentForm);
  assertSignedForm('input.researchConsentForm', input.researchConsentForm);
  validateGrants('input.informationSharing', input.informationSharing ?? FULL_CONSENT);
  return niss.facts.digits;
}

/** The facts a referral command reads about a person already known, under their lock. */
async function personFacts(tx: CommandTx, participant: ParticipantEntity): Promise<TargetFacts> {
  const open = await queryOneRow<{ open_referral: boolean; open_pathway: boolean }>(
    tx,
    `select exists (select 1 from participants.published_referral r where r.participant_id = ? and not r.superseded
                      and not exists (select 1 from pathways.published_pathway p where p.referral_id = r.referral_id)) as open_referral,
            exists (select 1 from pathways.published_pathway p where p.participant_id = ? and p.status = 'OPEN') as open_pathway`,
    [participant.id, participant.id],
  );
  return {
    participantId: participant.id,
    state: { noOpenReferral: !open.open_referral, noOpenPathway: !open.open_pathway },
  };
}

const same = (a: string, b: string) =>
  a.normalize('NFC').trim().toLocaleLowerCase('fr-BE') === b.normalize('NFC').trim().toLocaleLowerCase('fr-BE');

export class ReferralService {
  constructor(private readonly context: SubgraphContext) {}

  /**
   * A referral (R3, R4). A new person enters with the consent signed with the form. A person
   * already known keeps their consent in force (it changes only through the consent operations)
   * and their physician of record, unless another physician of their health insurer refers them
   * while nothing is under way (schema/policy.ts ACTIONS.submitReferral); an identity that
   * disagrees with the one on record is refused without saying what is stored.
   */
  submit(input: ReferralRequest, idempotencyKey: string): Promise<ReferralEntity> {
    return runCommand(this.context, {
      action: 'submitReferral',
      idempotencyKey,
      args: input,
      validate: () => validateReferral(input),
      target: async (tx, niss) => {
        // No row to lock for a person not yet known: two first referrals of one NISS queue here.
        await queryRows(tx, 'select pg_advisory_xact_lock(hashtext(?))', [`participant-niss:${niss}`]);
        const participant = await tx.em.findOne(ParticipantEntity, { niss }, { lockMode: LockMode.PESSIMISTIC_WRITE });
        return participant ? personFacts(tx, participant) : undefined;
      },
      apply: async (tx, niss, decision) => {
        const known = await tx.em.findOne(ParticipantEntity, { niss });
        if (!known) return (await this.referNewPerson(tx, input, niss)).id;
        const person = input.person;
        if (
          !same(known.givenName, person.givenName) ||
          !same(known.familyName, person.familyName) ||
          known.birthDate !== person.birthDate
        ) {
          throw new InvalidInputError('input.person', { id: 'referral.identityMismatch' });
        }
        const referral = this.createReferral(tx, input, known);
        if (decision.grant.relation !== 'physicianOfRecord') {
          // Another physician of the same health insurer takes over, with nothing under way (ACTIONS).
          await writeLedgerFacts(tx, 'participants', known.id, { physicianSubject: tx.identity.subject });
        }
        return referral.id;
      },
      answer: (id) =>
        this.context.em.findOneOrFail(ReferralEntity, { id }, { populate: ['participant'], refresh: true }),
    });
  }

  /** A corrected form (R3): a new version that supersedes the latest one, which stays as it was signed. */
  amend(referralId: string, input: ReferralRequest, idempotencyKey: string): Promise<ReferralEntity> {
    return runCommand(this.context, {
      action: 'amendReferral',
      idempotencyKey,
      args: { referralId, input },
      validate: () => ({ referralId: assertUuid('referralId', referralId), niss: validateReferral(input) }),
      target: async (tx, { referralId: id }) => {
        const previous = await tx.em.findOne(ReferralEntity, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
        if (!previous) return undefined;
        const facts = await queryOneRow<{ superseded: boolean; registered: boolean }>(
          tx,
          `select exists (select 1 from participants.referral n where n.supersedes = ?) as superseded,
                  exists (select 1 from pathways.published_pathway p where p.referral_id = ?) as registered`,
          [id, id],
        );
        return {
          participantId: previous.participant.id,
          state: { latestVersion: !facts.superseded, notRegistered: !facts.registered },
        };
      },
      apply: async (tx, { referralId: id, niss }) => {
        const previous = await tx.em.findOneOrFail(ReferralEntity, { id }, { populate: ['participant'] });
        const participant = previous.participant.getEntity();
        if (niss !== participant.niss)
          throw new InvalidInputError('input.person.niss', { id: 'referral.amendmentSamePerson' });
        // Before registration the physician of record may correct how the person is written down.
        Object.assign(participant, {
          givenName: input.person.givenName.trim(),
          familyName: input.person.familyName.trim(),
          birthDate: input.person.birthDate,
          region: input.person.region,
          postcode: input.person.postcode,
          incapacityStatus: input.person.incapacityStatus,
        });
        const referral = this.createReferral(tx, input, participant, previous);
        await tx.em.flush();
        await writeLedgerFacts(tx, 'participants', participant.id, {
          region: participant.region,
          employmentService: EMPLOYMENT_SERVICE_OF[participant.region],
        });
        return referral.id;
      },
      answer: (id) =>
        this.context.em.findOneOrFail(ReferralEntity, { id }, { populate: ['participant'], refresh: true }),
    });
  }

  async findById(id: string): Promise<ReferralEntity | null> {
    return this.context.em.findOne(ReferralEntity, { id: assertUuid('id', id) });
  }

  /** A person's first referral: the person, the form, and the consent signed with it (R1e, R1f, R3). */
  private async referNewPerson(tx: CommandTx, input: ReferralRequest, niss: string): Promise<ReferralEntity> {
    const person = input.person;
    const participant = tx.em.create(ParticipantEntity, {
      niss,
      givenName: person.givenName.trim(),
      familyName: person.familyName.trim(),
      birthDate: person.birthDate,
      region: person.region,
      postcode: person.postcode,
      healthInsurer: tx.identity.organisation,
      incapacityStatus: person.incapacityStatus,
    });
    const referral = this.createReferral(tx, input, participant);
    const grants = validateGrants('input.informationSharing', input.informationSharing ?? FULL_CONSENT);
    await ConsentService.grant(tx.em, participant, grants, input.informationSharingConsentForm.trim(), tx.identity);
    tx.em.create(ResearchConsentEntity, {
      participant,
      signedFormReference: input.researchConsentForm.trim(),
      givenBy: tx.identity.subject,
    });
    await tx.em.flush();
    await writeLedgerFacts(tx, 'participants', participant.id, {
      selfSubject: participant.niss,
      region: participant.region,
      employmentService: EMPLOYMENT_SERVICE_OF[participant.region],
      healthInsurer: participant.healthInsurer,
      physicianSubject: tx.identity.subject,
    });
    await ConsentService.syncLedger(tx, participant.id);
    return referral;
  }

  private createReferral(
    tx: CommandTx,
    input: ReferralRequest,
    participant: ParticipantEntity,
    supersedes?: ReferralEntity,
  ): ReferralEntity {
    return tx.em.create(ReferralEntity, {
      participant,
      version: supersedes ? supersedes.version + 1 : 1,
      supersedes: supersedes?.id,
      form: input.form,
      region: input.person.region,
      ...ALL_R1_CONFIRMATIONS,
      signedOn: input.signedOn,
      referringPhysician: tx.identity.subject,
      healthInsurer: tx.identity.organisation,
      ...tx.idempotency,
    });
  }
}

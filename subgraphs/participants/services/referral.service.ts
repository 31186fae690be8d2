/**
 * Submitting a referral (R1–R4): the advising physician's form is validated whole,
 * then stored with its person in one transaction, idempotently.
 */
import type { Identity } from '../../../schema/identity.js';
import { writeLedgerFacts } from '../../kit/access/ledger.js';
import type { SubgraphContext } from '../../kit/context.js';
import { belgianToday, EMPLOYMENT_SERVICE_OF, isHealthInsurer, regionOfPostcode } from '../../kit/domain.js';
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from '../../../schema/errors.js';
import { visibleOrNull } from '../../kit/access/guard.js';
import { queryRows } from '../../kit/raw-sql.js';
import { createIdempotently } from '../../kit/idempotency.js';
import { assertUuid } from '../../kit/validation.js';
import { ResearchConsentEntity } from '../entities/consent.entity.js';
import { ParticipantEntity } from '../entities/participant.entity.js';
import { ALL_R1_CONFIRMATIONS, FORM_OF_REGION, ReferralEntity } from '../entities/referral.entity.js';
import type { SubmitReferralInput } from '../graphql/referral.inputs.js';
import { assertSignedForm, ConsentService, FULL_CONSENT, validateGrants } from './consent.service.js';
import { checkNiss } from './niss.js';

const R1_CONFIRMATIONS = [
  'meetsIncapacityAndMentalDisorderConditions',
  'needsVocationalRehabilitation',
  'needsIntensiveSupport',
  'wantsToReturnToWork',
  'consentsToInformationSharing',
  'consentsToResearch',
] as const;

/** Checks a referral form; throws BAD_USER_INPUT naming the first offending field. Returns the NISS digits. */
export function validateReferral(input: SubmitReferralInput, today: string = belgianToday()): string {
  const { person } = input;
  const niss = checkNiss(person.niss);
  if (!niss.valid) throw new InvalidInputError('input.person.niss', niss.reason);
  if (niss.facts.birthDate && niss.facts.birthDate !== person.birthDate) {
    throw new InvalidInputError('input.person.birthDate', `does not match the birth date the NISS encodes (${niss.facts.birthDate})`);
  }
  if (person.birthDate > today) throw new InvalidInputError('input.person.birthDate', 'is in the future');
  for (const field of ['givenName', 'familyName'] as const) {
    const value = person[field].trim();
    if (value.length === 0 || value.length > 200) throw new InvalidInputError(`input.person.${field}`, 'must be 1 to 200 characters');
  }
  const postcodeRegion = regionOfPostcode(person.postcode);
  if (!postcodeRegion) throw new InvalidInputError('input.person.postcode', 'is not a Belgian postcode');
  if (postcodeRegion !== person.region) {
    throw new InvalidInputError('input.person.postcode', `lies in ${postcodeRegion}, not in ${person.region}`);
  }
  const expectedForm = FORM_OF_REGION[person.region];
  if (input.form !== expectedForm) throw new InvalidInputError('input.form', `${person.region} uses the ${expectedForm} form (R3)`);
  for (const confirmation of R1_CONFIRMATIONS) {
    if (input.eligibility[confirmation] !== true) {
      throw new InvalidInputError(`input.eligibility.${confirmation}`, 'all six confirmations of R1 are required to refer a person');
    }
  }
  if (input.signedOn > today) throw new InvalidInputError('input.signedOn', 'is in the future');
  assertSignedForm('input.informationSharingConsentForm', input.informationSharingConsentForm);
  assertSignedForm('input.researchConsentForm', input.researchConsentForm);
  validateGrants('input.informationSharing', input.informationSharing ?? FULL_CONSENT);
  return niss.facts.digits;
}

export class ReferralService {
  constructor(private readonly context: SubgraphContext) {}

  /**
   * A corrected form (R3): a new version that supersedes the earlier one, which stays as it
   * was signed (the person's copy). Only the physician of record, only the latest version,
   * only before INAMI registered its pathway, and never for another person.
   */
  async amend(referralId: string, input: SubmitReferralInput, idempotencyKey: string, physician: Identity): Promise<ReferralEntity> {
    const previous = await visibleOrNull(this.context, 'Referral', await this.context.em.findOne(ReferralEntity, { id: assertUuid('referralId', referralId) }));
    if (!previous || previous.referringPhysician !== physician.subject) throw new NotFoundError('Referral');
    const replay = await this.context.em.findOne(ReferralEntity, { idempotencyKey, requestedBy: physician.subject });
    if (!replay) {
      if (await this.context.em.findOne(ReferralEntity, { supersedes: previous.id })) throw new ConflictError('This version was already amended: amend the latest version');
      const [registered] = await queryRows(this.context, 'select 1 from pathways.published_pathway where referral_id = ?', [previous.id]);
      if (registered) throw new ConflictError('INAMI already registered a pathway for this form: it can no longer be amended');
      const niss = checkNiss(input.person.niss);
      const participant = await previous.participant.loadOrFail();
      if (niss.valid && niss.facts.digits !== participant.niss) throw new InvalidInputError('input.person.niss', 'an amendment is for the same person as the form it corrects');
    }
    return this.submit(input, idempotencyKey, physician, previous);
  }

  async submit(input: SubmitReferralInput, idempotencyKey: string, physician: Identity, supersedes?: ReferralEntity): Promise<ReferralEntity> {
    if (!isHealthInsurer(physician.organisation)) {
      throw new ForbiddenError('An advising physician must act for a health insurer (token organisation OA-xxx)');
    }
    return createIdempotently(this.context.em, {
      key: idempotencyKey,
      requestedBy: physician.subject,
      arguments: { input, supersedes: supersedes?.id },
      findPrevious: (em, key, requestedBy) => em.findOne(ReferralEntity, { idempotencyKey: key, requestedBy }),
      create: async (em, requestFingerprint) => {
        const niss = validateReferral(input);
        const person = input.person;
        const participant =
          (await em.findOne(ParticipantEntity, { niss })) ??
          em.create(ParticipantEntity, {
            niss,
            givenName: person.givenName.trim(),
            familyName: person.familyName.trim(),
            birthDate: person.birthDate,
            region: person.region,
            postcode: person.postcode,
            healthInsurer: physician.organisation,
            incapacityStatus: person.incapacityStatus,
          });
        const referral = em.create(ReferralEntity, {
          participant,
          version: supersedes ? supersedes.version + 1 : 1,
          supersedes: supersedes?.id,
          form: input.form,
          region: person.region,
          ...ALL_R1_CONFIRMATIONS,
          signedOn: input.signedOn,
          referringPhysician: physician.subject,
          healthInsurer: physician.organisation,
          idempotencyKey,
          requestedBy: physician.subject,
          requestFingerprint,
        });
        // The signed consent goes with the form (R1e, R3); the ledger mirrors it in this transaction.
        const grants = validateGrants('input.informationSharing', input.informationSharing ?? FULL_CONSENT);
        await ConsentService.grant(em, participant, grants, input.informationSharingConsentForm.trim(), physician);
        if (!(await em.findOne(ResearchConsentEntity, { participant, withdrawnAt: null }))) {
          em.create(ResearchConsentEntity, { participant, signedFormReference: input.researchConsentForm.trim(), givenBy: physician.subject });
        }
        await em.flush();
        await writeLedgerFacts({ em, sqlCounter: this.context.sqlCounter }, 'participants', participant.id, {
          selfSubject: participant.niss,
          region: participant.region,
          employmentService: EMPLOYMENT_SERVICE_OF[participant.region],
          healthInsurer: participant.healthInsurer,
          physicianSubject: physician.subject, // the latest referring physician is the physician of record
        });
        await ConsentService.syncLedger(em, this.context, participant.id);
        return referral;
      },
    });
  }

  async findById(id: string): Promise<ReferralEntity | null> {
    return this.context.em.findOne(ReferralEntity, { id: assertUuid('id', id) });
  }
}

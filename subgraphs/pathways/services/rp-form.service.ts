/**
 * R10, R13: the RP1 (the SRE's request to cover a vocational orientation) and the RP1IPS (the job coach's means of
 * communication with INAMI) as forms with content, sent to INAMI's mailbox and copied to the physician of record with
 * the form itself, in one transaction. A version is never changed: a correction is the next version of the same form.
 * Who may send which form is the policy's (ACTIONS.sendRpForm); who reads each field, too (PERSONAL_DATA_TYPES.RpForm).
 */
import { ConflictError, InvalidInputError } from '../../../schema/errors.js';
import type { CommandTx } from '../../kit/command.js';
import { loadFresh, runCommand } from '../../kit/command.js';
import type { TargetFacts } from '../../kit/access/decide.js';
import { groupedBy, type SubgraphContext } from '../../kit/context.js';
import { belgianToday, DataCategoryValue } from '../../kit/domain.js';
import { assertUuid, cleanText } from '../../kit/validation.js';
import { PathwayActEntity, PathwayActKind } from '../entities/pathway-act.entity.js';
import { PathwayEntity } from '../entities/pathway.entity.js';
import { PhysicianMessageEntity, PhysicianMessageKind } from '../entities/physician-message.entity.js';
import { RpFormEntity, RpFormKind, RpRequestKind } from '../entities/rp-form.entity.js';
import { assertNotBeforeRegistration, pathwayTarget } from './pathway.service.js';

/** Each form: INAMI's mailbox (seeds/002), the act it is recorded as, the physician's copy, the kinds of request it carries. */
export const RP_FORMS: Readonly<
  Record<
    RpFormKind,
    { mailbox: string; act: PathwayActKind; copy: PhysicianMessageKind; requests: readonly RpRequestKind[] }
  >
> = {
  [RpFormKind.RP1]: {
    mailbox: 'demandeRP-aanvraagBH@inami.fgov.be',
    act: PathwayActKind.RP1_FILED,
    copy: PhysicianMessageKind.RP1,
    requests: [RpRequestKind.VOCATIONAL_ORIENTATION],
  },
  [RpFormKind.RP1IPS]: {
    mailbox: 'IPS@inami.fgov.be',
    act: PathwayActKind.RP1IPS_SENT,
    copy: PhysicianMessageKind.RP1IPS,
    requests: [RpRequestKind.IPS_PATHWAY_START, RpRequestKind.IPS_PROGRESS_REPORT, RpRequestKind.IPS_PATHWAY_END],
  },
};

export interface RpFormRequest {
  pathwayId: string;
  form: RpFormKind;
  supersedes?: string | null;
  requestKind: RpRequestKind;
  objectives?: string | null;
  plannedSteps?: string | null;
  planCategory?: DataCategoryValue | null;
  periodFrom: string;
  periodTo?: string | null;
  signedOn: string;
}

/** Checks a form's content; names the offending field. The plan's text says what kind of data it holds (R18). */
export function validateRpForm(request: RpFormRequest, today: string = belgianToday()) {
  const pathwayId = assertUuid('input.pathwayId', request.pathwayId);
  const supersedes = request.supersedes ? assertUuid('input.supersedes', request.supersedes) : undefined;
  if (!RP_FORMS[request.form].requests.includes(request.requestKind)) {
    throw new InvalidInputError('input.requestKind', { id: 'rpForm.requestKind', params: { rpForm: request.form } });
  }
  const objectives =
    cleanText('input.objectives', request.objectives, { max: 4000, min: 0, multiline: true }) || undefined;
  const plannedSteps =
    cleanText('input.plannedSteps', request.plannedSteps, { max: 4000, min: 0, multiline: true }) || undefined;
  if ((objectives || plannedSteps) && !request.planCategory)
    throw new InvalidInputError('input.planCategory', { id: 'text.categoryRequired' });
  const planCategory = objectives || plannedSteps ? request.planCategory! : DataCategoryValue.ADMINISTRATIVE;
  if (request.signedOn > today) throw new InvalidInputError('input.signedOn', { id: 'date.future' });
  const periodTo = request.periodTo ?? undefined;
  if (periodTo && periodTo < request.periodFrom)
    throw new InvalidInputError('input.periodTo', { id: 'date.beforeStart' });
  return { ...request, pathwayId, supersedes, objectives, plannedSteps, planCategory, periodTo };
}
type ValidForm = ReturnType<typeof validateRpForm>;

/** The pathway, locked, with whether the version corrected is the form's latest (precondition latestVersion). */
async function formTarget(tx: CommandTx, form: ValidForm): Promise<TargetFacts | undefined> {
  const target = await pathwayTarget(tx, form.pathwayId);
  if (!target || !form.supersedes) return target && { ...target, state: { ...target.state, latestVersion: true } };
  // A version of another pathway or form is refused once the caller is allowed the pathway (apply), never before: no existence leaks.
  const newer = await tx.em.count(RpFormEntity, { supersedesId: form.supersedes });
  return { ...target, state: { ...target.state, latestVersion: newer === 0 } };
}

export class RpFormService {
  constructor(private readonly context: SubgraphContext) {}

  /** Sends a form (or its correction) to INAMI's mailbox and its copy, with the form, to the physician of record. */
  send(request: RpFormRequest, idempotencyKey: string): Promise<RpFormEntity> {
    return runCommand(this.context, {
      action: 'sendRpForm',
      idempotencyKey,
      args: request,
      validate: () => validateRpForm(request),
      variant: (form) => form.form,
      target: formTarget,
      apply: async (tx, form) => {
        const pathway = await tx.em.findOneOrFail(PathwayEntity, { id: form.pathwayId });
        assertNotBeforeRegistration(pathway, 'input.signedOn', form.signedOn);
        const physician = tx.ledger(pathway.participantId)?.physicianSubject;
        if (!physician) throw new ConflictError({ id: 'conflict.noPhysicianToCopy' });
        const previous = form.supersedes
          ? await tx.em.findOne(RpFormEntity, { id: form.supersedes, pathwayId: pathway.id, form: form.form })
          : undefined;
        if (form.supersedes && !previous)
          throw new InvalidInputError('input.supersedes', { id: 'input.noSuchTarget', params: { what: 'RpForm' } });
        const spec = RP_FORMS[form.form];
        const { subject, role, organisation } = tx.identity;
        const act = tx.em.create(PathwayActEntity, {
          pathwayId: pathway.id,
          participantId: pathway.participantId,
          kind: spec.act,
          actOn: form.signedOn,
          detail: '',
          detailCategory: DataCategoryValue.ADMINISTRATIVE,
          actor: subject,
        });
        const version = tx.em.create(RpFormEntity, {
          formId: previous?.formId ?? '',
          version: (previous?.version ?? 0) + 1,
          supersedesId: previous?.id,
          pathwayId: pathway.id,
          participantId: pathway.participantId,
          form: form.form,
          requestKind: form.requestKind,
          // The referent (R9, R11): the SRE counsellor who files the RP1; the pathway's job coach for the RP1IPS.
          referent: form.form === RpFormKind.RP1IPS ? (pathway.jobCoach ?? subject) : subject,
          referentRole: form.form === RpFormKind.RP1IPS ? 'JOB_COACH' : 'SRE',
          objectives: form.objectives,
          plannedSteps: form.plannedSteps,
          planCategory: form.planCategory,
          periodFrom: form.periodFrom,
          periodTo: form.periodTo,
          signedOn: form.signedOn,
          signedBy: subject,
          signerRole: role,
          signerOrganisation: organisation,
          sentTo: spec.mailbox,
          copiedTo: physician,
          actId: act.id,
        });
        if (!previous) version.formId = version.id;
        tx.em.create(PhysicianMessageEntity, {
          participantId: pathway.participantId,
          pathwayId: pathway.id,
          physicianSubject: physician,
          kind: spec.copy,
          body: `${spec.act} on ${form.signedOn} (${pathway.registryNumber}): ${form.form} version ${version.version}`,
          // Told in the reader's language when read (localised-text.ts); the form itself is the copy's `form`, each field under its category.
          messageId: 'physicianMessage.act',
          messageParams: { act: spec.act, on: form.signedOn, registryNumber: pathway.registryNumber, detail: '' },
          bodyCategory: DataCategoryValue.ADMINISTRATIVE,
          sentBy: subject,
          rpFormId: version.id,
        });
        return version.id;
      },
      answer: (id) => loadFresh(this.context.em, RpFormEntity, id),
    });
  }
}

/** Every version of every form of many pathways in one statement, in the order they were sent. */
export const rpFormsByPathway = groupedBy<string, RpFormEntity>(
  (pathwayIds, { em }) =>
    em.find(RpFormEntity, { pathwayId: { $in: [...pathwayIds] } }, { orderBy: { sentAt: 'asc', version: 'asc' } }),
  (form) => form.pathwayId,
);

/**
 * The pathway's texts told in the reader's language (schema/i18n): a timeline event from its kind and
 * detail, and the physician's copy of an act from what it was made of. Free text stays as its writer wrote it.
 */
import {
  enumLabel,
  formatDay,
  sentence,
  timelineMessageId,
  translate,
  type Language,
  type MessageId,
  type MessageParams,
} from '../../../schema/i18n/index.js';

/** Events whose detail is an enum value: told by its label. */
const DETAIL_ENUM: Readonly<Record<string, string>> = {
  PATHWAY_ENDED: 'PathwayEndReason',
  MEETING_SCHEDULED: 'MeetingKind',
  MEETING_HELD: 'MeetingKind',
  AUTHORISATION_REQUESTED: 'AuthorisationReason',
  AUTHORISATION_GRANTED: 'AuthorisationReason',
  AUTHORISATION_REFUSED: 'AuthorisationReason',
  AUTHORISATION_PENDING: 'AuthorisationReason',
};

/** A timeline event as a sentence: `RP1_FILED` → « RP1 introduit (demande de prise en charge d'une orientation professionnelle). » */
export function timelineSentence(language: Language, kind: string, detail: string | null | undefined): string {
  const enumName = DETAIL_ENUM[kind];
  const told = detail && enumName ? enumLabel(language, enumName, detail) : detail;
  return sentence(language, timelineMessageId(kind), told, { kind: enumLabel(language, 'PathwayActKind', kind) });
}

/** What the physician's copy of an act is made of (stored with the message, told when read). */
export interface ActCopyParams extends Record<string, string> {
  act: string;
  on: string;
  registryNumber: string;
  detail: string;
}

/** The physician's copy of an act: « RP1 introduit le 17 novembre 2026 (trajet IPS-000248) ». */
export function actCopyText(language: Language, params: ActCopyParams): string {
  const told: MessageParams = {
    act: enumLabel(language, 'PathwayActKind', params.act),
    on: formatDay(language, params.on),
    registryNumber: params.registryNumber,
  };
  return params.detail
    ? translate(language, 'physicianMessage.act', { ...told, detail: params.detail })
    : sentence(language, 'physicianMessage.act', null, told);
}

/** What the notice of a pathway's end is made of (R16): the pathway, the day, the reason, and the coach's note if any. */
export interface PathwayEndedParams extends Record<string, string> {
  registryNumber: string;
  on: string;
  reason: string;
  note: string;
}

/** « Fin du trajet IPS-000248 le 17 novembre 2026 (Emploi durable). » followed by the writer's note as written. */
export function pathwayEndedText(language: Language, params: PathwayEndedParams): string {
  const told = translate(language, 'physicianMessage.pathwayEnded', {
    registryNumber: params.registryNumber,
    on: formatDay(language, params.on),
    reason: enumLabel(language, 'PathwayEndReason', params.reason),
  });
  return params.note ? `${told} ${params.note}` : told;
}

/** What a request for a work authorisation (art. 100 §2, R15) is made of: the contract's facts. */
export interface WorkAuthorisationParams extends Record<string, string> {
  reason: string;
  jobFunction: string;
  employer: string;
  startsOn: string;
  weeklyHours: string;
  contractType: string;
}

/** « Demande d'autorisation de travail (art. 100, § 2, Premier contrat) : magasinier chez … » */
export function workAuthorisationText(language: Language, params: WorkAuthorisationParams): string {
  const hours = Number(params.weeklyHours);
  return translate(language, 'physicianMessage.workAuthorisation', {
    reason: enumLabel(language, 'AuthorisationReason', params.reason),
    jobFunction: params.jobFunction,
    employer: params.employer,
    startsOn: formatDay(language, params.startsOn),
    weeklyHours: Number.isFinite(hours) ? new Intl.NumberFormat(LOCALES[language]).format(hours) : params.weeklyHours,
    contractType: enumLabel(language, 'ContractType', params.contractType),
  });
}

const LOCALES: Readonly<Record<Language, string>> = { en: 'en-GB', fr: 'fr-BE', nl: 'nl-BE' };

/** The messages the platform writes to the physician, by catalogue id: each told from its stored facts. */
const PHYSICIAN_MESSAGES: Partial<Record<MessageId, (language: Language, params: Record<string, string>) => string>> = {
  'physicianMessage.act': (language, params) => actCopyText(language, params as ActCopyParams),
  'physicianMessage.pathwayEnded': (language, params) => pathwayEndedText(language, params as PathwayEndedParams),
  'physicianMessage.workAuthorisation': (language, params) =>
    workAuthorisationText(language, params as WorkAuthorisationParams),
};

/** A message the platform wrote, in the reader's language; undefined for one a person wrote (told as written). */
export function physicianMessageText(
  language: Language,
  messageId: string | null | undefined,
  params: Record<string, string> | null | undefined,
): string | undefined {
  const tell = messageId && params ? PHYSICIAN_MESSAGES[messageId as MessageId] : undefined;
  return tell?.(language, params!);
}

/**
 * The pathway's texts told in the reader's language (schema/i18n): a timeline event from its kind and
 * detail, and the physician's copy of an act from what it was made of. Free text stays as its writer wrote it.
 */
import { enumLabel, formatDay, sentence, timelineMessageId, translate, type Language, type MessageParams } from '../../../schema/i18n/index.js';

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
  const told: MessageParams = { act: enumLabel(language, 'PathwayActKind', params.act), on: formatDay(language, params.on), registryNumber: params.registryNumber };
  return params.detail ? translate(language, 'physicianMessage.act', { ...told, detail: params.detail }) : sentence(language, 'physicianMessage.act', null, told);
}

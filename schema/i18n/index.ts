/**
 * One catalogue for the graph's human texts in French, Dutch and English:
 * enum labels, error messages and timeline/message sentences. The language is negotiated once,
 * by the gateway, from the client's `Accept-Language` (RFC 9110 §12.5.4, through `negotiator`),
 * and carried to the subgraphs in LANGUAGE_HEADER (schema/headers.ts).
 *
 * Without an Accept-Language header, or with none of ours in it, the answer is in English:
 * machine clients (scripts, integrators, the tests) send none and read stable English texts,
 * while every browser sends one, so French- and Dutch-speaking users get their language.
 */
// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- the untyped package's declaration must come with this file into every tsconfig that imports it (router, gateway)
/// <reference path="./negotiator.d.ts" />
import Negotiator from 'negotiator';
import { en, type Catalogue } from './en.js';
import { fr } from './fr.js';
import { nl } from './nl.js';

export const LANGUAGES = ['en', 'fr', 'nl'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'en';

export const CATALOGUES: Readonly<Record<Language, Catalogue>> = { en, fr, nl };

export type MessageId = keyof Catalogue['messages'];
export type EnumName = keyof Catalogue['enums'];
export type MessageParams = Readonly<Record<string, string | number>>;

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** The caller's language from an Accept-Language header (fr-BE → fr, nl-BE → nl); English when absent or unmatched. */
export function negotiateLanguage(acceptLanguage: string | readonly string[] | undefined): Language {
  const header = typeof acceptLanguage === 'string' ? acceptLanguage : acceptLanguage?.join(', ');
  if (!header || !header.trim()) return DEFAULT_LANGUAGE;
  const chosen = new Negotiator({ headers: { 'accept-language': header } }).language([...LANGUAGES]);
  return isLanguage(chosen) ? chosen : DEFAULT_LANGUAGE;
}

/** A message of the catalogue in a language, `{name}` replaced by its parameter (unknown names stay visible). */
export function translate(language: Language, id: MessageId, params: MessageParams = {}): string {
  const template = CATALOGUES[language].messages[id];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : whole,
  );
}

/** The label of an enum value in a language; the value itself when the catalogue has none. */
export function enumLabel(language: Language, enumName: string, value: string): string {
  const labels = (CATALOGUES[language].enums as Record<string, Record<string, string> | undefined>)[enumName];
  return labels?.[value] ?? value;
}

/** A record's name (NotFoundError's `what`) in a language; the code's own word when the catalogue has none. */
export function noun(language: Language, what: string): string {
  return (CATALOGUES[language].nouns as Record<string, string | undefined>)[what] ?? what;
}

/** A calendar day (ISO yyyy-mm-dd) as people of the language write it: 17 novembre 2026 (1er décembre), 17 november 2026. */
export function formatDay(language: Language, isoDay: string): string {
  const date = new Date(`${isoDay}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return isoDay;
  const locale = { en: 'en-GB', fr: 'fr-BE', nl: 'nl-BE' }[language];
  const told = new Intl.DateTimeFormat(locale, {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(date);
  // French writes the first of the month as an ordinal: 1er décembre 2026.
  return language === 'fr' && date.getUTCDate() === 1 ? told.replace(/^1 /, '1er ') : told;
}

/**
 * A sentence of the catalogue that may be told without its detail: ` ({detail})`, `: {detail}` and
 * `{detail}` drop out when there is none, so no sentence ends in "()" or ": ".
 */
export function sentence(
  language: Language,
  id: MessageId,
  detail: string | null | undefined,
  params: MessageParams = {},
): string {
  if (detail) return translate(language, id, { ...params, detail });
  const template = CATALOGUES[language].messages[id]
    .replace(/ ?\(\{detail\}\)| ?: \{detail\}|\{detail\}/g, '')
    .replace(/ ([.:])$/, '$1');
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : whole,
  );
}

/** Whether the catalogue tells a timeline event of this kind in its own words. */
export function timelineMessageId(kind: string): MessageId {
  const id = `timeline.${kind}`;
  return (Object.hasOwn(en.messages, id) ? id : 'timeline.other') as MessageId;
}

/**
 * Belgian national number (NISS / INSZ): `YYMMDD SSS CC` (royal decree of 8 Feb 1991,
 * art. 4; DOMAIN.md "Reference facts"). The check digits also tell the century:
 * `97 − (first nine digits mod 97)` for births before 2000, the same with a `2`
 * prefixed for births from 2000 on. BIS numbers add 40 (sex known) or 20 to the month.
 */
import type { Localised } from '../../../schema/errors.js';
import { DEFAULT_LANGUAGE, translate, type MessageId } from '../../../schema/i18n/index.js';

export interface NissFacts {
  /** The eleven digits, without separators. */
  digits: string;
  /** ISO birth date, or undefined when the number does not encode a full date (month or day 00). */
  birthDate?: string;
  /**
   * The parts of the birth date the number encodes: the year always; the month and the day unless
   * written 00 (the national register's mark for a part unknown), the month without BIS's +20/+40.
   */
  birth: { year: number; month?: number; day?: number };
  century: 1900 | 2000;
  kind: 'NATIONAL_REGISTER' | 'BIS';
  sex?: 'MALE' | 'FEMALE';
}

/** A refused NISS says why from the catalogue (schema/i18n); `reason` is its English text. */
export type NissCheck = { valid: true; facts: NissFacts } | { valid: false; reason: string; message: Localised };

const refused = (id: MessageId): NissCheck => ({
  valid: false,
  reason: translate(DEFAULT_LANGUAGE, id),
  message: { id },
});

/** Accepts the usual written forms (`85.07.30-033.28`, spaces) and checks every rule. */
export function checkNiss(input: string): NissCheck {
  const digits = input.replace(/[\s.-]/g, '');
  if (!/^\d{11}$/.test(digits)) return refused('niss.digits');
  const firstNine = Number(digits.slice(0, 9));
  const check = Number(digits.slice(9));
  const century =
    check === 97 - (firstNine % 97) ? 1900 : check === 97 - ((2_000_000_000 + firstNine) % 97) ? 2000 : undefined;
  if (!century) return refused('niss.checkDigits');

  const year = century + Number(digits.slice(0, 2));
  let month = Number(digits.slice(2, 4));
  const day = Number(digits.slice(4, 6));
  const serial = Number(digits.slice(6, 9));
  let kind: NissFacts['kind'] = 'NATIONAL_REGISTER';
  let sexKnown = true;
  if (month >= 40) {
    kind = 'BIS';
    month -= 40;
  } else if (month >= 20) {
    kind = 'BIS';
    month -= 20;
    sexKnown = false;
  }
  if (month > 12) return refused('niss.month');
  if (serial === 0 || serial === 999) return refused('niss.serial');

  let birthDate: string | undefined;
  if (month !== 0 && day !== 0) {
    const date = new Date(Date.UTC(year, month - 1, day));
    if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return refused('niss.birthDate');
    birthDate = date.toISOString().slice(0, 10);
  } else if (day > 31) {
    return refused('niss.day');
  }
  const sex = sexKnown ? (serial % 2 === 1 ? 'MALE' : 'FEMALE') : undefined;
  const birth = { year, ...(month !== 0 ? { month } : {}), ...(day !== 0 ? { day } : {}) };
  return { valid: true, facts: { digits, birthDate, birth, century, kind, sex } };
}

/**
 * Whether an ISO birth date agrees with every part of it the NISS encodes (R1: the form's person is
 * the register's): a part written 00 is unknown and agrees with any, the others must be equal.
 */
export function birthDateFitsNiss(facts: NissFacts, birthDate: string): boolean {
  const [year, month, day] = birthDate.split('-').map(Number);
  const { birth } = facts;
  return (
    year === birth.year &&
    (birth.month === undefined || month === birth.month) &&
    (birth.day === undefined || day === birth.day)
  );
}

/** The birth date the NISS encodes as people read it: `1985-03-..` when the day is unknown, `..` for each unknown part. */
export function encodedBirthDate(facts: NissFacts): string {
  const part = (value: number | undefined) => (value === undefined ? '..' : String(value).padStart(2, '0'));
  return `${facts.birth.year}-${part(facts.birth.month)}-${part(facts.birth.day)}`;
}

/** Builds a valid NISS for a birth date and serial (demo data and tests). */
export function makeNiss(birthDate: string, serial: number): string {
  const [year = '', month, day] = birthDate.split('-');
  const firstNine = `${year.slice(2)}${month}${day}${String(serial).padStart(3, '0')}`;
  const base = Number(firstNine) + (Number(year) >= 2000 ? 2_000_000_000 : 0);
  return `${firstNine}${String(97 - (base % 97)).padStart(2, '0')}`;
}

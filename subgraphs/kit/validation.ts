/** Input checks every subgraph needs; each throws BAD_USER_INPUT naming the field. */
import { InvalidInputError } from '../../schema/errors.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/** Returns the id when it is a UUID, so PostgreSQL never sees a malformed one. */
export function assertUuid(field: string, value: string): string {
  if (!UUID.test(value)) throw new InvalidInputError(field, { id: 'input.invalidId' });
  return value.toLowerCase();
}

/** Bounds a page size: lists are always paginated. */
export function pageSize(field: string, value: number | undefined, fallback = 50, max = 500): number {
  const size = value ?? fallback;
  if (!Number.isInteger(size) || size < 1 || size > max)
    throw new InvalidInputError(field, { id: 'input.pageSize', params: { max } });
  return size;
}

// C0 and C1 control characters (NUL, BEL, ESC…) and DEL; free text keeps line breaks and tabs.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const CONTROL_BUT_LINES = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

/** Trims a text input and checks its length and characters; BAD_USER_INPUT naming the field. */
export function cleanText(
  field: string,
  value: string | null | undefined,
  options: { max: number; min?: number; multiline?: boolean },
): string {
  const text = (value ?? '').trim();
  const min = options.min ?? 1;
  if (text.length < min || text.length > options.max) {
    const params = { min, max: options.max };
    throw min > 0
      ? new InvalidInputError(field, { id: 'input.textLength', params })
      : new InvalidInputError(field, { id: 'input.textTooLong', params });
  }
  if ((options.multiline ? CONTROL_BUT_LINES : CONTROL).test(text))
    throw new InvalidInputError(field, { id: 'input.controlCharacters' });
  return text;
}

/** Input checks every subgraph needs; each throws BAD_USER_INPUT naming the field. */
import { InvalidInputError } from '../../schema/errors.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/** Returns the id when it is a UUID, so PostgreSQL never sees a malformed one. */
export function assertUuid(field: string, value: string): string {
  if (!UUID.test(value)) throw new InvalidInputError(field, 'is not a valid id');
  return value.toLowerCase();
}

/** Bounds a page size: lists are always paginated. */
export function pageSize(field: string, value: number | undefined, fallback = 50, max = 500): number {
  const size = value ?? fallback;
  if (!Number.isInteger(size) || size < 1 || size > max) throw new InvalidInputError(field, `must be between 1 and ${max}`);
  return size;
}

/**
 * Idempotency keys: every mutation takes one (kit/command.ts claims it in the writing
 * transaction); records a mutation creates also carry it, with the caller and fingerprint.
 */
import { createHash } from 'node:crypto';
import { Entity, Property } from '@mikro-orm/decorators/legacy';
import { InvalidInputError } from '../../schema/errors.js';

/** Columns every idempotently created entity carries. */
export interface IdempotentRecord {
  idempotencyKey: string;
  /** Subject that sent the request: keys are scoped per caller. */
  requestedBy: string;
  /** SHA-256 of the request's arguments, to tell a retry from a reuse. */
  requestFingerprint: string;
}

/**
 * Base of every entity a mutation creates idempotently: its table gets the three columns
 * and each subclass declares `@Unique({ properties: ['requestedBy', 'idempotencyKey'] })`.
 * List it in the subgraph's entities.
 */
@Entity({ abstract: true })
export class IdempotentEntity implements IdempotentRecord {
  @Property({ length: 100 })
  idempotencyKey!: string;

  @Property({ length: 200 })
  requestedBy!: string;

  @Property({ length: 64 })
  requestFingerprint!: string;
}

const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{8,100}$/;

export function assertIdempotencyKey(key: string): void {
  if (!IDEMPOTENCY_KEY.test(key)) {
    throw new InvalidInputError('idempotencyKey', { id: 'input.idempotencyKey' });
  }
}

/** A stable fingerprint of a request's arguments (keys sorted). */
export function fingerprint(value: unknown): string {
  return createHash('sha256').update(stableJson(value)).digest('hex');
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The `idempotencyKey` argument every mutation takes (type-graphql `@Arg` options). */
export const IDEMPOTENCY_KEY_ARG = {
  description:
    'A fresh UUID per change; reuse it only to retry the same request (same key and arguments: the same answer).',
} as const;

/**
 * Idempotent creation: a retried request with the same key returns what the first
 * one created and writes nothing; the same key with a different request is a CONFLICT.
 */
import { createHash } from 'node:crypto';
import { Entity, Property } from '@mikro-orm/decorators/legacy';
import { UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/postgresql';
import { ConflictError, InvalidInputError } from '../../schema/errors.js';

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
    throw new InvalidInputError('idempotencyKey', 'must be 8 to 100 characters among letters, digits and . _ : - (a UUID is a good choice)');
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

export interface IdempotentRequest<T> {
  key: string;
  requestedBy: string;
  arguments: unknown;
  /** Finds the record an earlier request with this key created. */
  findPrevious(em: EntityManager, key: string, requestedBy: string): Promise<T | null>;
  /** Validates and creates inside one transaction; receives the fingerprint to store. */
  create(em: EntityManager, requestFingerprint: string): Promise<T>;
}

export async function createIdempotently<T extends IdempotentRecord>(em: EntityManager, request: IdempotentRequest<T>): Promise<T> {
  assertIdempotencyKey(request.key);
  const requestFingerprint = fingerprint(request.arguments);
  const replay = async (): Promise<T | null> => {
    const previous = await request.findPrevious(em, request.key, request.requestedBy);
    if (previous && previous.requestFingerprint !== requestFingerprint) {
      throw new ConflictError('idempotencyKey was already used for a different request');
    }
    return previous;
  };
  const previous = await replay();
  if (previous) return previous;
  try {
    return await em.transactional((tx) => request.create(tx, requestFingerprint));
  } catch (error) {
    // A concurrent retry with the same key won the race: answer with its record.
    if (error instanceof UniqueConstraintViolationException) {
      em.clear();
      const winner = await replay();
      if (winner) return winner;
      throw new ConflictError('This request conflicts with a record created at the same time; read it before retrying');
    }
    throw error;
  }
}

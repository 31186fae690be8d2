/**
 * Record-level visibility for root lookups, lists and `_entities`: a record is
 * visible when the caller may see its `id`. Hidden and absent records look the
 * same (null), so existence never leaks.
 */
import { categoryOf } from '../../../schema/policy.js';
import type { OwnerOf, SubgraphContext } from '../context.js';
import { mayAccess } from './decide.js';
import { ledgerByParticipant } from './ledger.js';

/** Declares an owner function with the record's real type. */
export function ownedBy<T extends object>(participantIdOf: (record: T) => string | undefined): OwnerOf {
  return participantIdOf as OwnerOf;
}

export async function isVisible(context: SubgraphContext, typeName: string, record: object): Promise<boolean> {
  const owner = context.owners[typeName]?.(record);
  const category = categoryOf(typeName, 'id');
  if (!owner || !category) return false;
  return mayAccess(context.identity, await context.loaders.load(ledgerByParticipant, owner), category);
}

export async function visibleOrNull<T extends object>(
  context: SubgraphContext,
  typeName: string,
  record: T | null | undefined,
): Promise<T | null> {
  return record && (await isVisible(context, typeName, record)) ? record : null;
}

export async function onlyVisible<T extends object>(
  context: SubgraphContext,
  typeName: string,
  records: T[],
): Promise<T[]> {
  const visible = await Promise.all(records.map((record) => isVisible(context, typeName, record)));
  return records.filter((_, index) => visible[index]);
}

/**
 * A published snapshot's value as text and back (kit/data-version.ts keeps it in PostgreSQL).
 * JSON, with what JSON has no form for tagged: a Map, a Set, a Date, a bigint, and a published table
 * (kit/disclosure.ts), stored as its data fields only — its `cell()` lookup and its equations
 * follow from its dimensions and cells, and are rebuilt on reading (`restoreSuppressedTable`).
 * A value with a function anywhere else is refused when stored, not silently cut down.
 */
import { tableStructure, type Cell, type Dimension, type SuppressedTable } from './disclosure.js';

type Tagged =
  | { $map: [unknown, unknown][] }
  | { $set: unknown[] }
  | { $date: string }
  | { $bigint: string }
  | { $table: Record<string, unknown> };

const isSuppressedTable = (value: object): value is SuppressedTable =>
  typeof (value as { cell?: unknown }).cell === 'function' &&
  Array.isArray((value as { cells?: unknown }).cells) &&
  Array.isArray((value as { dimensions?: unknown }).dimensions);

function encodeValue(value: unknown, path: string): unknown {
  if (typeof value === 'bigint') return { $bigint: value.toString() } satisfies Tagged; // the cell key method's sums of record keys
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'function' || typeof value === 'symbol')
      throw new Error(`snapshot value at ${path}: a ${typeof value} cannot be stored`);
    return value;
  }
  if (value instanceof Date) return { $date: value.toISOString() } satisfies Tagged;
  if (value instanceof Map)
    return {
      $map: [...value].map(([k, v], i) => [
        encodeValue(k, `${path}.<key ${i}>`),
        encodeValue(v, `${path}.${String(k)}`),
      ]),
    } satisfies Tagged;
  if (value instanceof Set) return { $set: [...value].map((v, i) => encodeValue(v, `${path}[${i}]`)) } satisfies Tagged;
  if (Array.isArray(value)) return value.map((v, i) => encodeValue(v, `${path}[${i}]`));
  if (isSuppressedTable(value)) {
    // The equations are the dimensions' (tableStructure): rebuilt, not stored (they outnumber the cells).
    const fields = Object.fromEntries(
      Object.entries(value).filter(([name, field]) => name !== 'equations' && typeof field !== 'function'),
    );
    return { $table: encodeValue(fields, `${path}<table>`) as Record<string, unknown> } satisfies Tagged;
  }
  return Object.fromEntries(
    Object.entries(value).map(([name, field]) => [name, encodeValue(field, `${path}.${name}`)]),
  );
}

function decodeValue(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(decodeValue);
  const tagged = value as Record<string, unknown>;
  const keys = Object.keys(tagged);
  if (keys.length === 1) {
    if ('$date' in tagged) return new Date(tagged.$date as string);
    if ('$bigint' in tagged) return BigInt(tagged.$bigint as string);
    if ('$map' in tagged)
      return new Map((tagged.$map as [unknown, unknown][]).map(([k, v]) => [decodeValue(k), decodeValue(v)]));
    if ('$set' in tagged) return new Set((tagged.$set as unknown[]).map(decodeValue));
    if ('$table' in tagged) return restoreSuppressedTable(decodeValue(tagged.$table) as StoredTable);
  }
  return Object.fromEntries(keys.map((name) => [name, decodeValue(tagged[name])]));
}

/** A value as stored. */
export function encodeSnapshot(value: unknown): string {
  return JSON.stringify(encodeValue(value, 'value'));
}

/** A stored value as it was computed. */
export function decodeSnapshot<T>(text: string): T {
  return decodeValue(JSON.parse(text)) as T;
}

/** A suppressed table's stored fields: its dimensions and cells (in the table's order), its true counts, and any other data field. */
export type StoredTable = Omit<SuppressedTable, 'cell' | 'equations'> & Record<string, unknown>;

/**
 * The table object again from its stored fields: the cells' lookup by key, and the equations of its
 * dimensions. The cells must be in the order tableStructure gives their keys (as suppressTable made them).
 */
export function restoreSuppressedTable(stored: StoredTable): SuppressedTable {
  const structure = tableStructure(stored.dimensions);
  const cells = stored.cells;
  if (
    structure.keys.length !== cells.length ||
    cells.some((cell, i) => cell.key.join('\u0000') !== structure.keys[i]!.join('\u0000'))
  ) {
    throw new Error('stored table: its cells are not those of its dimensions');
  }
  return {
    ...stored,
    equations: structure.equations,
    cell: (key) => {
      const i = structure.index.get(key.join('\u0000'));
      return i === undefined ? undefined : cells[i];
    },
  };
}

import { buildSchema } from 'graphql';
import { controlCharacterPath, duplicateArgumentEntry, EntryKey } from './input-guard.js';

describe('control characters in client strings', () => {
  it('names the first field holding NUL, BEL, ESC, DEL or a C1 character, through objects and lists', () => {
    expect(controlCharacterPath({ input: { person: { givenName: 'Ca\u0000mille' } } }, '')).toBe(
      'input.person.givenName',
    );
    expect(controlCharacterPath({ input: { pathwayIds: ['a', 'b\u0007'] } }, '')).toBe('input.pathwayIds.1');
    expect(controlCharacterPath({ note: '\u001b[31mred' }, '')).toBe('note');
    expect(controlCharacterPath({ note: 'x\u007f' }, '')).toBe('note');
    expect(controlCharacterPath({ note: 'x\u0085' }, '')).toBe('note');
  });

  it('keeps line breaks and tabs of free text, and everything printable', () => {
    expect(controlCharacterPath({ detail: 'Ligne 1\nLigne 2\r\n\tfin', name: 'Élodie Ğüç 日本' }, '')).toBeUndefined();
  });
});

describe('the same entry twice in a list input', () => {
  // Named as the GraphQL input type it stands for: @EntryKey registers by name.
  @EntryKey('recipient')
  class Grant {}
  const schema = buildSchema(`
    enum Recipient { SRE INAMI }
    input Grant { recipient: Recipient!, categories: [String!]! }
    input Score { item: String!, score: Int! }
    type Query { change(grants: [Grant!]!, ids: [ID!], scores: [Score!]): Int }
  `);
  const args = schema.getQueryType()!.getFields().change!.args;
  Grant;

  it('names the repeated entry: a declared key (one grant per recipient), ids without case, or the whole entry', () => {
    expect(
      duplicateArgumentEntry(args, {
        grants: [
          { recipient: 'SRE', categories: ['identity'] },
          { recipient: 'SRE', categories: ['contact'] },
        ],
      }),
    ).toEqual({ path: 'grants.1', first: 0 });
    expect(
      duplicateArgumentEntry(args, { grants: [{ recipient: 'SRE', categories: ['identity', 'contact', 'identity'] }] }),
    ).toEqual({ path: 'grants.0.categories.2', first: 0 });
    expect(
      duplicateArgumentEntry(args, {
        grants: [],
        ids: ['7D1C0C55-3B7E-4A47-9D0C-4B1F5F9C0A11', '7d1c0c55-3b7e-4a47-9d0c-4b1f5f9c0a11'],
      }),
    ).toEqual({ path: 'ids.1', first: 0 });
    expect(
      duplicateArgumentEntry(args, {
        grants: [],
        scores: [
          { item: 'a', score: 1 },
          { score: 1, item: 'a' },
        ],
      }),
    ).toEqual({ path: 'scores.1', first: 0 });
  });

  it('lets distinct entries through: other recipients, other ids, the same score for other items', () => {
    expect(
      duplicateArgumentEntry(args, {
        grants: [
          { recipient: 'SRE', categories: ['identity', 'contact'] },
          { recipient: 'INAMI', categories: ['identity'] },
        ],
        ids: ['7d1c0c55-3b7e-4a47-9d0c-4b1f5f9c0a11', '7d1c0c55-3b7e-4a47-9d0c-4b1f5f9c0a12'],
        scores: [
          { item: 'a', score: 1 },
          { item: 'b', score: 1 },
        ],
      }),
    ).toBeUndefined();
  });
});

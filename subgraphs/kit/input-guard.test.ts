import { controlCharacterPath } from './input-guard.js';

describe('control characters in client strings', () => {
  it('names the first field holding NUL, BEL, ESC, DEL or a C1 character, through objects and lists', () => {
    expect(controlCharacterPath({ input: { person: { givenName: 'Ca\u0000mille' } } }, '')).toBe('input.person.givenName');
    expect(controlCharacterPath({ input: { pathwayIds: ['a', 'b\u0007'] } }, '')).toBe('input.pathwayIds.1');
    expect(controlCharacterPath({ note: '\u001b[31mred' }, '')).toBe('note');
    expect(controlCharacterPath({ note: 'x\u007f' }, '')).toBe('note');
    expect(controlCharacterPath({ note: 'x\u0085' }, '')).toBe('note');
  });

  it('keeps line breaks and tabs of free text, and everything printable', () => {
    expect(controlCharacterPath({ detail: 'Ligne 1\nLigne 2\r\n\tfin', name: 'Élodie Ğüç 日本' }, '')).toBeUndefined();
  });
});

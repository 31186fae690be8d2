import { bodyIsUtf8, queryIsUtf8 } from './utf8.js';

describe('requests that are not UTF-8', () => {
  it('tells a body of UTF-8 from one holding bytes that are not (a Latin-1 é, a lone continuation byte, an overlong form)', () => {
    expect(bodyIsUtf8(Buffer.from('{"name":"Élodie Ğüç 日本 🙂"}'))).toBe(true);
    expect(bodyIsUtf8(Buffer.alloc(0))).toBe(true);
    for (const bad of [[0xe9], [0x80], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80]]) {
      expect([bad, bodyIsUtf8(Buffer.concat([Buffer.from('{"name":"'), Buffer.from(bad), Buffer.from('"}')]))]).toEqual(
        [bad, false],
      );
    }
  });

  it('tells a query string whose percent-escapes decode to UTF-8 from one whose escapes do not', () => {
    expect(queryIsUtf8('/graphql?query=%7B%20me%20%7B%20id%20%7D%20%7D&x=%C3%89lodie')).toBe(true);
    expect(queryIsUtf8('/graphql')).toBe(true);
    expect(queryIsUtf8('/graphql?q=50%')).toBe(true); // a stray % is the GraphQL parser's to refuse, not an encoding fault
    expect(queryIsUtf8('/graphql?x=%E9lodie')).toBe(false);
    expect(queryIsUtf8('/graphql?x=%FF')).toBe(false);
  });
});

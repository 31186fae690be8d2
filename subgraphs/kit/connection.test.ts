/** The connection kit's cursors and page windows: opaque, round-tripping, and refused with the argument named. */
import { GraphQLError } from 'graphql';
import { decodeCursor, encodeCursor, pageWindow } from './connection.js';

const position = { key: '2026-11-24 09:15:02.123456+01', id: '0b7c9a8e-3f4d-4a2b-9c1d-2e3f4a5b6c7d' };

function fieldOf(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return (error as GraphQLError).extensions;
  }
  return 'no error';
}

it('round-trips a position (microseconds kept) through an opaque, URL-safe cursor', () => {
  const cursor = encodeCursor(position);
  expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
  expect(cursor).not.toContain(position.id);
  expect(decodeCursor('after', cursor)).toEqual(position);
});

it.each([
  ['garbage', 'not a cursor!'],
  ['base64 of something else', Buffer.from('arrayconnection:10').toString('base64url')],
  ['another version', Buffer.from(JSON.stringify(['k0', position.key, position.id])).toString('base64url')],
  ['an id that is no UUID', Buffer.from(JSON.stringify(['k1', position.key, "x' or 1=1"])).toString('base64url')],
  ['a key that is no date', Buffer.from(JSON.stringify(['k1', 'yesterday', position.id])).toString('base64url')],
])('refuses %s, naming the argument', (_what, cursor) => {
  expect(fieldOf(() => decodeCursor('before', cursor))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'before' });
});

it('reads first/after forward and last/before backward, 50 by default', () => {
  expect(pageWindow({})).toEqual({ size: 50, backward: false, from: undefined, hasCursor: false });
  expect(pageWindow({ first: 10, after: encodeCursor(position) })).toEqual({
    size: 10,
    backward: false,
    from: position,
    hasCursor: true,
  });
  expect(pageWindow({ last: 5, before: encodeCursor(position) })).toEqual({
    size: 5,
    backward: true,
    from: position,
    hasCursor: true,
  });
});

it.each([
  [{ first: 0 }, 'first'],
  [{ first: 501 }, 'first'],
  [{ first: 2.5 }, 'first'],
  [{ last: 0 }, 'last'],
  [{ first: 1, last: 1 }, 'last'],
  [{ after: encodeCursor(position), before: encodeCursor(position) }, 'before'],
])('refuses %j, naming %s', (args, field) => {
  expect(fieldOf(() => pageWindow(args))).toMatchObject({ code: 'BAD_USER_INPUT', field });
});

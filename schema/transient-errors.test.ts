import { formatError, TimeoutError, UnavailableError, wholeAnswerRetryAfter } from './errors.js';

describe('failures a client can act on', () => {
  it('keep their code and retry hint through formatError, with nothing else', () => {
    const error = new UnavailableError({ id: 'unavailable.database' }, 5);
    expect(formatError({ ...error.toJSON(), path: ['conventions'] }, error)).toEqual({
      message: 'The database is unavailable for a moment: retry in a few seconds',
      path: ['conventions'],
      locations: undefined,
      extensions: {
        code: 'UNAVAILABLE',
        messageId: 'unavailable.database',
        messageParams: {},
        retryable: true,
        retryAfter: 5,
      },
    });
  });

  it('make the whole answer a 503 only when every error is one and no data came', () => {
    const unavailable = new UnavailableError({ id: 'unavailable.subgraph' }, 5).toJSON();
    const timeout = new TimeoutError({ id: 'timeout.subgraph' }, 1).toJSON();
    expect(wholeAnswerRetryAfter({ a: null, b: null }, [unavailable, timeout])).toBe(5);
    expect(wholeAnswerRetryAfter(null, [timeout])).toBe(1);
    expect(wholeAnswerRetryAfter({ a: null, b: [] }, [unavailable])).toBeUndefined(); // part of the answer came
    expect(
      wholeAnswerRetryAfter(null, [unavailable, { message: 'x', extensions: { code: 'FORBIDDEN' } }]),
    ).toBeUndefined();
    expect(wholeAnswerRetryAfter({ a: 1 }, undefined)).toBeUndefined();
  });
});

import { GraphQLError } from 'graphql';
import { DEFAULT_RETRY_BUDGET_MS, isConnectionFailure, retryBudgetMs, retryDelayMs } from './failures.js';

/** An error as pg and MikroORM raise it: a message, maybe a SQLSTATE or a socket code. */
const failure = (message: string, code?: string) => Object.assign(new Error(message), code ? { code } : {});
/** As a resolver's error reaches the response plugin: wrapped by graphql-js. */
const wrapped = (error: Error) => new GraphQLError('Unexpected error.', { originalError: error });

describe('what a new attempt on a fresh connection may get past', () => {
  it('is the server going away or coming back, or the connection lost, however wrapped', () => {
    for (const error of [
      failure('terminating connection due to administrator command', '57P01'),
      failure('terminating connection due to crash of another server process', '57P02'),
      failure('the database system is starting up', '57P03'),
      failure('the database system is shutting down', '57P03'),
      failure('connection failure', '08006'),
      failure('sorry, too many clients already', '53300'),
      failure('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'),
      failure('read ECONNRESET', 'ECONNRESET'),
      failure('write EPIPE', 'EPIPE'),
      failure('Connection terminated unexpectedly'),
      failure('Client has encountered a connection error and is not queryable'),
    ]) {
      expect({ message: error.message, retried: isConnectionFailure(wrapped(error)) }).toEqual({
        message: error.message,
        retried: true,
      });
    }
  });

  it('is not a pool merely busy, a statement past its timeout, a lost race, a constraint, or a bug', () => {
    for (const error of [
      failure('timeout exceeded when trying to connect'),
      failure('canceling statement due to statement timeout', '57014'),
      failure('canceling statement due to lock timeout', '55P03'),
      failure('could not serialize access due to concurrent update', '40001'),
      failure('duplicate key value violates unique constraint', '23505'),
      failure('syntax error at or near "selec"', '42601'),
      failure("Cannot read properties of undefined (reading 'id')"),
    ]) {
      expect({ message: error.message, retried: isConnectionFailure(wrapped(error)) }).toEqual({
        message: error.message,
        retried: false,
      });
    }
  });
});

describe('the retry budget', () => {
  it("is the subgraph's own when no gateway deadline is sent", () => {
    expect(retryBudgetMs(DEFAULT_RETRY_BUDGET_MS, undefined)).toBe(8_000);
    expect(retryBudgetMs(DEFAULT_RETRY_BUDGET_MS, 'soon')).toBe(8_000);
  });

  it("ends before the gateway's deadline, so that a longer outage still reaches the client as UNAVAILABLE", () => {
    expect(retryBudgetMs(DEFAULT_RETRY_BUDGET_MS, '15000')).toBe(8_000);
    expect(retryBudgetMs(DEFAULT_RETRY_BUDGET_MS, '1500')).toBe(1_000);
    expect(retryBudgetMs(DEFAULT_RETRY_BUDGET_MS, '400')).toBe(0);
    expect(retryBudgetMs(0, '15000')).toBe(0);
  });

  it('pauses between attempts exponentially, capped, with jitter in the upper half', () => {
    expect([1, 2, 3, 4, 5, 6, 10].map((attempt) => retryDelayMs(attempt, () => 0))).toEqual([
      50, 100, 200, 400, 750, 750, 750,
    ]);
    expect([1, 2, 3, 4, 5, 6, 10].map((attempt) => retryDelayMs(attempt, () => 0.999999))).toEqual([
      100, 200, 400, 800, 1500, 1500, 1500,
    ]);
  });
});

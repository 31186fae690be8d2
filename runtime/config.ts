/**
 * Every environment variable the platform reads, in one validated schema (zod): type,
 * default and a one-line description. A wrong value stops start-up with one line naming
 * the variable and what it expects. The configuration table of docs/operators.md is rendered from
 * VARIABLES (`configurationTable()`); a unit test fails when the guide misses one.
 * (Tests' TEST_DATABASE_URL and the benches' ITERATIONS stay outside.)
 */
import { z } from 'zod';

const SUBGRAPH_NAMES = ['participants', 'pathways', 'research', 'billing'] as const;

const port = z.coerce
  .number({ error: 'a port number (0–65535)' })
  .int('a port number (0–65535)')
  .min(0, 'a port number (0–65535)')
  .max(65535, 'a port number (0–65535)');
const onOff = z.enum(['on', 'off'], { error: '"on" or "off"' });
const flag = z
  .enum(['', '0', '1', 'true', 'false', 'on', 'off'], { error: '1/true/on or 0/false/off' })
  .transform((value) => value === '1' || value === 'true' || value === 'on');
const url = (protocols: string[]) =>
  z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    `a URL (${protocols.join(' or ')})`,
  );
const postgresUrl = url(['postgres:', 'postgresql:']);
const jwk = z.string().refine((value) => {
  try {
    return typeof JSON.parse(value) === 'object';
  } catch {
    return false;
  }
}, 'a JWK as JSON');
/** `name=value,name=value` → record; names must be subgraph names. */
const namedList = <T extends z.ZodType>(value: T, expected: string) =>
  z.string().transform((text, context) => {
    const result: Partial<Record<(typeof SUBGRAPH_NAMES)[number], z.output<T>>> = {};
    for (const pair of text
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean)) {
      const [name, raw] = pair.split('=', 2) as [string, string | undefined];
      const parsed = value.safeParse(raw);
      if (!(SUBGRAPH_NAMES as readonly string[]).includes(name) || raw === undefined || !parsed.success) {
        context.addIssue({ code: 'custom', message: expected });
        return z.NEVER;
      }
      result[name as (typeof SUBGRAPH_NAMES)[number]] = parsed.data;
    }
    return result;
  });

interface Variable<T extends z.ZodType> {
  type: T;
  /** The value used when the variable is unset (as text, run through `type`); undefined: optional. */
  default?: string;
  /** Shown in the operators' table instead of the default (e.g. a default that depends on the command). */
  defaultText?: string;
  description: string;
}
const variable = <const S extends Variable<z.ZodType>>(spec: S): S => spec;

export const VARIABLES = {
  NODE_ENV: variable({
    type: z.enum(['development', 'production', 'test'], { error: 'development, production or test' }),
    default: 'development',
    description: '`production` refuses the local development keys',
  }),
  PORT: variable({
    type: port,
    defaultText: '4000 (`start:subgraph`: 0)',
    description:
      "The gateway's port (`npm start`, `start:gateway`), or the subgraph's in `start:subgraph` (0: any free port)",
  }),
  HOST: variable({
    type: z.string().min(1, 'a host name or address'),
    default: '127.0.0.1',
    description: 'The address the gateway and subgraphs listen on',
  }),
  PGPORT: variable({
    type: port,
    default: '54329',
    description: "The embedded PostgreSQL's port (`npm start` without DATABASE_URL)",
  }),
  IPS_DATA_DIR: variable({
    type: z.string().min(1, 'a folder'),
    default: '.data/postgres',
    description: "The embedded PostgreSQL's data folder",
  }),
  DATABASE_URL: variable({
    type: postgresUrl,
    description:
      'The URL a subgraph serves on when its own (PARTICIPANTS_DATABASE_URL…) is unset; unset too: `npm start` runs an embedded PostgreSQL',
  }),
  PARTICIPANTS_DATABASE_URL: variable({
    type: postgresUrl,
    defaultText: 'DATABASE_URL',
    description: "The participants subgraph's role's URL (`ips_participants`, as `db:provision` prints it)",
  }),
  PATHWAYS_DATABASE_URL: variable({
    type: postgresUrl,
    defaultText: 'DATABASE_URL',
    description: "The pathways subgraph's role's URL (`ips_pathways`)",
  }),
  RESEARCH_DATABASE_URL: variable({
    type: postgresUrl,
    defaultText: 'DATABASE_URL',
    description: "The research subgraph's role's URL (`ips_research`)",
  }),
  BILLING_DATABASE_URL: variable({
    type: postgresUrl,
    defaultText: 'DATABASE_URL',
    description: "The billing subgraph's role's URL (`ips_billing`)",
  }),
  MIGRATION_DATABASE_URL: variable({
    type: postgresUrl,
    defaultText: 'DATABASE_URL',
    description: "The owner role's URL, which runs the migrations",
  }),
  DATABASE_ADMIN_URL: variable({
    type: postgresUrl,
    description:
      "An administrator's URL: the database is provisioned (roles, grants, vault) at start and by `db:provision`",
  }),
  IPS_APP_PASSWORD: variable({
    type: z.string().min(1, 'a password'),
    default: 'ips-app-local-only',
    description:
      "The secret each subgraph role's password is derived from at provisioning (HMAC-SHA-256 by role name); never passed to a subgraph's process",
  }),
  IPS_OWNER_PASSWORD: variable({
    type: z.string().min(1, 'a password'),
    default: 'ips-owner-local-only',
    description: 'Password provisioning gives the owner role `ips_owner`',
  }),
  MIGRATE: variable({
    type: onOff,
    default: 'on',
    description: '`off`: `start:subgraph` skips migrations (a release job runs them)',
  }),
  IPS_PROCESSES: variable({
    type: z.enum(['auto', 'per-subgraph', 'two', 'one'], { error: 'auto, per-subgraph, two or one' }),
    default: 'auto',
    description:
      "`npm start`: `per-subgraph`, each subgraph in a process of its own beside the gateway's; `two`, the four subgraphs side by side in one process beside the gateway's; `one`, everything in one process; `auto`, `per-subgraph` with 5 cores or more, else `two`",
  }),
  IPS_DEMO_DATA: variable({
    type: onOff,
    default: 'on',
    description: '`npm start` loads demo data, only into a database it has just created (never one that holds data)',
  }),
  IPS_SUBGRAPH_PORTS: variable({
    type: namedList(
      port,
      'name=port pairs of participants, pathways, research, billing (e.g. participants=4001,pathways=4002)',
    ),
    default: '',
    defaultText: 'all 0',
    description:
      "`npm start`: each subgraph's port, e.g. `participants=4001,pathways=4002,research=4003,billing=4004` (0 or absent: a free port; printed at start)",
  }),
  SUBGRAPH_URLS: variable({
    type: namedList(url(['http:', 'https:']), 'name=URL pairs of participants, pathways, research, billing'),
    description: '`start:gateway` (required): `participants=http://…/graphql,pathways=…,research=…,billing=…`',
  }),
  SUPERGRAPHS: variable({
    type: z.string().min(1, 'a folder'),
    default: 'schema/roles',
    description: '`start:gateway`: the folder of the role supergraphs',
  }),
  IPS_AGGREGATES_REFRESH_MS: variable({
    type: z.coerce
      .number({ error: 'a whole number of milliseconds ≥ 0' })
      .int('a whole number of milliseconds ≥ 0')
      .min(0, 'a whole number of milliseconds ≥ 0'),
    default: '30000',
    description:
      'Published aggregates (pilotAggregates, coachCaseloads, teamFidelity, the suppressed CONSORT flow): computed in the background after writes once the stored snapshots are this old (0: after every burst of writes); a request is always answered from the latest stored snapshot, never made to wait',
  }),
  IPS_SUBGRAPH_TIMEOUT_MS: variable({
    type: z.coerce
      .number({ error: 'a whole number of milliseconds > 0' })
      .int('a whole number of milliseconds > 0')
      .positive('a whole number of milliseconds > 0'),
    default: '15000',
    description: 'How long the gateway waits for a subgraph before that part of the answer is an error',
  }),
  IPS_SHUTDOWN_TIMEOUT_MS: variable({
    type: z.coerce
      .number({ error: 'a whole number of milliseconds > 0' })
      .int('a whole number of milliseconds > 0')
      .positive('a whole number of milliseconds > 0'),
    default: '10000',
    description: 'On SIGTERM/SIGINT: how long in-flight requests may take to finish before connections are closed',
  }),
  CALLER_JWKS_URL: variable({
    type: url(['http:', 'https:']),
    description:
      "Production: the identity provider's JWKS, which verifies callers' tokens (the local dev key otherwise)",
  }),
  CALLER_ISSUER: variable({
    type: z.string().min(1, 'an issuer'),
    description: "The `iss` callers' tokens must carry (with CALLER_JWKS_URL)",
  }),
  CALLER_AUDIENCE: variable({
    type: z.string().min(1, 'an audience'),
    description: "The `aud` callers' tokens must carry (with CALLER_JWKS_URL)",
  }),
  GATEWAY_PRIVATE_JWK: variable({
    type: jwk,
    description: 'The key the gateway signs subgraph tokens with (the local dev key otherwise)',
  }),
  GATEWAY_PUBLIC_JWK: variable({
    type: jwk,
    description: "`start:subgraph`: the gateway's public key (the local dev key otherwise)",
  }),
  GATEWAY_JWKS_URL: variable({
    type: url(['http:', 'https:']),
    description:
      '`start:subgraph`: a JWKS URL of every router allowed to sign identity tokens (keys picked by `kid`, rotation without restart); first of the three',
  }),
  GATEWAY_JWKS: variable({
    type: jwk,
    description:
      '`start:subgraph`: the same as a JWK set `{ "keys": [...] }` in the variable itself; before GATEWAY_PUBLIC_JWK',
  }),
  IPS_DEV_KEYS: variable({
    type: z.string().min(1, 'a file'),
    default: '.local/dev-keys.json',
    description:
      'The local development keys (created on first use, said on standard error); a relative path is read from the project folder',
  }),
  IPS_LOG_LEVEL: variable({
    type: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: 'fatal, error, warn, info, debug, trace or silent',
    }),
    default: 'info',
    defaultText: '`info` (`silent` under NODE_ENV=test)',
    description: 'Level of the JSON logs (pino) on standard output; `debug` adds one line per SQL statement',
  }),
  IPS_LOG_ERRORS: variable({
    type: flag,
    default: '',
    description: 'Under NODE_ENV=test, log internal errors too (they are silent in tests otherwise)',
  }),
  IPS_DEBUG_SQL: variable({
    type: z.enum(['', 'off', '1', 'print'], { error: '1 or print' }),
    default: '',
    description:
      '`1`: responses may report their SQL statement count (tests, benches); `print`: every statement as a JSON log line, without parameters',
  }),
  IPS_DEBUG_POSTGRES: variable({ type: flag, default: '', description: "Log the embedded PostgreSQL's own messages" }),
  IPS_CORS_ORIGINS: variable({
    type: z.string().refine(
      (value) =>
        value
          .split(',')
          .map((entry) => entry.trim())
          .filter(Boolean)
          .every((entry) => entry === '*' || /^https?:\/\/[^/\s]+$/.test(entry)),
      'comma-separated origins such as https://partner.example or http://127.0.0.1:*',
    ),
    defaultText:
      'none when NODE_ENV=production; `http://127.0.0.1:*`, `http://localhost:*`, `http://[::1]:*` otherwise',
    description: 'Browser origins allowed to call the gateway (CORS); `scheme://host:*` allows any port',
  }),
  IPS_IDE: variable({
    type: onOff,
    defaultText: '`on` unless NODE_ENV=production',
    description: 'The in-browser IDE (GraphiQL, served by the gateway itself) at `/` and `/graphql` for browsers',
  }),
  IPS_CODEGEN_OUT: variable({
    type: z.string().min(1, 'a folder'),
    default: 'clients',
    description: "`npm run codegen`: where each role's typed client is written",
  }),
  IPS_CODEGEN_DOCUMENTS: variable({
    type: z.string().min(1, 'a glob'),
    defaultText: 'none (types only)',
    description: '`npm run codegen`: the operations to type, as a glob (`{role}` stands for the role)',
  }),
  IPS_METRICS: variable({
    type: onOff,
    default: 'on',
    description: 'Prometheus metrics at `/metrics` on each subgraph',
  }),
  IPS_TRACING: variable({
    type: z.enum(['off', 'console', 'otlp'], { error: 'off, console or otlp' }),
    default: 'off',
    description: 'OpenTelemetry traces: none, printed, or sent to OTEL_EXPORTER_OTLP_ENDPOINT',
  }),
  OTEL_EXPORTER_OTLP_ENDPOINT: variable({
    type: url(['http:', 'https:']),
    default: 'http://127.0.0.1:4318',
    description: 'Where `IPS_TRACING=otlp` sends traces (OTLP over HTTP)',
  }),
  APOLLO_TELEMETRY_DISABLED: variable({
    type: z.enum(['true', '1', 'false', '0'], { error: 'true or false' }),
    default: 'true',
    description:
      'Read by @apollo/gateway: unless `false`, its usage reporting to Apollo (and its cloud-metadata probes) stays off',
  }),
} as const;

export type VariableName = keyof typeof VARIABLES;
type ValueOf<K extends VariableName> = (typeof VARIABLES)[K] extends { default: string }
  ? z.output<(typeof VARIABLES)[K]['type']>
  : z.output<(typeof VARIABLES)[K]['type']> | undefined;
export type Config = { readonly [K in VariableName]: ValueOf<K> };

/** A configuration value that does not fit: its message is one line naming the variable. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    expected: string,
    value: string,
  ) {
    super(
      `Configuration: ${variable}=${JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value)} is not valid: expected ${expected}`,
    );
    this.name = 'ConfigError';
  }
}

/** Parses an environment (process.env by default); throws ConfigError at the first wrong value. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const config: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(VARIABLES) as [VariableName, Variable<z.ZodType>][]) {
    const raw = env[name] === '' && spec.default === undefined ? undefined : (env[name] ?? spec.default);
    if (raw === undefined) {
      config[name] = undefined;
      continue;
    }
    const result = spec.type.safeParse(raw);
    if (!result.success) throw new ConfigError(name, result.error.issues[0]?.message ?? 'a valid value', raw);
    config[name] = result.data;
  }
  return Object.freeze(config) as Config;
}

let current: Config | undefined;

/** The process's configuration, read once. */
export function config(): Config {
  return (current ??= loadConfig());
}

/** Entry points: the configuration, or one line on stderr and exit code 1. */
export function configOrExit(): Config {
  try {
    const loaded = config();
    // @apollo/gateway reads this itself when a gateway is constructed.
    process.env.APOLLO_TELEMETRY_DISABLED = loaded.APOLLO_TELEMETRY_DISABLED;
    return loaded;
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

/** The operators' table (docs/operators.md): one row per variable, with its default. */
export function configurationTable(): string {
  const rows = Object.entries(VARIABLES).map(([name, spec]: [string, Variable<z.ZodType>]) => {
    const shown =
      spec.defaultText ?? (spec.default === undefined ? '—' : spec.default === '' ? 'off' : `\`${spec.default}\``);
    return `| \`${name}\` | ${shown} | ${spec.description} |`;
  });
  return ['| Variable | Default | What it sets |', '| --- | --- | --- |', ...rows].join('\n');
}

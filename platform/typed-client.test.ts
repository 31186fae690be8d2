/**
 * Typed clients: GraphQL Code Generator, as a partner runs it (`npm run codegen`,
 * codegen.ts), generates the SRE's client from `schema/roles/SRE.client.graphql` into a temp
 * folder, and `tsc --noEmit` type-checks real code against it. A field the SRE may see compiles;
 * a field it never sees fails generation (in an operation) and the type-check (in code).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const node = process.execPath;
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ips-codegen-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function codegen(documents: string, out: string): { status: number | null; output: string } {
  const result = spawnSync(
    node,
    [join(root, 'node_modules/@graphql-codegen/cli/cjs/bin.js'), '--config', 'codegen.ts', 'SRE'],
    {
      cwd: root,
      // Codegen logs nothing under jest's NODE_ENV=test / JEST_WORKER_ID: run it as a partner's shell would.
      env: { ...withoutJest(process.env), IPS_CODEGEN_OUT: out, IPS_CODEGEN_DOCUMENTS: documents },
      encoding: 'utf8',
    },
  );
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

function withoutJest(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const rest = { ...env };
  delete rest.NODE_ENV;
  delete rest.JEST_WORKER_ID;
  delete rest.NODE_OPTIONS;
  return rest;
}

/** `tsc --noEmit` on one file, strict, as a partner's project would compile it. */
function typecheck(file: string): { status: number | null; output: string } {
  const project = join(dir, `tsconfig.${file}.json`);
  writeFileSync(
    project,
    JSON.stringify({
      compilerOptions: {
        strict: true,
        noEmit: true,
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        types: [],
        skipLibCheck: true,
      },
      files: [file],
    }),
  );
  const result = spawnSync(node, [join(root, 'node_modules/typescript/bin/tsc'), '-p', project], {
    cwd: dir,
    encoding: 'utf8',
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

it('generates the SRE client from its client schema and type-checks an operation the SRE may run', () => {
  mkdirSync(join(dir, 'ops/SRE'), { recursive: true });
  writeFileSync(
    join(dir, 'ops/SRE/inbox.graphql'),
    'query SreInbox($first: Int) { sreInbox(first: $first, unacknowledgedOnly: true) { totalCount edges { cursor node { id mailbox arrivedAt participant { id niss birthDate region } } } } }\n',
  );
  const generated = codegen(join(dir, 'ops/{role}/*.graphql'), join(dir, 'out'));
  expect(generated.output).not.toMatch(/error/i);
  expect(generated.status).toBe(0);

  const types =
    readFileSync(join(dir, 'out/SRE/schema.ts'), 'utf8') + readFileSync(join(dir, 'out/SRE/operations.ts'), 'utf8');
  // Scalars mapped, nothing of the supergraph machinery nor of other roles' fields.
  expect(types).toMatch(/DateTimeISO: \{ input: string; output: string; \}/);
  expect(types).toMatch(/LocalDate: \{ input: string; output: string; \}/);
  expect(types).not.toMatch(/join__|link__|inaccessible|unassignedPathways|intakeQueue|incapacityStatus/);

  writeFileSync(
    join(dir, 'use.ts'),
    `import type { SreInboxQuery, SreInboxQueryVariables } from './out/SRE/operations.js';
export const variables: SreInboxQueryVariables = { first: 10 };
export function firstBirthDate(data: SreInboxQuery): string | null | undefined {
  const total: number | undefined = data.sreInbox?.totalCount;
  void total;
  const item = data.sreInbox?.edges[0]?.node;
  const arrived: string | null | undefined = item?.arrivedAt;
  const mailbox: 'IPS' | 'IPS_CONTROL_GROUP' | null | undefined = item?.mailbox;
  void arrived; void mailbox;
  return item?.participant?.birthDate;
}
`,
  );
  const ok = typecheck('use.ts');
  expect(ok.output).toBe('');
  expect(ok.status).toBe(0);

  // Code that reaches for a field the SRE never sees does not compile against the generated types.
  writeFileSync(
    join(dir, 'misuse.ts'),
    `import type { Participant, Query } from './out/SRE/schema.js';
import type { SreInboxQuery } from './out/SRE/operations.js';
export const status = (p: Participant) => p.incapacityStatus;
export const queue = (q: Query) => q.intakeQueue;
export const unasked = (data: SreInboxQuery) => data.sreInbox?.edges[0]?.node?.participant?.familyName;
`,
  );
  const refused = typecheck('misuse.ts');
  expect(refused.status).not.toBe(0);
  expect(refused.output).toMatch(/Property 'incapacityStatus' does not exist on type 'Participant'/);
  expect(refused.output).toMatch(/Property 'intakeQueue' does not exist on type 'Query'/);
  // …nor does a field the operation did not select.
  expect(refused.output).toMatch(/Property 'familyName' does not exist/);
}, 120_000);

it('fails generation for an operation that asks for a field the SRE never sees', () => {
  mkdirSync(join(dir, 'bad/SRE'), { recursive: true });
  writeFileSync(
    join(dir, 'bad/SRE/status.graphql'),
    'query Status($id: ID!) { participant(id: $id) { id incapacityStatus } }\n',
  );
  const generated = codegen(join(dir, 'bad/{role}/*.graphql'), join(dir, 'bad-out'));
  expect(generated.status).not.toBe(0);
  expect(generated.output).toMatch(/Cannot query field "incapacityStatus" on type "Participant"/);
}, 120_000);

/**
 * The boundary check (`npm run lint:boundaries`, .dependency-cruiser.cjs) is only worth something if it
 * fails on the faults it names. Each case builds a small tree of files in a temporary folder, laid out
 * like the platform's, and runs the real check with the real rules over it: the faulty tree fails and
 * names its rule, and the same tree with the arrow pointing the allowed way passes.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const DEPCRUISE = join(ROOT, 'node_modules', '.bin', 'depcruise');
const CONFIG = join(ROOT, '.dependency-cruiser.cjs');

type Tree = Record<string, string>;

/** Runs the boundary check over `tree` (paths relative to a fresh folder); returns its exit status and output. */
function check(tree: Tree): { status: number | null; output: string } {
  const folder = mkdtempSync(join(tmpdir(), 'ips-boundaries-'));
  try {
    const files: Tree = {
      // The same module resolution as the platform's own tsconfig: `.js` specifiers name `.ts` files.
      'tsconfig.json': JSON.stringify({
        compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true },
        include: ['subgraphs'],
      }),
      ...tree,
    };
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(folder, path)), { recursive: true });
      writeFileSync(join(folder, path), text);
    }
    const run = spawnSync(DEPCRUISE, ['--config', CONFIG, 'subgraphs'], { cwd: folder, encoding: 'utf8' });
    return { status: run.status, output: `${run.stdout}${run.stderr}` };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

const GRAPHQL_TYPE = 'export class ProbeInput { id!: string; }\n';
const SERVICE = 'export interface ProbeRequest { id: string; }\nexport const probe = (r: ProbeRequest) => r.id;\n';

describe('the boundary check', () => {
  it('fails on a service that imports a GraphQL type, and passes when the type implements the service shape', () => {
    const faulty = check({
      'subgraphs/pathways/graphql/probe.type.ts': GRAPHQL_TYPE,
      'subgraphs/pathways/services/probe.service.ts':
        "import type { ProbeInput } from '../graphql/probe.type.js';\nexport const probe = (r: ProbeInput) => r.id;\n",
    });
    expect(faulty.status).not.toBe(0);
    expect(faulty.output).toContain('services-know-no-graphql');

    const allowed = check({
      'subgraphs/pathways/services/probe.service.ts': SERVICE,
      'subgraphs/pathways/graphql/probe.type.ts':
        "import type { ProbeRequest } from '../services/probe.service.js';\nexport class ProbeInput implements ProbeRequest { id!: string; }\n",
    });
    expect(allowed.output).not.toContain('services-know-no-graphql');
    expect(allowed.status).toBe(0);
  });

  it('fails on an entity that imports a GraphQL type', () => {
    const faulty = check({
      'subgraphs/billing/graphql/probe.type.ts': GRAPHQL_TYPE,
      'subgraphs/billing/entities/probe.entity.ts':
        "import { ProbeInput } from '../graphql/probe.type.js';\nexport const probe = new ProbeInput();\n",
    });
    expect(faulty.status).not.toBe(0);
    expect(faulty.output).toContain('services-know-no-graphql');
  });

  it('fails on a subgraph importing the code of another subgraph', () => {
    const faulty = check({
      'subgraphs/pathways/services/probe.service.ts': SERVICE,
      'subgraphs/research/services/reader.service.ts':
        "import { probe } from '../../pathways/services/probe.service.js';\nexport const read = probe;\n",
    });
    expect(faulty.status).not.toBe(0);
    expect(faulty.output).toContain('research-imports-no-other-subgraph');
  });
});

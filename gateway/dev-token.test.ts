/**
 * `npm run token`, as a developer types it: usage on --help and on a bad command line (exit 2,
 * never a stack trace), and the development keys found in the project folder whatever the
 * current folder, with a clear word on standard error when new keys are made.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { jwtVerify } from 'jose';
import { ROLES } from '../schema/identity.js';
import { loadDevKeys } from './keys.js';

const root = resolve(import.meta.dirname, '..');
const bundle = join(root, '.local', 'bin', 'dev-token.mjs');
const env: NodeJS.ProcessEnv = {
  ...process.env,
  PATH: `${join(root, 'node_modules', '.bin')}${delimiter}${process.env.PATH ?? ''}`,
};
delete env.IPS_DEV_KEYS;
delete env.NODE_OPTIONS;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(file: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<Run> {
  try {
    const { stdout, stderr } = await promisify(execFile)(file, args, { cwd: options.cwd, env: options.env ?? env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

const token = (args: string[]): Promise<Run> => run('npm', ['run', '--silent', 'token', '--', ...args], { cwd: root });

let elsewhere: string;
beforeAll(() => {
  elsewhere = mkdtempSync(join(tmpdir(), 'ips-token-'));
});
afterAll(() => rmSync(elsewhere, { recursive: true, force: true }));

describe('npm run token: usage', () => {
  it('prints its usage on --help, every role named, exit 0', async () => {
    const result = await token(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^usage: npm run --silent token -- --role ROLE/);
    for (const role of ROLES) expect(result.stdout).toContain(role);
    expect(result.stderr).toBe('');
  });

  it.each([
    ['an unknown option', ['--rol', 'INAMI'], "Unknown option '--rol'"],
    ['no role', ['--org', 'INAMI'], '--role is required'],
    ['an unknown role', ['--role', 'KING'], 'unknown role KING'],
    ['a lifetime that is no span', ['--role', 'INAMI', '--ttl', 'forever'], '--ttl forever'],
  ])(
    'a bad command line (%s) prints the usage on standard error, exit 2, no stack trace',
    async (_case, args, message) => {
      const result = await token(args);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain(message);
      expect(result.stderr).toContain('usage: npm run --silent token');
      expect(result.stderr).not.toMatch(/^\s+at /m);
    },
  );
});

describe('npm run token: where the keys are', () => {
  it('run from another folder, names the keys of the project folder', async () => {
    await token(['--help']); // the bundle npm run token runs
    const result = await run(process.execPath, [bundle, '--help'], { cwd: elsewhere });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(join(root, '.local', 'dev-keys.json'));
  });

  it('reads a relative IPS_DEV_KEYS from the project folder, says when it makes new keys, and signs with them', async () => {
    const relative = join('.local', `token-test-${process.pid}`, 'dev-keys.json');
    const inProject = join(root, relative);
    try {
      await token(['--help']);
      const first = await run(process.execPath, [bundle, '--role', 'INAMI', '--org', 'INAMI'], {
        cwd: elsewhere,
        env: { ...env, IPS_DEV_KEYS: relative },
      });
      expect(first.code).toBe(0);
      expect(first.stderr).toContain(`New development keys written to ${inProject}`);
      expect(existsSync(inProject)).toBe(true);
      expect(existsSync(join(elsewhere, relative))).toBe(false);
      const { payload } = await jwtVerify(first.stdout.trim(), (await loadDevKeys(inProject)).caller.publicKey);
      expect(payload).toMatchObject({ role: 'INAMI', org: 'INAMI', sub: 'dev-inami' });

      const second = await run(process.execPath, [bundle, '--role', 'INAMI', '--org', 'INAMI'], {
        cwd: elsewhere,
        env: { ...env, IPS_DEV_KEYS: relative },
      });
      expect(second.code).toBe(0);
      expect(second.stderr).toBe('');
      await expect(
        jwtVerify(second.stdout.trim(), (await loadDevKeys(inProject)).caller.publicKey),
      ).resolves.toBeDefined();
    } finally {
      rmSync(join(root, '.local', `token-test-${process.pid}`), { recursive: true, force: true });
    }
  });
});

/**
 * The manual holds together: every relative link of README.md and docs/*.md names a file that
 * exists, and a link to a section names a heading of that file (GitHub's anchors), so moving a
 * section between documents cannot leave a reader at a dead link. The README stays a manual
 * (the commands, a first query, who sees what, the folders and the links), the rest by reader in docs/.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const documents = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => join('docs', name)),
];

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
function anchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/ /g, '-');
}

function anchorsOf(file: string): Set<string> {
  const text = readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '');
  return new Set([...text.matchAll(/^#{1,6}\s+(.+)$/gm)].map((match) => anchor(match[1]!)));
}

/** The relative links of a Markdown file (code blocks and inline code left out). */
function linksOf(file: string): string[] {
  const text = readFileSync(file, 'utf8')
    .replace(/```[\s\S]*?```/g, '')
    .replace(/`[^`\n]*`/g, '');
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((match) => match[1]!)
    .filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target));
}

describe('the manual', () => {
  it.each(documents)('%s: every relative link names an existing file and heading', (document) => {
    const from = join(root, document);
    const dead = linksOf(from).filter((target) => {
      const [path, hash] = target.split('#') as [string, string | undefined];
      const file = path === '' ? from : resolve(dirname(from), decodeURI(path));
      if (!existsSync(file)) return true;
      return hash !== undefined && file.endsWith('.md') && !anchorsOf(file).has(hash);
    });
    expect(dead).toEqual([]);
  });

  it('has a document for each reader, each linked from the README', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    for (const document of documents.filter((name) => name !== 'README.md'))
      expect(readme).toContain(`](${relative(root, join(root, document))})`);
  });

  it('keeps the README a manual of at most about 250 lines', () => {
    expect(readFileSync(join(root, 'README.md'), 'utf8').split('\n').length).toBeLessThanOrEqual(260);
  });
});

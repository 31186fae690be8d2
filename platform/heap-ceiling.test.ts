/**
 * V8 sizes the heap before its next full collection at up to 4× what survived the last one when the
 * heap's ceiling is 2 GiB or more (the default on a machine with memory), and at 1.3–2× below it: under
 * sustained load the processes' memory then climbs to that 4× and stays there (bench/soak.ts). Every
 * entry point of the platform runs Node with a ceiling under 2 GiB, which bounds the growth (and keeps
 * a budget per process); forked processes (the launcher's subgraphs) inherit the launcher's flags.
 */
import { readFileSync } from 'node:fs';

const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts;
const HIGH_GROWTH_FROM_MB = 2048;

describe('the heap ceiling of the serving processes', () => {
  it.each(['start', 'start:subgraph', 'start:gateway'])(
    '`npm run %s` runs Node with an old space under 2 GiB',
    (script) => {
      const flag = scripts[script]?.match(/ node (?:--[\w-]+(?:=\S+)? )*?--max-old-space-size=(\d+)/);
      expect({ script, ceilingMb: Number(flag?.[1]) }).toEqual({ script, ceilingMb: expect.any(Number) as unknown });
      expect(Number(flag![1])).toBeLessThan(HIGH_GROWTH_FROM_MB);
    },
  );
});

/**
 * `npm run consort -- [--language fr|nl|en] [--region BRUSSELS] [--as researcher|integrator] [--out consort.svg] [--url http://127.0.0.1:4000/graphql]`
 * asks a running platform (`npm start`, demo data) for the trial's CONSORT 2010 flow diagram, as a
 * researcher (exact counts) or an integrator (disclosure-controlled: each withheld box says why —
 * « n < 5 » only for a small count, « withheld to protect another count » for a complement) signed by
 * the local development identity provider, and writes the SVG to a file. The diagram is drawn by the
 * research subgraph from `consortFlow`'s counts; nothing is added here.
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { signCallerToken } from './identity.js';
import { loadDevKeys } from './keys.js';

const { values } = parseArgs({
  options: {
    language: { type: 'string', default: 'en' },
    region: { type: 'string' },
    as: { type: 'string', default: 'researcher' },
    out: { type: 'string', default: 'consort.svg' },
    url: { type: 'string', default: `http://127.0.0.1:${process.env.PORT ?? 4000}/graphql` },
  },
});
const language = values.language.toUpperCase();
if (!['FR', 'NL', 'EN'].includes(language)) {
  console.error('--language must be fr, nl or en');
  process.exit(2);
}
const READERS = {
  researcher: { role: 'RESEARCHER', organisation: 'ULB', subject: 'dev-researcher' },
  integrator: { role: 'INTEGRATOR', organisation: 'DASHBOARD-WAL', subject: 'dev-integrator' },
} as const;
const readerName = values.as.toLowerCase();
if (readerName !== 'researcher' && readerName !== 'integrator') {
  console.error('--as must be researcher or integrator');
  process.exit(2);
}
const keys = await loadDevKeys();
const token = await signCallerToken(READERS[readerName], keys.caller.privateKey, '5m');
const response = await fetch(values.url, {
  method: 'POST',
  headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
  body: JSON.stringify({
    query:
      'query Consort($language: Language, $region: Region) { consortDiagram(language: $language, region: $region) }',
    variables: { language, region: values.region ?? null },
  }),
});
const body = (await response.json()) as { data?: { consortDiagram: string | null }; errors?: unknown[] };
if (body.errors || !body.data?.consortDiagram) {
  console.error(JSON.stringify(body.errors ?? body, null, 2));
  process.exit(1);
}
await writeFile(values.out, body.data.consortDiagram, 'utf8');
console.log(
  `Wrote ${values.out} (${body.data.consortDiagram.length} characters, ${language}${values.region ? `, ${values.region}` : ''}, as ${READERS[readerName].role})`,
);

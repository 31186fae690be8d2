/**
 * `npm run analysis -- --extract <file.csv>` or `-- --request <id> [--url http://127.0.0.1:4000] [--subject dev-researcher]`
 * prints the trial's intention-to-treat estimates (itt.ts) from an approved person-month extract:
 * read from a file already downloaded, or downloaded from a running platform through the gateway as
 * the researcher who filed the request (signed by the local development identity provider).
 * `--json` prints the figures as JSON instead of a table.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { signCallerToken } from '../gateway/identity.js';
import { loadDevKeys } from '../gateway/keys.js';
import { csvRecords } from './csv.js';
import { analyse, missingColumns } from './itt.js';
import { formatAnalysis } from './format.js';

const { values } = parseArgs({
  options: {
    extract: { type: 'string' },
    request: { type: 'string' },
    url: { type: 'string', default: `http://127.0.0.1:${process.env.PORT ?? 4000}` },
    subject: { type: 'string', default: 'dev-researcher' },
    organisation: { type: 'string', default: 'ULB' },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

if (values.help || (!values.extract && !values.request)) {
  console.log(
    'usage: npm run analysis -- --extract <extract.csv> | --request <data request id> [--url http://127.0.0.1:4000] [--subject dev-researcher] [--json]',
  );
  process.exit(values.help ? 0 : 2);
}

async function download(requestId: string): Promise<string> {
  const keys = await loadDevKeys();
  const token = await signCallerToken(
    { role: 'RESEARCHER', organisation: values.organisation, subject: values.subject },
    keys.caller.privateKey,
    '5m',
  );
  const response = await fetch(new URL(`/datasets/${encodeURIComponent(requestId)}.csv`, values.url), {
    headers: { authorization: `Bearer ${token}` },
  });
  if (!response.ok) {
    console.error(`The extract could not be downloaded (HTTP ${response.status}): ${await response.text()}`);
    process.exit(1);
  }
  return response.text();
}

const text = values.extract ? await readFile(values.extract, 'utf8') : await download(values.request!);
const { columns, rows } = csvRecords(text);
const missing = missingColumns(columns);
if (missing.length > 0) {
  console.error(`The extract lacks ${missing.join(', ')}: request these variables with the extract.`);
  process.exit(2);
}
const analysis = analyse(rows);
console.log(values.json ? JSON.stringify(analysis, null, 2) : formatAnalysis(analysis));

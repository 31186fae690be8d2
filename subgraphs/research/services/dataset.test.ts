/** Data requests and extracts (R19): input checks, the download rule read from the policy, the codebook's rules and the CSV/Parquet encodings. */
import { GraphQLError } from 'graphql';
import type { Identity } from '../../../schema/identity.js';
import { mayDownload } from '../../kit/access/decide.js';
import { CODEBOOK, extractColumns, PSEUDONYM, REQUESTABLE } from './codebook.js';
import { extractSql } from './dataset.sql.js';
import { validateDataRequest, validateDecision } from './dataset.service.js';
import { csvField, parquetSchema } from './extract-writer.js';

const fieldOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return (error as GraphQLError).extensions?.field;
  }
  return undefined;
};

describe('a data request', () => {
  const valid = { project: 'IPS-TRIAL-1', purpose: 'Primary analysis of the trial.', variables: ['arm', 'month'] };

  it('names variables of the codebook, each once, never the pseudonym (always there) nor anything else', () => {
    expect(validateDataRequest(valid)).toEqual({ ...valid, purposeCategory: 'administrative' });
    expect(fieldOf(() => validateDataRequest({ ...valid, variables: ['arm', 'niss'] }))).toBe('input.variables.1');
    expect(fieldOf(() => validateDataRequest({ ...valid, variables: ['arm', 'arm'] }))).toBe('input.variables.1');
    expect(fieldOf(() => validateDataRequest({ ...valid, variables: ['pseudonym'] }))).toBe('input.variables.0');
    expect(fieldOf(() => validateDataRequest({ ...valid, variables: [] }))).toBe('input.variables');
    expect(fieldOf(() => validateDataRequest({ ...valid, project: 'x' }))).toBe('input.project');
    expect(fieldOf(() => validateDataRequest({ ...valid, purposeCategory: 'research' }))).toBe('input.purposeCategory');
  });

  it('is refused only with a reason', () => {
    const requestId = '0b6f1c1e-5a8e-4c55-9a43-000000000000';
    expect(fieldOf(() => validateDecision({ requestId, decision: 'REFUSE', reason: '  ' }))).toBe('input.reason');
    expect(validateDecision({ requestId, decision: 'APPROVE' })).toEqual({
      requestId,
      decision: 'APPROVE',
      reason: null,
    });
  });
});

describe('the download rule (schema/policy.ts DOWNLOADS)', () => {
  const researcher: Identity = { role: 'RESEARCHER', organisation: 'ULB', subject: 'r-1' };
  const record = (status: string, filerSubject = 'r-1', filerOrganisation = 'ULB') => ({
    status,
    filerSubject,
    filerOrganisation,
  });
  it('lets the filer of an approved request download, and no one else, nor a pending or refused request', () => {
    expect(mayDownload('dataset', researcher, record('APPROVED'))).toBe(true);
    expect(mayDownload('dataset', researcher, record('PENDING'))).toBe(false);
    expect(mayDownload('dataset', researcher, record('REFUSED'))).toBe(false);
    expect(mayDownload('dataset', researcher, record('APPROVED', 'r-2'))).toBe(false);
    expect(mayDownload('dataset', researcher, record('APPROVED', 'r-1', 'KUL'))).toBe(false);
    expect(mayDownload('dataset', { role: 'INAMI', organisation: 'ULB', subject: 'r-1' }, record('APPROVED'))).toBe(
      false,
    );
    expect(mayDownload('dataset', researcher, undefined)).toBe(false);
  });
});

describe('the codebook', () => {
  it('has labels in three languages and a derivation for every variable; no variable is an identifier, a postcode, a day or free text', () => {
    for (const variable of CODEBOOK)
      expect(
        [variable.label.fr, variable.label.nl, variable.label.en, variable.derivation].every(
          (text) => text.trim().length > 0,
        ),
      ).toBe(true);
    expect(
      CODEBOOK.map((v) => v.name).filter((name) => /niss|name|birth|postcode|address|purpose|note|detail/.test(name)),
    ).toEqual([]);
    expect(
      CODEBOOK.map((v) => v.sql).filter((sql) => /niss|given_name|family_name|birth_date|postcode/.test(sql)),
    ).toEqual([]);
  });

  it('gives an extract exactly the requested variables and the pseudonym, first; monthly when any variable is', () => {
    expect(extractColumns(['region', 'arm']).map((c) => c.name)).toEqual(['pseudonym', 'arm', 'region']);
    expect(extractColumns(REQUESTABLE)).toEqual(CODEBOOK);
    expect(extractColumns([])).toEqual([PSEUDONYM]);
    expect(extractSql(['arm']).sql).not.toContain('generate_series');
    expect(extractSql(['arm', 'competitive_job']).sql).toContain('generate_series');
  });
});

describe('the encodings', () => {
  it('writes CSV fields as RFC 4180 says: quoted when they hold a comma, quote or line break; null empty', () => {
    expect([
      csvField(null),
      csvField('IPS'),
      csvField('a,b'),
      csvField('say "hi"'),
      csvField(true),
      csvField(12.5),
    ]).toEqual(['', 'IPS', '"a,b"', '"say ""hi"""', 'true', '12.5']);
  });

  it('gives each codebook type its Parquet type, every column optional', () => {
    expect(
      parquetSchema([
        { name: 'a', type: 'STRING' },
        { name: 'b', type: 'INTEGER' },
        { name: 'c', type: 'DOUBLE' },
        { name: 'd', type: 'BOOLEAN' },
      ]),
    ).toEqual([
      { name: 'root', num_children: 4 },
      { name: 'a', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
      { name: 'b', type: 'INT32', repetition_type: 'OPTIONAL' },
      { name: 'c', type: 'DOUBLE', repetition_type: 'OPTIONAL' },
      { name: 'd', type: 'BOOLEAN', repetition_type: 'OPTIONAL' },
    ]);
  });
});

/**
 * The access policy as one readable document (schema/POLICY.md) for a privacy officer:
 * generated from schema/policy.ts by `npm run compose`, checked for drift by the tests.
 */
import { ROLES } from '../schema/identity.js';
import {
  CIRCLE,
  CONSENT_SCOPE,
  DATA_CATEGORIES,
  FIELD_ROLE_LIMITS,
  LEDGER_FACTS,
  NON_PERSONAL_TYPES,
  OPERATIONS,
  PERSONAL_DATA_TYPES,
  RECIPIENT_OF_ROLE,
  RECIPIENTS,
  ROLE_SCOPE,
} from '../schema/policy.js';

const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
const table = (head: string[], rows: string[][]) => [row(head), row(head.map(() => '---')), ...rows.map(row)].join('\n');

export function policyDocument(): string {
  const circle = (role: (typeof ROLES)[number]) => {
    const rule = CIRCLE[role];
    if ('everyone' in rule) return `everyone — ${rule.why}`;
    if ('noOne' in rule) return `no one — ${rule.why}`;
    return `ledger \`${rule.ledger}\` = caller's ${rule.equalsCaller} — ${rule.why}`;
  };
  return [
    '# Access policy of the IPS graph',
    '',
    'Generated from `schema/policy.ts` by `npm run compose`; do not edit by hand. A caller sees a field of a',
    "participant's record when (1) their role may ever see the field's category, (2) they are in the",
    "participant's circle, and (3) the participant's information-sharing consent (R1e) grants that category",
    'to the recipient their role acts for — the participant themself needs no consent. Anything not listed is denied.',
    '',
    '## 1. What each role may ever see',
    '',
    table(['role', ...DATA_CATEGORIES], ROLES.map((role) => [role, ...DATA_CATEGORIES.map((category) => (ROLE_SCOPE[role].includes(category) ? '✔' : ''))])),
    '',
    '## 2. Who is in a participant\'s circle, and which consent covers them',
    '',
    table(['role', 'in the circle when', 'consent recipient'], ROLES.map((role) => [role, circle(role), RECIPIENT_OF_ROLE[role] ?? '— (no personal records)'])),
    '',
    '## 3. What a consent can grant each recipient',
    '',
    table(['recipient', ...DATA_CATEGORIES], RECIPIENTS.map((recipient) => [recipient, ...DATA_CATEGORIES.map((category) => (CONSENT_SCOPE[recipient].includes(category) ? '✔' : ''))])),
    '',
    '## 4. Every personal-data field and its category',
    '',
    table(
      ['type', 'field', 'category', 'only for'],
      Object.entries(PERSONAL_DATA_TYPES).flatMap(([type, fields]) =>
        Object.entries(fields).map(([field, category]) => [type, field, category, FIELD_ROLE_LIMITS[`${type}.${field}`]?.join(', ') ?? '']),
      ),
    ),
    '',
    '## 5. Types without personal data',
    '',
    table(['type', 'readable by'], Object.entries(NON_PERSONAL_TYPES).map(([type, roles]) => [type, roles.length === ROLES.length ? 'every role' : roles.join(', ')])),
    '',
    '## 6. Operations',
    '',
    table(['operation', 'roles'], Object.entries(OPERATIONS).flatMap(([root, fields]) => Object.entries(fields).map(([field, roles]) => [`${root}.${field}`, roles.join(', ')]))),
    '',
    '## 7. The access ledger: facts every decision reads, and who writes each',
    '',
    table(['fact', 'written by', 'meaning'], Object.entries(LEDGER_FACTS).map(([fact, { owner, meaning }]) => [fact, owner, meaning])),
    '',
  ].join('\n');
}

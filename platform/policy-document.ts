/**
 * The access policy as one readable document (schema/POLICY.md) for a privacy officer:
 * generated from schema/policy.ts by `npm run compose`, checked for drift by the tests.
 */
import { ROLES } from '../schema/identity.js';
import { buildPtable } from '../subgraphs/kit/cell-key.js';
import {
  UPLOAD_ACTIONS,
  COUNT_ANSWERS,
  COUNT_READERS,
  DISCLOSURE_CONTROL,
  SUPPRESSED_SYSTEM,
  ACTIONS,
  CIRCLE,
  CONTENT_CATEGORY_OF,
  DOWNLOADS,
  FILER_RECORDS,
  PRECONDITIONS,
  RELATIONS,
  STAFF_FUNCTIONS,
  type ActionGrant,
  type Relation,
  type RelationName,
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
  NOTICES,
  ON_CONSENT_WITHDRAWN,
  FREE_TEXT_CATEGORIES,
  mayEverRead,
} from '../schema/policy.js';

const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
const table = (head: string[], rows: string[][]) =>
  [row(head), row(head.map(() => '---')), ...rows.map(row)].join('\n');

export function policyDocument(): string {
  const relation = (name: RelationName) => {
    const rule: Relation = RELATIONS[name];
    if (rule.everyone) return `everyone — ${rule.why}`;
    if (rule.noOne) return `no one — ${rule.why}`;
    const facts = [
      rule.organisation && `ledger \`${rule.organisation}\` = caller's organisation`,
      rule.subject && `ledger \`${rule.subject}\` = caller's subject`,
      rule.staff &&
        `the caller an active ${rule.staff} of the staff directory (ended: nothing, for reads as for writes)`,
    ].filter(Boolean);
    return `${facts.join(' and ')} — ${rule.why}`;
  };
  const circle = (role: (typeof ROLES)[number]) => `${CIRCLE[role]}: ${relation(CIRCLE[role])}`;
  const grant = (g: ActionGrant) =>
    [
      g.role,
      g.relation === 'ownOrganisation'
        ? "of the record's own organisation"
        : g.relation === 'anyone'
          ? '(any)'
          : `holding \`${g.relation}\``,
      g.staff ? `listed as ${g.staff}` : '',
      g.variants ? `for ${g.variants.join(', ')}` : '',
      g.requires?.length ? `when ${g.requires.join(', ')}` : '',
    ]
      .filter(Boolean)
      .join(' ');
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
    table(
      ['role', ...DATA_CATEGORIES],
      ROLES.map((role) => [
        role,
        ...DATA_CATEGORIES.map((category) => (ROLE_SCOPE[role].includes(category) ? '✔' : '')),
      ]),
    ),
    '',
    "## 2. Who is in a participant's circle, and which consent covers them",
    '',
    table(
      ['role', 'in the circle when', 'consent recipient'],
      ROLES.map((role) => [role, circle(role), RECIPIENT_OF_ROLE[role] ?? '— (no personal records)']),
    ),
    '',
    '## 3. What a consent can grant each recipient',
    '',
    table(
      ['recipient', ...DATA_CATEGORIES],
      RECIPIENTS.map((recipient) => [
        recipient,
        ...DATA_CATEGORIES.map((category) => (CONSENT_SCOPE[recipient].includes(category) ? '✔' : '')),
      ]),
    ),
    '',
    '## 4. Every personal-data field and its category',
    '',
    table(
      ['type', 'field', 'category', 'only for'],
      Object.entries(PERSONAL_DATA_TYPES).flatMap(([type, fields]) =>
        Object.entries(fields).map(([field, category]) => [
          type,
          field,
          category,
          FIELD_ROLE_LIMITS[`${type}.${field}`]?.join(', ') ?? '',
        ]),
      ),
    ),
    '',
    '## 5. Types without personal data',
    '',
    table(
      ['type', 'readable by'],
      Object.entries(NON_PERSONAL_TYPES).map(([type, roles]) => [
        type,
        roles.length === ROLES.length ? 'every role' : roles.join(', '),
      ]),
    ),
    '',
    '## 6. Operations',
    '',
    table(
      ['operation', 'roles'],
      Object.entries(OPERATIONS).flatMap(([root, fields]) =>
        Object.entries(fields).map(([field, roles]) => [`${root}.${field}`, roles.join(', ')]),
      ),
    ),
    '',
    '## 7. Who may change what: every mutation, the record it acts on, and the grants that allow it',
    '',
    "Decided by the kit's command path inside the writing transaction, on the ledger row it locks. A target the caller may",
    'not read answers NOT_FOUND, exactly like a missing one; a readable target without the relation is FORBIDDEN; an unmet',
    'state is CONFLICT.',
    '',
    table(
      ['mutation (or file upload)', 'acts on', 'allowed to', 'why'],
      Object.entries(ACTIONS).map(([name, action]) => [
        UPLOAD_ACTIONS.has(name) ? `${name} (${UPLOAD_ACTIONS.get(name)}, each row)` : name,
        `${action.target}${action.visibility === 'relation' ? ' (relation alone, whatever the consent)' : ''}`,
        action.grants.map(grant).join('<br>'),
        action.why,
      ]),
    ),
    '',
    '### States an action requires',
    '',
    table(
      ['state', 'refused with'],
      Object.entries(PRECONDITIONS).map(([state, message]) => [state, message]),
    ),
    '',
    '### The staff directory: who holds each function, maintained by whom',
    '',
    table(
      ['function', 'role', 'organisation', 'maintained by'],
      Object.entries(STAFF_FUNCTIONS).map(([name, f]) => [name, f.role, f.organisationKind, f.maintainedBy]),
    ),
    '',
    '### Files served beside the graph, and records only their filer reads',
    '',
    table(
      ['file', 'record', 'who may fetch it', 'record state', 'why'],
      Object.entries(DOWNLOADS).map(([name, rule]) => [
        name,
        rule.target,
        `${rule.roles.join(', ')}${rule.filerOnly ? ' (its filer only)' : ''}`,
        rule.status.join(', '),
        rule.why,
      ]),
    ),
    '',
    table(
      ['record', 'roles that read only the ones they filed'],
      Object.entries(FILER_RECORDS).map(([type, roles]) => [type, roles.join(', ')]),
    ),
    '',
    '## 8. Free text: shown under the category of its content',
    '',
    table(
      ['field', 'category held in'],
      Object.entries(CONTENT_CATEGORY_OF).map(([field, property]) => [field, `\`${property}\` of each record`]),
    ),
    '',
    '### Free text written for a reader: a category its addressee may never read is refused',
    '',
    'The writer declares the category of what they write; a category one of the roles the text is addressed to may never read',
    '(section 1, and for a role reading under consent what a consent can grant its recipient, section 3) is refused as bad input',
    'naming the category argument, and nothing is written. A mutation that takes a category without an entry here does not start.',
    '',
    table(
      ['mutation', 'category argument', 'addressed to', 'categories they may all read', 'why'],
      Object.entries(ACTIONS).flatMap(([name, action]) => {
        const rule = action.freeText;
        if (!rule) return [];
        const rows: [string, readonly (typeof ROLES)[number][]][] = Array.isArray(rule.addressees)
          ? [[name, rule.addressees]]
          : Object.entries(rule.addressees as Record<string, readonly (typeof ROLES)[number][]>).map(
              ([variant, roles]) => [`${name} (${variant})`, roles],
            );
        return rows.map(([label, roles]) => [
          label,
          `\`${rule.category}\``,
          roles.join(', '),
          FREE_TEXT_CATEGORIES.filter((category) => roles.every((role) => mayEverRead(role, category))).join(', '),
          rule.why,
        ]);
      }),
    ),
    '',
    '## 9. The access ledger: facts every decision reads, and who writes each',
    '',
    table(
      ['fact', 'written by', 'meaning'],
      Object.entries(LEDGER_FACTS).map(([fact, { owner, meaning }]) => [fact, owner, meaning]),
    ),
    '',
    '## 10. When the information-sharing consent is withdrawn, and the notices that still reach their addressee',
    '',
    `${ON_CONSENT_WITHDRAWN.why}. Recorded by ${ON_CONSENT_WITHDRAWN.producedBy} with the event \`${ON_CONSENT_WITHDRAWN.event}\` in the same`,
    `transaction (the outbox), applied once by ${ON_CONSENT_WITHDRAWN.appliedBy.join(', ')}.`,
    '',
    table(
      ['consequence', 'as the policy says'],
      [
        [
          'the open pathway',
          `ends on the day of the withdrawal, reason ${ON_CONSENT_WITHDRAWN.pathway.endsWithReason}`,
        ],
        [
          'the physician of record',
          `receives a ${ON_CONSENT_WITHDRAWN.informs.messageKind} notice saying ${ON_CONSENT_WITHDRAWN.informs.says.join(', ')} — nothing else`,
        ],
        [
          'still allowed',
          ON_CONSENT_WITHDRAWN.stillAllowed.map((a) => `${a.role} holding \`${a.relation}\`: ${a.action}`).join('<br>'),
        ],
        ['aggregates', ON_CONSENT_WITHDRAWN.aggregates],
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- the document prints whatever the policy says
        ['revivable', ON_CONSENT_WITHDRAWN.revivable ? 'yes' : 'no: consent given again reopens nothing'],
      ],
    ),
    '',
    table(
      ['notice', 'marked by', 'read by, whatever the consent', 'fields', 'why'],
      Object.entries(NOTICES).map(([type, rule]) => [
        type,
        `\`${rule.flag}\``,
        `${rule.addressee.role} holding \`${rule.addressee.relation}\``,
        rule.fields.join(', '),
        rule.why,
      ]),
    ),
    '',
    '## 11. Disclosure control of aggregates',
    '',
    `${DISCLOSURE_CONTROL.why}. Applied by \`subgraphs/kit/disclosure.ts\` to ${DISCLOSURE_CONTROL.appliesTo}.`,
    '',
    `Method in force: **${DISCLOSURE_CONTROL.method}** (${DISCLOSURE_CONTROL.method === 'CELL_KEY' ? "every count published with the cell key method's noise; the suppression rules below apply when the policy names GREEDY_SUPPRESSION" : 'small counts and their complements withheld, as below'}).`,
    '',
    table(
      ['rule', 'as the policy says'],
      [
        ['primary', `a count 0 < n < ${DISCLOSURE_CONTROL.threshold} is suppressed`],
        ['zeros', DISCLOSURE_CONTROL.zeros],
        ['complementary', DISCLOSURE_CONTROL.complementary],
        ['dimensions', DISCLOSURE_CONTROL.dimensions],
      ],
    ),
    '',
    ...cellKeySection(),
    '### One disclosure system per reader',
    '',
    'Every count of people a role can obtain reaches it exactly, or every one suppressed as a part of the one suppressed system:',
    'never some of each, since an exact count is an equation that can undo a suppression. A start-up check refuses a query',
    'that answers counts of people to a suppressed reader outside that system, and a query not classified below.',
    '',
    table(
      ['role', 'counts of people', 'why'],
      ROLES.map((role) => [role, COUNT_READERS[role].system, COUNT_READERS[role].why]),
    ),
    '',
    table(
      ['part of the suppressed system', 'what it publishes'],
      Object.entries(SUPPRESSED_SYSTEM).map(([part, what]) => [`\`${part}\``, what]),
    ),
    '',
    table(
      ['query', 'counts', 'exact readers', 'suppressed readers get it as'],
      Object.entries(COUNT_ANSWERS)
        .filter(([, answer]) => answer.counts !== 'none')
        .map(([field, answer]) => {
          const roles = OPERATIONS.Query[field] ?? [];
          const suppressed = roles.filter((role) => COUNT_READERS[role].system === 'suppressed');
          const as =
            answer.counts === 'people' && answer.suppressedAs
              ? `\`${answer.suppressedAs}\``
              : 'never (exact readers only)';
          return [
            field,
            `${answer.counts}${answer.why ? `: ${answer.why}` : ''}`,
            roles.filter((role) => COUNT_READERS[role].system === 'exact').join(', '),
            suppressed.length ? `${suppressed.join(', ')}: ${as}` : as,
          ];
        }),
    ),
    '',
    `Queries that answer no count of people: ${Object.entries(COUNT_ANSWERS)
      .filter(([, answer]) => answer.counts === 'none')
      .map(([field]) => field)
      .join(', ')}.`,
    '',
  ].join('\n');
}

/** The cell key method's part of section 11: what it does, its parameters and the ptable they build. */
function cellKeySection(): string[] {
  const { maxNoise, variance, smallCounts } = DISCLOSURE_CONTROL.cellKey;
  const ptable = buildPtable(DISCLOSURE_CONTROL.cellKey);
  const noises = Array.from({ length: 2 * maxNoise + 1 }, (_, i) => i - maxNoise);
  const percent = (p: number | undefined) => (p === undefined ? '' : p < 0.0005 ? '<0.1' : (p * 100).toFixed(1));
  return [
    '### The cell key method',
    '',
    table(
      ['', 'as the policy says'],
      [
        ['the noise', DISCLOSURE_CONTROL.cellKeyMethod.noise],
        ['the same noise for the same people', DISCLOSURE_CONTROL.cellKeyMethod.key],
        ['what an integrator sees', DISCLOSURE_CONTROL.cellKeyMethod.reader],
        ['why differencing gains nothing', DISCLOSURE_CONTROL.cellKeyMethod.differencing],
        ['readers of exact counts', DISCLOSURE_CONTROL.cellKeyMethod.exactReaders],
        ['why this method', DISCLOSURE_CONTROL.cellKeyMethod.choice],
      ],
    ),
    '',
    table(
      ['parameter', 'value', 'meaning'],
      [
        ['D (maximum noise)', String(maxNoise), 'no published count differs from the true one by more than this'],
        ['V (variance)', String(variance), "the noise's variance wherever the count allows it (unbiased always)"],
        ['js', String(smallCounts), `a count of 1..${smallCounts} is never published as 1..${smallCounts}`],
      ],
    ),
    '',
    `The ptable these parameters build (\`subgraphs/kit/cell-key.ts\`: for each true count, the distribution of maximum entropy with mean 0 and variance V under those constraints): the chance, in %, of each noise. The last row applies to every larger count.`,
    '',
    table(
      ['true count', ...noises.map((v) => (v > 0 ? `+${v}` : String(v))), 'variance'],
      ptable.rows.map((row) => [
        row.count === ptable.rows.length - 1 ? `${row.count} and more` : String(row.count),
        ...noises.map((v) => percent(row.entries.find((e) => e.noise === v)?.probability)),
        row.variance.toFixed(2),
      ]),
    ),
    '',
  ];
}

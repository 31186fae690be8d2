/** The catalogue is complete: every language has every key, every GraphQL enum value has a label in each. */
import { readFileSync } from 'node:fs';
import { buildSchema, isEnumType } from 'graphql';
import {
  actCopyText,
  pathwayEndedText,
  physicianMessageText,
  timelineSentence,
  workAuthorisationText,
} from '../../subgraphs/pathways/services/localised-text.js';
import { CATALOGUES, LANGUAGES, negotiateLanguage, sentence, translate } from './index.js';

const supergraph = buildSchema(readFileSync(new URL('../supergraph.graphql', import.meta.url), 'utf8'), {
  assumeValidSDL: true,
});
/** The graph's own enums (not federation's plumbing). */
const GRAPH_ENUMS = Object.values(supergraph.getTypeMap())
  .filter(isEnumType)
  .filter((type) => !type.name.startsWith('__') && !type.name.startsWith('join__') && !type.name.startsWith('link__'));

const keysOf = (value: unknown, prefix = ''): string[] =>
  typeof value === 'string'
    ? [prefix]
    : Object.entries(value as object).flatMap(([key, inner]) => keysOf(inner, prefix ? `${prefix}/${key}` : key));
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();

describe('the catalogue', () => {
  it.each(LANGUAGES)('%s has exactly the keys of the English catalogue', (language) => {
    expect(keysOf(CATALOGUES[language]).sort()).toEqual(keysOf(CATALOGUES.en).sort());
  });

  it.each(LANGUAGES)(
    '%s has a label for every value of every enum of the supergraph, and none for an enum the graph lacks',
    (language) => {
      const enums = CATALOGUES[language].enums as Record<string, Record<string, string>>;
      for (const type of GRAPH_ENUMS) {
        expect([type.name, Object.keys(enums[type.name] ?? {}).sort()]).toEqual([
          type.name,
          type
            .getValues()
            .map((value) => value.name)
            .sort(),
        ]);
        for (const label of Object.values(enums[type.name]!)) expect(label.trim()).not.toBe('');
      }
      expect(Object.keys(enums).sort()).toEqual(GRAPH_ENUMS.map((type) => type.name).sort());
    },
  );

  it.each(LANGUAGES)('%s uses the same parameters as English in every message', (language) => {
    for (const [id, english] of Object.entries(CATALOGUES.en.messages)) {
      expect([id, placeholders((CATALOGUES[language].messages as Record<string, string>)[id]!)]).toEqual([
        id,
        placeholders(english),
      ]);
    }
  });

  it('keeps the French and Dutch words of DOMAIN.md', () => {
    expect(CATALOGUES.fr.enums.StaffFunction.ADVISING_PHYSICIAN).toBe('Médecin conseil');
    expect(CATALOGUES.nl.enums.StaffFunction.ADVISING_PHYSICIAN).toBe('Adviserend arts');
    expect(CATALOGUES.fr.nouns.Pathway).toBe('Trajet');
    expect(CATALOGUES.nl.nouns.Pathway).toBe('Traject');
    expect(CATALOGUES.fr.enums.ConsentRecipient.HEALTH_INSURER).toContain('mutualité');
    expect(CATALOGUES.nl.enums.ConsentRecipient.HEALTH_INSURER).toContain('ziekenfonds');
    expect(CATALOGUES.fr.enums.TrialArm.CONTROL).toBe('Groupe témoin');
  });
});

describe('negotiateLanguage', () => {
  it.each([
    [undefined, 'en'],
    ['', 'en'],
    ['fr-BE', 'fr'],
    ['fr-BE,fr;q=0.9,en;q=0.8', 'fr'],
    ['nl-BE,nl;q=0.9,en;q=0.8', 'nl'],
    ['en;q=0.5, nl;q=0.8', 'nl'],
    ['de-DE', 'en'],
    ['*', 'en'],
  ])('%s → %s', (header, language) => {
    expect(negotiateLanguage(header)).toBe(language);
  });
});

describe('sentences', () => {
  it('tells an event without its detail with no empty brackets', () => {
    expect(sentence('fr', 'timeline.MEETING_HELD', null)).toBe('Entretien individuel tenu.');
    expect(timelineSentence('nl', 'RP1_FILED', null)).toBe(
      'RP1 ingediend (aanvraag tot tenlasteneming van een beroepsoriëntering).',
    );
    expect(timelineSentence('fr', 'PATHWAY_ENDED', 'EMPLOYMENT_SUSTAINED')).toBe('Fin du trajet (Emploi durable).');
    expect(timelineSentence('en', 'SOMETHING_NEW', 'x')).toBe('SOMETHING_NEW: x');
  });

  it("tells the physician's copy of an act in each language: RP1_FILED on 2026-11-17 (IPS-000248)", () => {
    const params = { act: 'RP1_FILED', on: '2026-11-17', registryNumber: 'IPS-000248', detail: '' };
    expect(actCopyText('fr', params)).toBe('RP1 introduit le 17 novembre 2026 (trajet IPS-000248)');
    expect(actCopyText('nl', params)).toBe('RP1 ingediend op 17 november 2026 (traject IPS-000248)');
    expect(actCopyText('en', params)).toBe('RP1 filed on 17 November 2026 (pathway IPS-000248)');
    expect(actCopyText('fr', { ...params, detail: 'Orientation vers la logistique' })).toBe(
      'RP1 introduit le 17 novembre 2026 (trajet IPS-000248) : Orientation vers la logistique',
    );
  });

  it("tells the physician's notices the platform writes in each language: the end of a pathway, a work authorisation request", () => {
    const ended = { registryNumber: 'IPS-000248', on: '2026-11-17', reason: 'CONSENT_WITHDRAWN', note: '' };
    expect(pathwayEndedText('fr', ended)).toBe(
      "Fin du trajet IPS-000248 le 17 novembre 2026 (Consentement au partage d'informations retiré).",
    );
    expect(pathwayEndedText('nl', ended)).toBe(
      'Het traject IPS-000248 eindigde op 17 november 2026 (Toestemming voor gegevensdeling ingetrokken).',
    );
    expect(pathwayEndedText('en', { ...ended, reason: 'EMPLOYMENT_SUSTAINED', note: 'Stable contract.' })).toBe(
      'Pathway IPS-000248 ended on 17 November 2026 (Employment sustained). Stable contract.',
    );
    const request = {
      reason: 'FIRST_CONTRACT',
      jobFunction: 'magasinier',
      employer: 'Colruyt',
      startsOn: '2026-12-01',
      weeklyHours: '19.5',
      contractType: 'FIXED_TERM',
    };
    expect(workAuthorisationText('fr', request)).toMatch(
      /^Demande d’autorisation de travail \(art\. 100, § 2, .+\) : magasinier chez Colruyt, à partir du 1er décembre 2026, 19,5 h par semaine \(.+\)\.$/,
    );
    expect(workAuthorisationText('nl', request)).toMatch(
      /^Aanvraag tot toelating tot werken \(art\. 100, § 2, .+\): magasinier bij Colruyt, vanaf 1 december 2026, 19,5 u per week \(.+\)\.$/,
    );
    expect(physicianMessageText('nl', 'physicianMessage.pathwayEnded', ended)).toBe(pathwayEndedText('nl', ended));
    expect(physicianMessageText('fr', null, null)).toBeUndefined(); // a person's own text: told as written
  });

  it('leaves an unknown parameter visible rather than silently empty', () => {
    expect(translate('en', 'error.notFound', {})).toBe('{what} not found');
  });
});

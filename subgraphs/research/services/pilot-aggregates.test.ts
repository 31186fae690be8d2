import { COUNT_ANSWERS, OPERATIONS, readsExactCounts } from '../../../schema/policy.js';
import { LANGUAGES } from '../../../schema/i18n/index.js';
import { Region } from '../../kit/domain.js';
import { TOTAL } from '../../kit/disclosure.js';
import { CATEGORICAL_MEMBERS, memberLabel, outsideCatchment } from './pilot-aggregates.service.js';

describe("the published tables' dimensions speak French, Dutch and English", () => {
  it.each(LANGUAGES)('%s: every member of every categorical dimension has its own label', (language) => {
    for (const [dimension, members] of Object.entries(CATEGORICAL_MEMBERS)) {
      const labels = members.map((member) => memberLabel(language, dimension, member));
      for (const label of labels) expect(label.trim()).not.toBe('');
      expect(new Set(labels).size).toBe(labels.length); // no two members read alike
    }
  });

  it('partners keep their convention code, regions and totals are translated, quarters stand for themselves', () => {
    expect(memberLabel('fr', 'partner', 'ISPPC')).toBe('ISPPC');
    expect(memberLabel('nl', 'partner', Region.WALLONIA)).toBe('Wallonië');
    expect(memberLabel('fr', 'partner', outsideCatchment(Region.WALLONIA))).toBe(
      'Hors de toute zone desservie (Wallonie)',
    );
    expect(memberLabel('nl', 'quarter', TOTAL)).toBe('Totaal');
    expect(memberLabel('en', 'quarter', '2026-Q4')).toBe('2026-Q4');
    expect(() => memberLabel('en', 'stage', 'NOT_A_STAGE')).toThrow(/no en label/);
  });
});

describe('integrators read counts of people only through the disclosure rule', () => {
  it('opens to an integrator no exact count such as registryCounts or allocationBalance: each of its count-bearing queries is a part of the suppressed system', () => {
    expect(readsExactCounts('INTEGRATOR')).toBe(false);
    const open = Object.entries(OPERATIONS.Query)
      .filter(([, roles]) => roles.includes('INTEGRATOR'))
      .map(([name]) => name);
    for (const name of open) {
      const answer = COUNT_ANSWERS[name]!;
      expect({
        name,
        exact: answer.counts === 'records' || (answer.counts === 'people' && answer.suppressedAs === null),
      }).toEqual({ name, exact: false });
    }
    expect(open).toEqual(
      expect.arrayContaining(['pilotAggregates', 'consortFlow', 'consortDiagram', 'coachCaseloads']),
    );
  });
});

import { checkNissDigits, uploadDecision } from './upload.js';

describe('uploadDecision: who may send outcome rows about whom, from ACTIONS, as one SQL condition', () => {
  it("gives the health insurer its own members only, while their consent names it, and randomised people's rows only", () => {
    const decision = uploadDecision('uploadBenefitStatements', {
      role: 'OA',
      organisation: 'OA-300',
      subject: 'oa-1',
    })!;
    expect(decision.circle).toContain("l.health_insurer = 'OA-300'");
    expect(decision.circle).toContain("'HEALTH_INSURER/administrative' = any(l.consent_grants)");
    // In the trial's follow-up in the row's month: randomised, research consent, up to month 30 (kit/access/ledger.ts followUpCondition).
    expect(decision.eligible('s.month')).toContain('l.randomised_on is not null and l.research_consent is true');
    expect(decision.eligible('s.month')).toContain(
      "s.month <= (date_trunc('month', l.randomised_on) + interval '31 months' - interval '1 day')::date",
    );
  });

  it('writes what the caller says as literals, never as SQL', () => {
    const decision = uploadDecision('uploadBenefitStatements', {
      role: 'OA',
      organisation: "OA-300' or true --",
      subject: 'oa-1',
    })!;
    expect(decision.circle).toContain("l.health_insurer = 'OA-300'' or true --'");
  });

  it("gives INAMI its registry (everyone), and no one else's role a grant", () => {
    expect(
      uploadDecision('uploadEmploymentDeclarations', { role: 'INAMI', organisation: 'INAMI', subject: 'agent' })!
        .circle,
    ).not.toContain('false');
    expect(
      uploadDecision('uploadEmploymentDeclarations', { role: 'INAMI', organisation: 'OA-100', subject: 'agent' })!
        .circle,
    ).toContain('false'); // registry is INAMI's own
    expect(
      uploadDecision('uploadEmploymentDeclarations', { role: 'OA', organisation: 'OA-300', subject: 'oa-1' }),
    ).toBeUndefined();
    expect(
      uploadDecision('uploadBenefitStatements', { role: 'RESEARCHER', organisation: 'ULB', subject: 'r' }),
    ).toBeUndefined();
  });

  it('refuses an action that is not in ACTIONS', () => {
    expect(() =>
      uploadDecision('uploadSomethingElse', { role: 'OA', organisation: 'OA-300', subject: 'oa-1' }),
    ).toThrow(/ACTIONS/);
  });
});

describe('checkNissDigits', () => {
  it('accepts the written forms of a valid NISS of either century and refuses bad check digits', () => {
    expect(checkNissDigits('85.07.30-033.28')).toEqual({ niss: '85073003328' });
    expect(checkNissDigits('17073003384')).toEqual({ niss: '17073003384' });
    expect(checkNissDigits('85073003329')).toEqual({ localised: { id: 'niss.checkDigits' } });
    expect(checkNissDigits('8507300332')).toEqual({ localised: { id: 'niss.digits' } });
  });
});

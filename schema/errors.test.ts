/**
 * No service can raise an error in English only: the error constructors take a
 * catalogue message (schema/i18n), never free text — held by the typecheck (the @ts-expect-error lines
 * below fail `npm run typecheck` the day a constructor accepts a string again) and by a scan of the source.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  ConflictError,
  errorText,
  ForbiddenError,
  InvalidInputError,
  localiseError,
  UnauthenticatedError,
} from './errors.js';
import { CATALOGUES, LANGUAGES } from './i18n/index.js';
import { ACTIONS, PRECONDITIONS, preconditionMessageId, type Precondition } from './policy.js';

const ROOT = new URL('..', import.meta.url).pathname;

describe('errors name a catalogue message, never an English sentence', () => {
  it('refuses free text at the type level', () => {
    // Never called: `npm run typecheck` fails the day any of these lines compiles.
    const typeLevelOnly = () => [
      // @ts-expect-error a bare English string is not a catalogue message
      new ConflictError('The pathway has ended'),
      // @ts-expect-error a bare English string is not a catalogue message
      new InvalidInputError('input.actOn', 'is in the future'),
      // @ts-expect-error an id the catalogue lacks
      new ForbiddenError({ id: 'forbidden.somethingNew' }),
      // @ts-expect-error a bare English string is not a catalogue message
      new UnauthenticatedError('Token expired'),
    ];
    expect(typeof typeLevelOnly).toBe('function');
    expect(new ForbiddenError().extensions).toMatchObject({ code: 'FORBIDDEN', messageId: 'error.forbidden' });
  });

  /** Every .ts file of the running code (not tests). */
  const sources = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : sources(path);
      return path.endsWith('.ts') && !path.endsWith('.test.ts') ? [path] : [];
    });

  it('finds no error constructed with a string literal in the source (subgraphs, gateway, schema)', () => {
    const bare =
      /new (ConflictError|ForbiddenError|UnauthenticatedError)\(\s*['"`]|new InvalidInputError\(\s*(?:'[^']*'|`[^`]*`|[\w.]+)\s*,\s*['"`]/;
    const offenders = ['subgraphs', 'gateway', 'schema', 'runtime', 'platform']
      .flatMap((dir) => sources(join(ROOT, dir)))
      .filter((path) => bare.test(readFileSync(path, 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('has no catalogue message that only passes a parameter through (an English detail inside a localised frame)', () => {
    const passThrough = Object.entries(CATALOGUES.en.messages).filter(
      ([id, text]) => !id.startsWith('timeline.') && text.replace(/\{\w+\}/g, '').replace(/[\s:.()]/g, '') === '',
    );
    expect(passThrough).toEqual([]);
  });

  it('tells every precondition of the policy: English as PRECONDITIONS says, French and Dutch their own', () => {
    for (const [name, sentence] of Object.entries(PRECONDITIONS)) {
      const id = preconditionMessageId(name as Precondition);
      expect([name, CATALOGUES.en.messages[id]]).toEqual([name, sentence]);
      for (const language of LANGUAGES.filter((l) => l !== 'en'))
        expect([language, name, CATALOGUES[language].messages[id]]).not.toEqual([language, name, sentence]);
    }
    for (const rule of Object.values(ACTIONS))
      if (rule.deniedAsConflict) expect(CATALOGUES.fr.messages[rule.deniedAsConflict]).toContain('médecin conseil');
  });
});

describe('an error as each language tells it', () => {
  it('names the list entry before a conflict and capitalises one that stands alone', () => {
    const entry = new ConflictError({ id: preconditionMessageId('pathwayOpen') }, 'input.pathwayIds.1');
    expect(entry.message).toBe('input.pathwayIds.1: the pathway has ended');
    expect(entry.extensions).toMatchObject({
      code: 'CONFLICT',
      field: 'input.pathwayIds.1',
      messageId: 'precondition.pathwayOpen',
    });
    expect(new ConflictError({ id: preconditionMessageId('pathwayOpen') }).message).toBe('The pathway has ended');
    const formatted = { message: entry.message, extensions: entry.extensions };
    expect(localiseError(formatted, 'fr')).toEqual({
      message: 'input.pathwayIds.1 : le trajet est terminé',
      extensions: { code: 'CONFLICT', field: 'input.pathwayIds.1', messageId: 'precondition.pathwayOpen' },
    });
    expect(localiseError(formatted, 'nl').message).toBe('input.pathwayIds.1: het traject is beëindigd');
    const region = new InvalidInputError('input.person.postcode', {
      id: 'referral.postcodeOtherRegion',
      params: { postcodeRegion: 'FLANDERS', region: 'WALLONIA' },
    });
    expect(localiseError({ message: region.message, extensions: region.extensions }, 'nl').message).toBe(
      'input.person.postcode: ligt in Vlaanderen, niet in Wallonië',
    );
    expect(errorText('fr', 'conflict.noPhysicianToInform')).toBe(
      'Aucun médecin conseil ne suit le dossier de la personne : impossible de l’informer (R16)',
    );
  });

  it('keeps the field and tells a date before registration in French, Dutch and English', () => {
    const error = new InvalidInputError('input.actOn', {
      id: 'date.beforeRegistration',
      params: { registeredOn: '2026-03-02' },
    });
    expect(error.message).toBe('input.actOn: is before the pathway was registered (2 March 2026)'); // the subgraph's own text tells the day as the gateway does
    const formatted = { message: error.message, extensions: error.extensions };
    expect(localiseError(formatted, 'fr').message).toBe(
      'input.actOn : est antérieur à l’enregistrement du trajet (2 mars 2026)',
    );
    expect(localiseError(formatted, 'nl').message).toBe(
      'input.actOn: ligt vóór de registratie van het traject (2 maart 2026)',
    );
    expect(localiseError(formatted, 'en').message).toBe(
      'input.actOn: is before the pathway was registered (2 March 2026)',
    );
    expect(localiseError(formatted, 'nl').extensions).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'input.actOn',
      messageId: 'date.beforeRegistration',
    });
  });
});

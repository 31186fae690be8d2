/**
 * The questionnaire page's own texts (R12), in the three languages of the platform. The
 * instrument's wording comes from the graph (`questionnaireInstrument`, in the Accept-Language asked)
 * and so do its refusals; this catalogue holds only the page's frame. French and Dutch are typed
 * by the English one: a missing or misspelt key fails `tsc -p web/tsconfig.json`.
 */
export const LANGUAGES = ['fr', 'nl', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Each language's name in itself, for the switch (never translated). */
export const LANGUAGE_NAMES: Record<Language, string> = { fr: 'Français', nl: 'Nederlands', en: 'English' };
/** The locale dates and times are written in. */
export const LOCALES: Record<Language, string> = { fr: 'fr-BE', nl: 'nl-BE', en: 'en-GB' };

const en = {
  documentTitle: 'IPS study — your questionnaire',
  heading: 'Your study questionnaire',
  skipLink: 'Skip to the questionnaire',
  languageNav: 'Language',
  signOut: 'Sign out',
  signedOut: 'You are signed out. Nothing of your questionnaire stays on this page.',
  loading: 'Loading…',
  signInHeading: 'Sign in',
  signInIntro: 'Paste the access token you received for the study questionnaire.',
  tokenLabel: 'Access token',
  signIn: 'Sign in',
  tokenMissing: 'Paste your access token first.',
  tokenRejected: 'This access token was not accepted (it may have expired). Check it, or ask for a new one.',
  noRecord: 'No participant of the study goes with this access token.',
  notAllocated: 'Your questionnaires start when you join the study: there is nothing to fill in yet.',
  waveName: (wave: number): string => (wave === 0 ? 'start of the study' : `${wave * 6} months`),
  waveHeading: (name: string): string => `Questionnaire: ${name}`,
  dueIntro: (due: string, closes: string): string =>
    `This questionnaire is due on ${due}. You can fill it in until ${closes}.`,
  openWave: 'Start the questionnaire',
  opening: 'Opening the questionnaire…',
  openedAtPartner: 'This questionnaire was opened at your IPS partner’s computer. You answer it yourself.',
  privacy:
    'Your answers are yours alone: your job coach and the partner’s staff never see them; the study’s researchers read them without your name. Your job coach only sees whether the questionnaire is completed.',
  sharedComputer: 'On a shared computer, sign out when you are done.',
  requiredNote: 'Questions marked “required” need an answer before you can finish. Your answers are saved as you go.',
  required: 'required',
  yes: 'Yes',
  no: 'No',
  numberHint: (min: string, max: string): string => `A whole number from ${min} to ${max}.`,
  notWholeNumber: 'Write a whole number (digits only).',
  saving: 'Saving…',
  saved: (time: string): string => `Answers saved (${time}).`,
  notSaved: 'An answer was not saved: see the message next to the question.',
  offline: 'Not saved yet: the connection failed. Trying again…',
  complete: 'Finish the questionnaire',
  completing: 'Finishing…',
  missingItem: 'This question needs an answer.',
  missingSummary: (count: number): string =>
    count === 1 ? 'One question still needs an answer:' : `${count} questions still need an answer:`,
  fixSummary: 'Correct the answer marked below before you finish.',
  completedHeading: 'Thank you!',
  completedOn: (date: string): string => `You completed this questionnaire on ${date}.`,
  nextDue: (due: string, opens: string): string =>
    `The next questionnaire is due on ${due}. You can fill it in from ${opens}.`,
  noMoreWaves: 'There is no other questionnaire to fill in.',
  missedLast: 'The time to fill in the last questionnaire has passed.',
  failed: (message: string): string => `Something went wrong: ${message}`,
};

export type Catalogue = { readonly [K in keyof typeof en]: (typeof en)[K] };

const fr: Catalogue = {
  documentTitle: 'Étude IPS — votre questionnaire',
  heading: 'Votre questionnaire de l’étude',
  skipLink: 'Aller au questionnaire',
  languageNav: 'Langue',
  signOut: 'Se déconnecter',
  signedOut: 'Vous êtes déconnecté·e. Rien de votre questionnaire ne reste sur cette page.',
  loading: 'Chargement…',
  signInHeading: 'Se connecter',
  signInIntro: 'Collez le code d’accès reçu pour le questionnaire de l’étude.',
  tokenLabel: 'Code d’accès',
  signIn: 'Se connecter',
  tokenMissing: 'Collez d’abord votre code d’accès.',
  tokenRejected: 'Ce code d’accès n’a pas été accepté (il a peut-être expiré). Vérifiez-le, ou demandez-en un nouveau.',
  noRecord: 'Aucun·e participant·e de l’étude ne correspond à ce code d’accès.',
  notAllocated: 'Vos questionnaires commencent quand vous entrez dans l’étude : il n’y a encore rien à remplir.',
  waveName: (wave) => (wave === 0 ? 'début de l’étude' : `${wave * 6} mois`),
  waveHeading: (name) => `Questionnaire : ${name}`,
  dueIntro: (due, closes) => `Ce questionnaire est prévu pour le ${due}. Vous pouvez le remplir jusqu’au ${closes}.`,
  openWave: 'Commencer le questionnaire',
  opening: 'Ouverture du questionnaire…',
  openedAtPartner: 'Ce questionnaire a été ouvert sur l’ordinateur de votre partenaire IPS. Vous y répondez vous-même.',
  privacy:
    'Vos réponses sont à vous seul·e : votre job coach et le personnel du partenaire ne les voient jamais ; les chercheurs de l’étude les lisent sans votre nom. Votre job coach voit seulement si le questionnaire est complété.',
  sharedComputer: 'Sur un ordinateur partagé, déconnectez-vous quand vous avez fini.',
  requiredNote:
    'Les questions marquées « obligatoire » demandent une réponse avant de terminer. Vos réponses sont enregistrées au fur et à mesure.',
  required: 'obligatoire',
  yes: 'Oui',
  no: 'Non',
  numberHint: (min, max) => `Un nombre entier de ${min} à ${max}.`,
  notWholeNumber: 'Écrivez un nombre entier (des chiffres seulement).',
  saving: 'Enregistrement…',
  saved: (time) => `Réponses enregistrées (${time}).`,
  notSaved: 'Une réponse n’a pas été enregistrée : voyez le message à côté de la question.',
  offline: 'Pas encore enregistré : la connexion a échoué. Nouvel essai…',
  complete: 'Terminer le questionnaire',
  completing: 'En cours…',
  missingItem: 'Cette question demande une réponse.',
  missingSummary: (count) =>
    count === 1 ? 'Une question demande encore une réponse :' : `${count} questions demandent encore une réponse :`,
  fixSummary: 'Corrigez la réponse signalée ci-dessous avant de terminer.',
  completedHeading: 'Merci !',
  completedOn: (date) => `Vous avez complété ce questionnaire le ${date}.`,
  nextDue: (due, opens) =>
    `Le prochain questionnaire est prévu pour le ${due}. Vous pourrez le remplir à partir du ${opens}.`,
  noMoreWaves: 'Il n’y a plus d’autre questionnaire à remplir.',
  missedLast: 'Le délai pour remplir le dernier questionnaire est passé.',
  failed: (message) => `Un problème est survenu : ${message}`,
};

const nl: Catalogue = {
  documentTitle: 'IPS-studie — uw vragenlijst',
  heading: 'Uw vragenlijst van de studie',
  skipLink: 'Naar de vragenlijst',
  languageNav: 'Taal',
  signOut: 'Afmelden',
  signedOut: 'U bent afgemeld. Niets van uw vragenlijst blijft op deze pagina.',
  loading: 'Laden…',
  signInHeading: 'Aanmelden',
  signInIntro: 'Plak de toegangscode die u voor de vragenlijst van de studie kreeg.',
  tokenLabel: 'Toegangscode',
  signIn: 'Aanmelden',
  tokenMissing: 'Plak eerst uw toegangscode.',
  tokenRejected: 'Deze toegangscode werd niet aanvaard (misschien is ze verlopen). Controleer ze, of vraag een nieuwe.',
  noRecord: 'Bij deze toegangscode hoort geen deelnemer van de studie.',
  notAllocated: 'Uw vragenlijsten beginnen wanneer u in de studie stapt: er is nog niets in te vullen.',
  waveName: (wave) => (wave === 0 ? 'begin van de studie' : `${wave * 6} maanden`),
  waveHeading: (name) => `Vragenlijst: ${name}`,
  dueIntro: (due, closes) => `Deze vragenlijst is gepland op ${due}. U kunt ze invullen tot ${closes}.`,
  openWave: 'De vragenlijst beginnen',
  opening: 'De vragenlijst wordt geopend…',
  openedAtPartner: 'Deze vragenlijst werd geopend op de computer van uw IPS-partner. U beantwoordt ze zelf.',
  privacy:
    'Uw antwoorden zijn van u alleen: uw jobcoach en het personeel van de partner zien ze nooit; de onderzoekers van de studie lezen ze zonder uw naam. Uw jobcoach ziet alleen of de vragenlijst ingevuld is.',
  sharedComputer: 'Op een gedeelde computer meldt u zich af wanneer u klaar bent.',
  requiredNote:
    'Vragen gemarkeerd met „verplicht” hebben een antwoord nodig voor u kunt afronden. Uw antwoorden worden gaandeweg bewaard.',
  required: 'verplicht',
  yes: 'Ja',
  no: 'Nee',
  numberHint: (min, max) => `Een geheel getal van ${min} tot ${max}.`,
  notWholeNumber: 'Schrijf een geheel getal (alleen cijfers).',
  saving: 'Bewaren…',
  saved: (time) => `Antwoorden bewaard (${time}).`,
  notSaved: 'Een antwoord werd niet bewaard: zie de melding bij de vraag.',
  offline: 'Nog niet bewaard: de verbinding mislukte. Nieuwe poging…',
  complete: 'De vragenlijst afronden',
  completing: 'Bezig…',
  missingItem: 'Deze vraag heeft een antwoord nodig.',
  missingSummary: (count) =>
    count === 1 ? 'Eén vraag heeft nog een antwoord nodig:' : `${count} vragen hebben nog een antwoord nodig:`,
  fixSummary: 'Verbeter het gemarkeerde antwoord hieronder voor u afrondt.',
  completedHeading: 'Dank u!',
  completedOn: (date) => `U hebt deze vragenlijst ingevuld op ${date}.`,
  nextDue: (due, opens) => `De volgende vragenlijst is gepland op ${due}. U kunt ze invullen vanaf ${opens}.`,
  noMoreWaves: 'Er is geen andere vragenlijst meer in te vullen.',
  missedLast: 'De termijn om de laatste vragenlijst in te vullen is voorbij.',
  failed: (message) => `Er ging iets mis: ${message}`,
};

export const CATALOGUES: Record<Language, Catalogue> = { en, fr, nl };

export function isLanguage(value: string | null | undefined): value is Language {
  return (LANGUAGES as readonly string[]).includes(value ?? '');
}

/** `?lang=` first, then the browser's language (fr-BE → fr, nl-BE → nl), else English (as the graph). */
export function initialLanguage(search: string, browserLanguages: readonly string[]): Language {
  const asked = new URLSearchParams(search).get('lang');
  if (isLanguage(asked)) return asked;
  for (const tag of browserLanguages) {
    const primary = tag.toLowerCase().split('-')[0];
    if (isLanguage(primary)) return primary;
  }
  return 'en';
}

/** A LocalDate (YYYY-MM-DD) as a day in the language: `3 mars 2026`. */
export function formatDay(day: string, language: Language): string {
  return new Intl.DateTimeFormat(LOCALES[language], { dateStyle: 'long', timeZone: 'UTC' }).format(
    new Date(`${day}T00:00:00Z`),
  );
}

export function formatTime(at: Date, language: Language): string {
  return new Intl.DateTimeFormat(LOCALES[language], { hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(
    at,
  );
}

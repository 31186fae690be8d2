/**
 * The claim page's own texts. The graph's labels (claim status, line kind, decision, region) come from
 * the graph's vocabulary in the caller's language (schema/i18n); these are only the page's sentences.
 * French and Dutch are typed by the English catalogue: a missing key fails the typecheck. Amounts and
 * dates are formatted by the browser for Belgium in the page's language (fr-BE, nl-BE, en-BE).
 */
export const LANGUAGES = ['fr', 'nl', 'en'] as const;
export type Lang = (typeof LANGUAGES)[number];

export const isLang = (value: string | null): value is Lang =>
  value !== null && (LANGUAGES as readonly string[]).includes(value);

/** The locale amounts and dates are written in: Belgian conventions in the page's language. */
export const locale = (lang: Lang): string => `${lang}-BE`;

const en = {
  title: 'IPS pilot — claim under a convention',
  skip: 'Skip to the claim',
  language: 'Language',
  languageNames: { fr: 'Français', nl: 'Nederlands', en: 'English' },
  period: 'Month',
  print: 'Print or save as PDF',
  loading: 'Loading the claims…',
  signIn: {
    heading: 'Sign in',
    intro:
      'Paste the bearer token your organisation gave you (a partner’s supervisor, or INAMI). It is kept for this tab only.',
    label: 'Bearer token',
    submit: 'Sign in',
    signOut: 'Sign out',
  },
  errors: {
    UNAUTHENTICATED: 'Your token was refused or has expired. Sign in again.',
    NETWORK: 'The graph could not be reached. Try again later.',
    other: 'The graph answered with an error:',
    partial: 'Part of the claim could not be loaded:',
  },
  none: 'No claim of {period} that you may read.',
  heading: 'Claim of {partner} — {period}',
  summary: {
    heading: 'Claim',
    convention: 'Convention',
    partner: 'IPS partner',
    region: 'Region',
    period: 'Month claimed',
    status: 'Status',
    conventionVersion: 'Convention version applied',
    submitted: 'Submitted',
    decided: 'Last line decided',
    undecided: 'not yet decided',
  },
  lines: {
    heading: 'Lines',
    caption: 'Lines of the claim, with INAMI’s decision on each',
    position: 'No.',
    kind: 'What it pays for',
    quantity: 'Quantity',
    unit: 'Unit amount',
    amount: 'Amount',
    decision: 'INAMI’s decision',
    reason: 'Reason',
    pending: 'pending',
    fte: '{paid} FTE-months',
    fteDetail: 'staffed {staffed}, funded {funded}',
    pathways: '{paid} pathways',
  },
  creditNotes: {
    heading: 'Credit notes',
    caption: 'Credit notes correcting this claim',
    issued: 'Issued',
    reason: 'Reason',
    lines: 'Lines corrected',
    line: 'line {position}: {amount}',
    total: 'Total',
    none: 'No credit note refers to this claim.',
  },
  payments: {
    heading: 'Payments',
    caption: 'Payments INAMI made on this claim',
    paidOn: 'Paid on',
    reference: 'Bank transfer reference',
    amount: 'Amount',
    none: 'No payment recorded yet.',
  },
  totals: {
    heading: 'Totals',
    caption: 'Totals of the claim',
    item: 'Item',
    amount: 'Amount',
    claimed: 'Claimed',
    approved: 'Approved',
    credited: 'Credited (credit notes)',
    total: 'Due for the month (approved plus credit notes)',
    paid: 'Paid',
    outstanding: 'Outstanding',
  },
};
export type Catalogue = typeof en;

const fr: Catalogue = {
  title: 'Projet pilote IPS — déclaration de créance sous convention',
  skip: 'Aller à la déclaration',
  language: 'Langue',
  languageNames: { fr: 'Français', nl: 'Nederlands', en: 'English' },
  period: 'Mois',
  print: 'Imprimer ou enregistrer en PDF',
  loading: 'Chargement des déclarations…',
  signIn: {
    heading: 'Connexion',
    intro:
      'Collez le jeton d’accès (bearer token) que votre organisation vous a remis (superviseur d’un partenaire, ou INAMI). Il n’est conservé que pour cet onglet.',
    label: 'Jeton d’accès',
    submit: 'Se connecter',
    signOut: 'Se déconnecter',
  },
  errors: {
    UNAUTHENTICATED: 'Votre jeton a été refusé ou a expiré. Connectez-vous à nouveau.',
    NETWORK: 'Le graphe est injoignable. Réessayez plus tard.',
    other: 'Le graphe a répondu par une erreur :',
    partial: 'Une partie de la déclaration n’a pas pu être chargée :',
  },
  none: 'Aucune déclaration de créance de {period} que vous puissiez lire.',
  heading: 'Déclaration de créance de {partner} — {period}',
  summary: {
    heading: 'Déclaration',
    convention: 'Convention',
    partner: 'Partenaire IPS',
    region: 'Région',
    period: 'Mois déclaré',
    status: 'Statut',
    conventionVersion: 'Version de la convention appliquée',
    submitted: 'Introduite',
    decided: 'Dernière ligne décidée',
    undecided: 'pas encore décidée',
  },
  lines: {
    heading: 'Lignes',
    caption: 'Lignes de la déclaration, avec la décision de l’INAMI sur chacune',
    position: 'N°',
    kind: 'Objet',
    quantity: 'Quantité',
    unit: 'Montant unitaire',
    amount: 'Montant',
    decision: 'Décision de l’INAMI',
    reason: 'Motif',
    pending: 'en attente',
    fte: '{paid} mois ETP',
    fteDetail: 'prestés {staffed}, financés {funded}',
    pathways: '{paid} trajets',
  },
  creditNotes: {
    heading: 'Notes de crédit',
    caption: 'Notes de crédit corrigeant cette déclaration',
    issued: 'Émise',
    reason: 'Motif',
    lines: 'Lignes corrigées',
    line: 'ligne {position} : {amount}',
    total: 'Total',
    none: 'Aucune note de crédit ne se rapporte à cette déclaration.',
  },
  payments: {
    heading: 'Paiements',
    caption: 'Paiements de l’INAMI sur cette déclaration',
    paidOn: 'Payé le',
    reference: 'Référence du virement',
    amount: 'Montant',
    none: 'Aucun paiement enregistré.',
  },
  totals: {
    heading: 'Totaux',
    caption: 'Totaux de la déclaration',
    item: 'Poste',
    amount: 'Montant',
    claimed: 'Déclaré',
    approved: 'Approuvé',
    credited: 'Crédité (notes de crédit)',
    total: 'Dû pour le mois (approuvé plus notes de crédit)',
    paid: 'Payé',
    outstanding: 'Reste dû',
  },
};

const nl: Catalogue = {
  title: 'IPS-pilootproject — schuldvordering onder een overeenkomst',
  skip: 'Naar de schuldvordering',
  language: 'Taal',
  languageNames: { fr: 'Français', nl: 'Nederlands', en: 'English' },
  period: 'Maand',
  print: 'Afdrukken of opslaan als pdf',
  loading: 'De schuldvorderingen worden geladen…',
  signIn: {
    heading: 'Aanmelden',
    intro:
      'Plak het toegangstoken (bearer token) dat uw organisatie u gaf (supervisor van een partner, of RIZIV). Het wordt alleen voor dit tabblad bewaard.',
    label: 'Toegangstoken',
    submit: 'Aanmelden',
    signOut: 'Afmelden',
  },
  errors: {
    UNAUTHENTICATED: 'Uw token werd geweigerd of is verlopen. Meld u opnieuw aan.',
    NETWORK: 'De graaf is niet bereikbaar. Probeer het later opnieuw.',
    other: 'De graaf antwoordde met een fout:',
    partial: 'Een deel van de schuldvordering kon niet worden geladen:',
  },
  none: 'Geen schuldvordering van {period} die u mag lezen.',
  heading: 'Schuldvordering van {partner} — {period}',
  summary: {
    heading: 'Schuldvordering',
    convention: 'Overeenkomst',
    partner: 'IPS-partner',
    region: 'Gewest',
    period: 'Maand van de schuldvordering',
    status: 'Status',
    conventionVersion: 'Toegepaste versie van de overeenkomst',
    submitted: 'Ingediend',
    decided: 'Laatste lijn beslist',
    undecided: 'nog niet beslist',
  },
  lines: {
    heading: 'Lijnen',
    caption: 'Lijnen van de schuldvordering, met de beslissing van het RIZIV over elke lijn',
    position: 'Nr.',
    kind: 'Waarvoor',
    quantity: 'Hoeveelheid',
    unit: 'Eenheidsbedrag',
    amount: 'Bedrag',
    decision: 'Beslissing van het RIZIV',
    reason: 'Reden',
    pending: 'in behandeling',
    fte: '{paid} VTE-maanden',
    fteDetail: 'gepresteerd {staffed}, gefinancierd {funded}',
    pathways: '{paid} trajecten',
  },
  creditNotes: {
    heading: 'Creditnota’s',
    caption: 'Creditnota’s die deze schuldvordering corrigeren',
    issued: 'Uitgereikt',
    reason: 'Reden',
    lines: 'Gecorrigeerde lijnen',
    line: 'lijn {position}: {amount}',
    total: 'Totaal',
    none: 'Geen creditnota verwijst naar deze schuldvordering.',
  },
  payments: {
    heading: 'Betalingen',
    caption: 'Betalingen van het RIZIV voor deze schuldvordering',
    paidOn: 'Betaald op',
    reference: 'Referentie van de overschrijving',
    amount: 'Bedrag',
    none: 'Nog geen betaling geregistreerd.',
  },
  totals: {
    heading: 'Totalen',
    caption: 'Totalen van de schuldvordering',
    item: 'Post',
    amount: 'Bedrag',
    claimed: 'Gevorderd',
    approved: 'Goedgekeurd',
    credited: 'Gecrediteerd (creditnota’s)',
    total: 'Verschuldigd voor de maand (goedgekeurd plus creditnota’s)',
    paid: 'Betaald',
    outstanding: 'Nog te betalen',
  },
};

export const CATALOGUES: Readonly<Record<Lang, Catalogue>> = { en, fr, nl };

/** Fills `{name}` placeholders. */
export function format(template: string, params: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

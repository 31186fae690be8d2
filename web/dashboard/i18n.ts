/**
 * The dashboard's own texts. The graph's labels (dimension members, regions, arms, bands…) come
 * from the graph in the caller's language (Accept-Language); these are only the page's sentences.
 * French and Dutch are typed by the English catalogue: a missing key fails the typecheck.
 */
export const LANGUAGES = ['fr', 'nl', 'en'] as const;
export type Lang = (typeof LANGUAGES)[number];

export const isLang = (value: string | null): value is Lang =>
  value !== null && (LANGUAGES as readonly string[]).includes(value);

const en = {
  title: 'IPS pilot — regional dashboard',
  skip: 'Skip to the dashboard',
  language: 'Language',
  languageNames: { fr: 'Français', nl: 'Nederlands', en: 'English' },
  region: 'Region',
  allRegions: 'All regions',
  loading: 'Loading the pilot’s figures…',
  computing: 'The pilot’s figures are being computed; the page asks again in {seconds} s.',
  signIn: {
    heading: 'Sign in',
    intro: 'Paste the bearer token your organisation gave you for the INTEGRATOR role. It is kept for this tab only.',
    label: 'Bearer token',
    submit: 'Sign in',
    signOut: 'Sign out',
  },
  errors: {
    UNAUTHENTICATED: 'Your token was refused or has expired. Sign in again.',
    FORBIDDEN: 'This token’s role may not read the pilot’s aggregates.',
    NETWORK: 'The graph could not be reached. Try again later.',
    other: 'The graph answered with an error:',
    partial: 'Part of the dashboard could not be loaded:',
  },
  suppressed: 'withheld',
  suppressedNote:
    'Withheld: a count from 1 to {threshold} (shown as “withheld (n < {below})”) or a count, of any size, from which a small one could be worked out (“withheld (to protect another count)”) is not published, to protect the people counted. It is not zero. A rate with a withheld part is withheld too.',
  suppressedKind: { PRIMARY: 'withheld (n < {threshold})', COMPLEMENTARY: 'withheld (to protect another count)' },
  perturbed: 'perturbed',
  perturbedNote:
    'Perturbed: small random noise added to the count so that no small count can be worked out from the published ones (the cell key method; see DISCLOSURE_CONTROL in the platform’s POLICY.md). It is close to the true count, and the same each time it is shown.',
  noOne: 'no one',
  noOneNote: 'No one: nobody to compute a rate for.',
  chartSuppressedNote:
    'Withheld values are not drawn (a gap or a marked place, never a zero); the table gives every value.',
  dataTable: 'Figures of the chart',
  capacity: {
    heading: 'Capacity per partner',
    intro:
      'Pathways registered under each convention (all quarters) against the partner’s share of the pilot’s pathways (R17).',
    caption: 'Registered pathways and capacity per IPS partner',
    partner: 'IPS partner',
    registered: 'Registered pathways',
    capacity: 'Capacity (pathways)',
    used: 'Capacity used',
    regionTotal: 'All partners of the region',
    chart: 'Bar chart: registered pathways per IPS partner, with a black tick at the convention’s capacity.',
  },
  employment: {
    heading: 'Quarterly competitive employment rate',
    intro:
      'Share of the people in a pathway during the quarter who held a competitive job, per arm and region (the IPS outcome measure).',
    caption: 'Competitive employment per quarter, arm and region',
    quarter: 'Quarter',
    employed: 'With a competitive job',
    inPathway: 'In a pathway',
    rate: 'Rate',
    chart: 'Line chart: quarterly competitive employment rate per arm and region over time.',
    yearly: {
      heading: 'Yearly competitive employment rate',
      intro:
        'Share of the people in a pathway during the year who held a competitive job, per arm and region (the IPS outcome measure).',
      caption: 'Competitive employment per year, arm and region',
      quarter: 'Year',
      chart: 'Line chart: yearly competitive employment rate per arm and region over time.',
      fallback: 'Shown per year: too many of this view’s quarters are withheld to be read.',
    },
  },
  partnerEmployment: {
    heading: 'Competitive employment rate per partner and arm, per year',
    intro:
      'Share of the people in a partner’s pathways during the calendar year who held a competitive job, per arm. A person is counted once a year, so a year is not the sum of its quarters.',
    caption: 'Competitive employment per year, IPS partner and arm',
    year: 'Year',
    chart: 'Line charts, one per IPS partner: yearly competitive employment rate per arm.',
  },
  caseloads: {
    heading: 'Caseload per job coach',
    intro:
      'Open pathways per job coach of each partner, against the IPS guideline of at most {guideline} people per coach (IPS-25 caseload size). Staff counts: no coach is named.',
    caption: 'Caseloads of the job coaches per IPS partner',
    partner: 'IPS partner',
    coaches: 'Job coaches',
    caseloads: 'Open pathways per coach',
    overGuideline: 'Coaches above the guideline',
    none: 'no open pathway',
    chart:
      'Dot chart: caseload of each job coach per partner (dot size = number of coaches), with a red rule at the guideline.',
    guideline: 'guideline',
  },
  questionnaires: {
    heading: 'Questionnaire completion per wave',
    intro:
      'The study’s questionnaire waves (R12), both arms: baseline, then every six months. Completion is the share of closed waves (completed or missed) that were completed.',
    caption: 'Questionnaire waves per state',
    wave: 'Wave',
    total: 'All waves',
    completion: 'Completion',
    chart: 'Grid: number of questionnaire waves per wave and state; withheld cells are grey and marked.',
  },
  fidelity: {
    heading: 'Fidelity per team',
    intro:
      'Each team’s latest IPS-25 review: total (25–125) and band (115–125 exemplary, 100–114 good, 74–99 fair, 73 or less not IPS).',
    caption: 'Latest IPS-25 fidelity review per team',
    team: 'Team',
    reviewedOn: 'Reviewed on',
    total: 'Total',
    band: 'Band',
    notReviewed: 'not reviewed',
    chart: 'Bar chart: latest IPS-25 total per team over the fidelity bands.',
  },
  consort: {
    heading: 'CONSORT flow',
    intro: 'The trial’s flow from the platform’s data (CONSORT 2010): counts only, no person.',
    enrolment: 'Enrolment',
    allocation: 'Allocation',
    followUp: 'Follow-up',
    analysis: 'Analysis',
    assessed: 'Assessed for eligibility',
    notReferred: 'Not referred',
    declined: 'Declined to participate',
    unmet: 'Condition not met',
    referred: 'Referred to INAMI',
    notRegistered: 'Referred, no pathway registered',
    registered: 'Pathway registered',
    notRandomised: 'Registered, not randomised',
    randomised: 'Randomised',
    allocated: 'Allocated',
    received: 'Received the allocated intervention',
    notReceived: 'Did not receive it',
    lost: 'Lost to follow-up at wave {wave} ({months} months)',
    discontinued: 'Discontinued the intervention',
    withdrawn: 'Withdrew from the study',
    analysed: 'Analysed',
  },
  total: 'Total',
};

export type Catalogue = typeof en;

const fr: Catalogue = {
  title: 'Projet pilote IPS — tableau de bord régional',
  skip: 'Aller au tableau de bord',
  language: 'Langue',
  languageNames: { fr: 'Français', nl: 'Nederlands', en: 'English' },
  region: 'Région',
  allRegions: 'Toutes les régions',
  loading: 'Chargement des chiffres du projet pilote…',
  computing: 'Les chiffres du projet pilote sont en cours de calcul ; la page les redemande dans {seconds} s.',
  signIn: {
    heading: 'Connexion',
    intro:
      'Collez le jeton (bearer token) que votre organisation vous a remis pour le rôle INTEGRATOR. Il n’est gardé que pour cet onglet.',
    label: 'Jeton d’accès',
    submit: 'Se connecter',
    signOut: 'Se déconnecter',
  },
  errors: {
    UNAUTHENTICATED: 'Votre jeton a été refusé ou a expiré. Connectez-vous à nouveau.',
    FORBIDDEN: 'Le rôle de ce jeton ne peut pas lire les agrégats du projet pilote.',
    NETWORK: 'Le graphe est injoignable. Réessayez plus tard.',
    other: 'Le graphe a répondu par une erreur :',
    partial: 'Une partie du tableau de bord n’a pas pu être chargée :',
  },
  suppressed: 'masqué',
  perturbed: 'perturbé',
  perturbedNote:
    'Perturbé : un petit bruit aléatoire est ajouté à l’effectif pour qu’aucun petit effectif ne puisse être déduit des chiffres publiés (méthode de la clé de cellule ; voir DISCLOSURE_CONTROL dans POLICY.md de la plateforme). Il est proche de l’effectif réel, et le même à chaque affichage.',
  suppressedNote:
    'Masqué : un effectif de 1 à {threshold} (affiché « masqué (n < {below}) ») ou un effectif, de toute taille, dont on pourrait déduire un petit effectif (« masqué (pour protéger un autre effectif) ») n’est pas publié, pour protéger les personnes comptées. Ce n’est pas zéro. Un taux dont une partie est masquée est masqué aussi.',
  suppressedKind: { PRIMARY: 'masqué (n < {threshold})', COMPLEMENTARY: 'masqué (pour protéger un autre effectif)' },
  noOne: 'personne',
  noOneNote: 'Personne : aucun effectif sur lequel calculer un taux.',
  chartSuppressedNote:
    'Les valeurs masquées ne sont pas dessinées (un vide ou un repère, jamais un zéro) ; le tableau donne chaque valeur.',
  dataTable: 'Chiffres du graphique',
  capacity: {
    heading: 'Capacité par partenaire',
    intro:
      'Trajets enregistrés sous chaque convention (tous trimestres) face à la part des trajets du projet pilote attribuée au partenaire (R17).',
    caption: 'Trajets enregistrés et capacité par partenaire IPS',
    partner: 'Partenaire IPS',
    registered: 'Trajets enregistrés',
    capacity: 'Capacité (trajets)',
    used: 'Capacité utilisée',
    regionTotal: 'Tous les partenaires de la région',
    chart:
      'Diagramme en barres : trajets enregistrés par partenaire IPS, avec un trait noir à la capacité de la convention.',
  },
  employment: {
    heading: 'Taux trimestriel d’emploi compétitif',
    intro:
      'Part des personnes en trajet pendant le trimestre qui ont occupé un emploi compétitif, par bras et par région (la mesure de résultat de l’IPS).',
    caption: 'Emploi compétitif par trimestre, bras et région',
    quarter: 'Trimestre',
    employed: 'Avec un emploi compétitif',
    inPathway: 'En trajet',
    rate: 'Taux',
    chart: 'Graphique en lignes : taux trimestriel d’emploi compétitif par bras et par région au fil du temps.',
    yearly: {
      heading: 'Taux annuel d’emploi compétitif',
      intro:
        'Part des personnes en trajet pendant l’année qui ont occupé un emploi compétitif, par bras et par région (la mesure de résultat de l’IPS).',
      caption: 'Emploi compétitif par année, bras et région',
      quarter: 'Année',
      chart: 'Graphique en lignes : taux annuel d’emploi compétitif par bras et par région au fil du temps.',
      fallback: 'Présenté par année : trop de trimestres de cette vue sont masqués pour être lus.',
    },
  },
  partnerEmployment: {
    heading: 'Taux d’emploi compétitif par partenaire et par bras, par année',
    intro:
      'Part des personnes en trajet chez un partenaire pendant l’année civile qui ont occupé un emploi compétitif, par bras. Une personne est comptée une fois par an : une année n’est pas la somme de ses trimestres.',
    caption: 'Emploi compétitif par année, partenaire IPS et bras',
    year: 'Année',
    chart: 'Graphiques en lignes, un par partenaire IPS : taux annuel d’emploi compétitif par bras.',
  },
  caseloads: {
    heading: 'Nombre de personnes suivies par job coach',
    intro:
      'Trajets en cours par job coach de chaque partenaire, face à la recommandation IPS d’au plus {guideline} personnes par job coach (IPS-25, taille de la charge). Effectifs du personnel : aucun job coach n’est nommé.',
    caption: 'Personnes suivies par les job coachs de chaque partenaire IPS',
    partner: 'Partenaire IPS',
    coaches: 'Job coachs',
    caseloads: 'Trajets en cours par job coach',
    overGuideline: 'Job coachs au-delà de la recommandation',
    none: 'aucun trajet en cours',
    chart:
      'Nuage de points : personnes suivies par chaque job coach, par partenaire (taille du point = nombre de job coachs), avec un trait rouge à la recommandation.',
    guideline: 'recommandation',
  },
  questionnaires: {
    heading: 'Questionnaires remplis par vague',
    intro:
      'Les vagues du questionnaire de l’étude (R12), deux bras : à l’inclusion, puis tous les six mois. Le taux de remplissage est la part des vagues closes (remplies ou manquées) qui ont été remplies.',
    caption: 'Vagues du questionnaire par état',
    wave: 'Vague',
    total: 'Toutes les vagues',
    completion: 'Taux de remplissage',
    chart:
      'Grille : nombre de vagues du questionnaire par vague et par état ; les cases masquées sont grises et marquées.',
  },
  fidelity: {
    heading: 'Fidélité par équipe',
    intro:
      'La dernière évaluation IPS-25 de chaque équipe : total (25 à 125) et niveau (115–125 exemplaire, 100–114 bon, 74–99 passable, 73 ou moins pas IPS).',
    caption: 'Dernière évaluation de fidélité IPS-25 par équipe',
    team: 'Équipe',
    reviewedOn: 'Évaluée le',
    total: 'Total',
    band: 'Niveau',
    notReviewed: 'pas encore évaluée',
    chart: 'Diagramme en barres : dernier total IPS-25 de chaque équipe sur les niveaux de fidélité.',
  },
  consort: {
    heading: 'Diagramme de flux CONSORT',
    intro:
      'Le flux de l’essai d’après les données de la plateforme (CONSORT 2010) : des effectifs seulement, aucune personne.',
    enrolment: 'Recrutement',
    allocation: 'Répartition',
    followUp: 'Suivi',
    analysis: 'Analyse',
    assessed: 'Éligibilité évaluée',
    notReferred: 'Non orientées',
    declined: 'Ont refusé de participer',
    unmet: 'Condition non remplie',
    referred: 'Orientées vers l’INAMI',
    notRegistered: 'Orientées, sans trajet enregistré',
    registered: 'Trajet enregistré',
    notRandomised: 'Enregistrées, non randomisées',
    randomised: 'Randomisées',
    allocated: 'Attribuées',
    received: 'Ont reçu l’intervention attribuée',
    notReceived: 'Ne l’ont pas reçue',
    lost: 'Perdues de vue à la vague {wave} ({months} mois)',
    discontinued: 'Intervention interrompue',
    withdrawn: 'Retirées de l’étude',
    analysed: 'Analysées',
  },
  total: 'Total',
};

const nl: Catalogue = {
  title: 'IPS-pilootproject — regionaal dashboard',
  skip: 'Naar het dashboard',
  language: 'Taal',
  languageNames: { fr: 'Français', nl: 'Nederlands', en: 'English' },
  region: 'Gewest',
  allRegions: 'Alle gewesten',
  loading: 'De cijfers van het pilootproject worden geladen…',
  computing: 'De cijfers van het pilootproject worden berekend; de pagina vraagt ze opnieuw over {seconds} s.',
  signIn: {
    heading: 'Aanmelden',
    intro:
      'Plak het toegangstoken (bearer token) dat uw organisatie u gaf voor de rol INTEGRATOR. Het wordt alleen voor dit tabblad bewaard.',
    label: 'Toegangstoken',
    submit: 'Aanmelden',
    signOut: 'Afmelden',
  },
  errors: {
    UNAUTHENTICATED: 'Uw token werd geweigerd of is verlopen. Meld u opnieuw aan.',
    FORBIDDEN: 'De rol van dit token mag de geaggregeerde cijfers van het pilootproject niet lezen.',
    NETWORK: 'De graaf is niet bereikbaar. Probeer het later opnieuw.',
    other: 'De graaf antwoordde met een fout:',
    partial: 'Een deel van het dashboard kon niet worden geladen:',
  },
  suppressed: 'afgeschermd',
  perturbed: 'verstoord',
  perturbedNote:
    'Verstoord: een kleine willekeurige ruis is bij het aantal opgeteld, zodat geen klein aantal uit de gepubliceerde cijfers kan worden afgeleid (de cell key-methode; zie DISCLOSURE_CONTROL in POLICY.md van het platform). Het ligt dicht bij het echte aantal, en is telkens hetzelfde.',
  suppressedNote:
    'Afgeschermd: een aantal van 1 tot {threshold} (getoond als « afgeschermd (n < {below}) ») of een aantal, van elke grootte, waaruit een klein aantal zou kunnen worden afgeleid (« afgeschermd (om een ander aantal te beschermen) ») wordt niet gepubliceerd, om de getelde personen te beschermen. Het is geen nul. Een percentage met een afgeschermd deel is ook afgeschermd.',
  suppressedKind: {
    PRIMARY: 'afgeschermd (n < {threshold})',
    COMPLEMENTARY: 'afgeschermd (om een ander aantal te beschermen)',
  },
  noOne: 'niemand',
  noOneNote: 'Niemand: geen aantal om een percentage op te berekenen.',
  chartSuppressedNote:
    'Afgeschermde waarden worden niet getekend (een onderbreking of een markering, nooit een nul); de tabel geeft elke waarde.',
  dataTable: 'Cijfers van de grafiek',
  capacity: {
    heading: 'Capaciteit per partner',
    intro:
      'Trajecten geregistreerd onder elke overeenkomst (alle kwartalen) tegenover het aandeel van de partner in de trajecten van het pilootproject (R17).',
    caption: 'Geregistreerde trajecten en capaciteit per IPS-partner',
    partner: 'IPS-partner',
    registered: 'Geregistreerde trajecten',
    capacity: 'Capaciteit (trajecten)',
    used: 'Gebruikte capaciteit',
    regionTotal: 'Alle partners van het gewest',
    chart:
      'Staafdiagram: geregistreerde trajecten per IPS-partner, met een zwart streepje bij de capaciteit van de overeenkomst.',
  },
  employment: {
    heading: 'Kwartaalcijfer reguliere tewerkstelling',
    intro:
      'Aandeel van de personen in een traject tijdens het kwartaal die een reguliere job hadden, per arm en gewest (de uitkomstmaat van IPS).',
    caption: 'Reguliere tewerkstelling per kwartaal, arm en gewest',
    quarter: 'Kwartaal',
    employed: 'Met een reguliere job',
    inPathway: 'In een traject',
    rate: 'Percentage',
    chart: 'Lijndiagram: kwartaalcijfer reguliere tewerkstelling per arm en gewest door de tijd.',
    yearly: {
      heading: 'Jaarcijfer reguliere tewerkstelling',
      intro:
        'Aandeel van de personen in een traject tijdens het jaar die een reguliere job hadden, per arm en gewest (de uitkomstmaat van IPS).',
      caption: 'Reguliere tewerkstelling per jaar, arm en gewest',
      quarter: 'Jaar',
      chart: 'Lijndiagram: jaarcijfer reguliere tewerkstelling per arm en gewest door de tijd.',
      fallback: 'Per jaar getoond: te veel kwartalen van deze weergave zijn afgeschermd om te lezen.',
    },
  },
  partnerEmployment: {
    heading: 'Reguliere tewerkstelling per partner en arm, per jaar',
    intro:
      'Aandeel van de personen in een traject bij een partner tijdens het kalenderjaar die een reguliere job hadden, per arm. Een persoon telt één keer per jaar: een jaar is niet de som van zijn kwartalen.',
    caption: 'Reguliere tewerkstelling per jaar, IPS-partner en arm',
    year: 'Jaar',
    chart: 'Lijndiagrammen, één per IPS-partner: jaarcijfer reguliere tewerkstelling per arm.',
  },
  caseloads: {
    heading: 'Caseload per jobcoach',
    intro:
      'Lopende trajecten per jobcoach van elke partner, tegenover de IPS-richtlijn van hoogstens {guideline} personen per jobcoach (IPS-25, caseloadgrootte). Personeelsaantallen: geen jobcoach wordt genoemd.',
    caption: 'Caseloads van de jobcoaches per IPS-partner',
    partner: 'IPS-partner',
    coaches: 'Jobcoaches',
    caseloads: 'Lopende trajecten per jobcoach',
    overGuideline: 'Jobcoaches boven de richtlijn',
    none: 'geen lopend traject',
    chart:
      'Puntdiagram: caseload van elke jobcoach per partner (grootte van de punt = aantal jobcoaches), met een rode lijn bij de richtlijn.',
    guideline: 'richtlijn',
  },
  questionnaires: {
    heading: 'Ingevulde vragenlijsten per golf',
    intro:
      'De golven van de vragenlijst van de studie (R12), beide armen: bij de start, daarna om de zes maanden. Het invulpercentage is het aandeel van de afgesloten golven (ingevuld of gemist) dat werd ingevuld.',
    caption: 'Golven van de vragenlijst per status',
    wave: 'Golf',
    total: 'Alle golven',
    completion: 'Invulpercentage',
    chart:
      'Rooster: aantal golven van de vragenlijst per golf en status; afgeschermde cellen zijn grijs en gemarkeerd.',
  },
  fidelity: {
    heading: 'Modelgetrouwheid per team',
    intro:
      'De laatste IPS-25-beoordeling van elk team: totaal (25–125) en niveau (115–125 voorbeeldig, 100–114 goed, 74–99 redelijk, 73 of minder geen IPS).',
    caption: 'Laatste IPS-25-beoordeling van de modelgetrouwheid per team',
    team: 'Team',
    reviewedOn: 'Beoordeeld op',
    total: 'Totaal',
    band: 'Niveau',
    notReviewed: 'nog niet beoordeeld',
    chart: 'Staafdiagram: laatste IPS-25-totaal per team over de niveaus van modelgetrouwheid.',
  },
  consort: {
    heading: 'CONSORT-stroomdiagram',
    intro:
      'De stroom van de studie volgens de gegevens van het platform (CONSORT 2010): alleen aantallen, geen personen.',
    enrolment: 'Inclusie',
    allocation: 'Toewijzing',
    followUp: 'Opvolging',
    analysis: 'Analyse',
    assessed: 'Beoordeeld op geschiktheid',
    notReferred: 'Niet doorverwezen',
    declined: 'Wilden niet deelnemen',
    unmet: 'Voorwaarde niet vervuld',
    referred: 'Doorverwezen naar het RIZIV',
    notRegistered: 'Doorverwezen, geen traject geregistreerd',
    registered: 'Traject geregistreerd',
    notRandomised: 'Geregistreerd, niet gerandomiseerd',
    randomised: 'Gerandomiseerd',
    allocated: 'Toegewezen',
    received: 'Kregen de toegewezen interventie',
    notReceived: 'Kregen ze niet',
    lost: 'Niet meer opgevolgd bij golf {wave} ({months} maanden)',
    discontinued: 'Interventie stopgezet',
    withdrawn: 'Uit de studie gestapt',
    analysed: 'Geanalyseerd',
  },
  total: 'Totaal',
};

export const CATALOGUES: Readonly<Record<Lang, Catalogue>> = { en, fr, nl };

/** Fills `{name}` placeholders. */
export function format(template: string, params: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

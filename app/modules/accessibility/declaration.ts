/**
 * The facts of the « Déclaration d'accessibilité » (RGAA model of the DINUM), kept as data so that
 * the page states them and the tests hold them to what was really checked: the pages listed here
 * are pages of tests/e2e/support/pages.ts, and the tool versions are those the checks ran with.
 * No audit against the RGAA's criteria has been made: the declaration says « non conforme », as
 * the RGAA requires when there is no valid audit, and no conformity rate.
 */

export const DECLARATION_DATE = "2026-11-22";
export const RGAA_VERSION = "4.1.2";
/** null until an audit against the 106 criteria gives one. */
export const CONFORMITY_RATE: number | null = null;
export const CONTACT_EMAIL = "accessibilite@medicobus.localhost";

export const TECHNOLOGIES = ["HTML5", "CSS", "JavaScript (React, Remix)", "WAI-ARIA", "Système de design de l'État (DSFR, via @codegouvfr/react-dsfr)", "SVG (carte et graphiques)", "PDF (récépissé, courrier de décision, fiche d'évaluation)"];

export const TEST_ENVIRONMENT = {
  browsers: ["Chromium 156 (Debian), piloté par Playwright"],
  assistiveTechnologies: "Aucun test n'a encore été fait avec une technologie d'assistance (lecteur d'écran NVDA, JAWS ou VoiceOver, loupe, commande vocale).",
};

export const TOOLS = [
  { name: "axe-core 4.14.1", use: "analyse automatique de chaque page (règles WCAG 2.1 A et AA et bonnes pratiques) ; aucune anomalie « sérieuse » ou « critique » n'est acceptée" },
  { name: "@axe-core/playwright 4.14.0 et Playwright", use: "ouverture de chaque page avec le compte de chaque profil, et parcours au clavier seul" },
];

/** The pages checked, as a visitor names them; `path` is the URL (with its parameter) that the checks open. */
export const CHECKED_PAGES: ReadonlyArray<{ title: string; path: string }> = [
  { title: "Accueil", path: "/" },
  { title: "Aide", path: "/aide" },
  { title: "Connexion", path: "/connexion" },
  { title: "Création de compte", path: "/inscription" },
  { title: "Mot de passe oublié", path: "/mot-de-passe-oublie" },
  { title: "Mon compte", path: "/compte" },
  { title: "Mon espace (porteur de projet)", path: "/mon-espace" },
  { title: "Création et fiche d'une organisation", path: "/organisations/nouvelle" },
  { title: "Nouveau dossier", path: "/dossiers/nouveau" },
  { title: "Page d'un dossier, ses étapes (porteur, territoire, projet, véhicule, budget), ses pièces, son récapitulatif, ses messages et son retrait", path: "/dossiers/:reference" },
  { title: "Liste des dossiers à instruire", path: "/instruction" },
  { title: "Affectation des évaluations", path: "/instruction/affectations" },
  { title: "Instruction d'un dossier : synthèse, recevabilité, évaluations, grilles ARS et ANCT, messages, annotations, historique", path: "/instruction/dossiers/:reference" },
  { title: "Tableau de bord du programme", path: "/programme" },
  { title: "Vagues, classement, simulation, décision, clôture et configuration d'une vague", path: "/programme/vagues" },
  { title: "Versements d'un dossier retenu", path: "/programme/dossiers/:reference/versements" },
  { title: "Courriers de décision et suivi de leur envoi", path: "/programme/courriers" },
  { title: "Exports", path: "/programme/exports" },
  { title: "Journal d'audit", path: "/programme/journal" },
  { title: "Administration des comptes et fiche d'un compte", path: "/admin" },
  { title: "Pages d'erreur (accès refusé, page introuvable)", path: "/une-page-qui-n-existe-pas" },
  { title: "Mentions légales, données personnelles, déclaration d'accessibilité", path: "/accessibilite" },
];

/** What is known not to be accessible, or not checked, and what is done about it. */
export const KNOWN_ISSUES: readonly string[] = [
  "Les documents PDF produits par le portail (récépissé de dépôt, courrier de décision, fiche d'évaluation) ne sont pas des PDF balisés : leur texte se sélectionne et se lit, mais leur structure (titres, tableaux, ordre de lecture) n'est pas décrite pour les lecteurs d'écran. Leur contenu essentiel est repris sur les pages du portail : la référence et la date de dépôt sur la page du dossier et dans son récapitulatif, la décision et son motif dans le suivi et l'historique du dossier, les notes et justifications de chaque évaluation dans sa grille, qui est une page du portail. Sur demande à l'adresse ci-dessous, le contenu d'un document est transmis sous une autre forme.",
  "Les vérifications automatiques ne couvrent qu'une partie des critères du RGAA : la pertinence des alternatives textuelles, la clarté des libellés, l'ordre de lecture et la restitution par un lecteur d'écran n'ont pas encore été évalués par une personne.",
];

export const EXEMPTIONS: readonly string[] = [
  "Les pièces justificatives déposées par les porteurs de projet (statuts, devis, délibérations…) sont des contenus de tiers, que l'équipe du programme ne produit ni ne contrôle : elles ne sont pas soumises à l'obligation d'accessibilité.",
];

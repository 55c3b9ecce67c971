import {
  type DecisionLetterData,
  type LetterDecision,
} from "./decision-letter";

/** One decision per outcome, on the Orne Est reference project of the call. */
export const SAMPLE_DECISIONS = {
  selected: {
    outcome: "selected",
    awardedCents: 80_000_00,
    buses: 1,
    totalCostCents: 200_000_00,
    stateSharePercent: 40,
    advanceSharePercent: 30,
    advanceCents: 24_000_00,
    balanceCents: 56_000_00,
    projectYears: 3,
    conventionMonths: 3,
  },
  waitlisted: {
    outcome: "waitlisted",
    rank: 4,
    nextWaveTitle: "Vague 2 — fin 2024",
  },
  rejected: {
    outcome: "rejected",
    motivation:
      "Le besoin territorial est insuffisamment documenté (aucune donnée sur les patients en ALD sans médecin traitant) et le plan de financement ne comporte pas d'engagement écrit des collectivités partenaires.",
  },
} as const satisfies Record<LetterDecision["outcome"], LetterDecision>;

/** A realistic letter, used by the tests and by anyone who wants to look at the layout. */
export function sampleDecisionLetter(
  outcome: LetterDecision["outcome"],
  overrides: Partial<DecisionLetterData> = {}
): DecisionLetterData {
  return {
    reference: "MDB-2024-NOR-00042",
    projectTitle:
      "Médicobus Orne Est : consultations itinérantes sur 7 communes, 5 jours sur 7",
    callTitle: "Appel à projets « 100 médicobus »",
    waveTitle: "Vague 1 — premier trimestre 2024",
    letterDate: "2024-05-02T08:30:00.000Z",
    decidedAt: "2024-04-25T14:00:00.000Z",
    authority: {
      name: "Ministère chargé de la santé",
      service:
        "Programme « 100 médicobus » — Direction générale de l'offre de soins",
      place: "Paris",
    },
    signatory: {
      title:
        "Pour le ministre et par délégation, le directeur général de l'offre de soins",
      name: "",
    },
    addressee: {
      organisation:
        "Communauté de communes des Vallées d’Auge et du Merlerault",
      representative:
        "Élisabeth Lefèvre-Hébert, Présidente de la communauté de communes",
      seatCommune: "Gacé (61)",
    },
    decision: SAMPLE_DECISIONS[outcome],
    ...overrides,
  };
}

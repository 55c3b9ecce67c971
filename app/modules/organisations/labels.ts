import type { OrganisationKind } from "~db/schema";

export const ORGANISATION_KIND_LABELS: Record<OrganisationKind, string> = {
  cpts: "CPTS (communauté professionnelle territoriale de santé)",
  centre_sante: "centre de santé",
  msp: "maison de santé pluriprofessionnelle (MSP)",
  commune: "commune",
  epci: "EPCI (intercommunalité)",
  departement: "département",
  region: "région",
  autre: "autre structure",
};

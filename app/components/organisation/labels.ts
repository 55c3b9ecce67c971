import type { MembershipRole } from "~db/schema";

/** What a member is called on the pages: the services speak of « responsables ». */
export const MEMBERSHIP_ROLE_LABELS: Record<MembershipRole, string> = {
  owner: "Responsable",
  editor: "Co-éditeur",
};

/** « 73282932000074 » → « 732 829 320 00074 »: the SIREN in groups of three, then the NIC, as INSEE prints it. */
export function formatSiret(siret: string) {
  if (!/^\d{14}$/.test(siret)) return siret;
  return `${siret.slice(0, 3)} ${siret.slice(3, 6)} ${siret.slice(6, 9)} ${siret.slice(9)}`;
}

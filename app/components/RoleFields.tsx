import type { FieldMetadata } from "@conform-to/react";
import { AGENT_ROLES, ROLE_LABELS } from "~/modules/auth/roles";
import { REGIONS } from "~/modules/geo/regions";
import { SelectField } from "./forms";

const ROLE_OPTIONS = AGENT_ROLES.map((role) => ({ value: role, label: ROLE_LABELS[role] }));
const REGION_OPTIONS = REGIONS.map((region) => ({ value: region.code, label: region.name }));

/** The role and its région, as the invitation and the grant forms ask them. */
export function RoleFields<Form extends Record<string, unknown>>({
  role,
  regionCode,
}: {
  role: FieldMetadata<string | undefined, Form, string[]>;
  regionCode: FieldMetadata<string | undefined, Form, string[]>;
}) {
  return (
    <>
      <SelectField field={role} label="Rôle" options={ROLE_OPTIONS} placeholder="Sélectionnez un rôle" />
      <SelectField
        field={regionCode}
        label="Région"
        hint="Obligatoire pour un agent ARS ; facultative pour un agent ANCT (sans région : France entière) ; ignorée pour les autres rôles."
        options={REGION_OPTIONS}
        placeholder="Aucune (France entière)"
      />
    </>
  );
}

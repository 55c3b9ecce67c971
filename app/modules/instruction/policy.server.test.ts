import { describe, expect, it } from "vitest";
import { createInstructionCast, createInstructionSetup } from "../../../tests/fixtures/instruction";
import { DomainError } from "~/utils/errors";
import { findDossierForAgent } from "./policy.server";

describe("findDossierForAgent", () => {
  it.each(["MB-2026\u0000", "a\u0000b", "<script>", "MB-2026-".padEnd(100, "X"), ""])("answers « not found » to a forged reference %j, not a database error", async (forged) => {
    const cast = await createInstructionCast();
    const { dossier } = await createInstructionSetup(cast.applicant);
    expect((await findDossierForAgent(cast.arsNormandie, dossier.reference)).id).toBe(dossier.id);
    const error = await findDossierForAgent(cast.arsNormandie, forged).then(() => null, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).status).toBe(404);
  });
});

import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "~db/client.server";
import { stopJobQueue } from "~/jobs/queue.server";
import { applications } from "~db/schema";
import { createCompleteDraft } from "../../../tests/fixtures/complete-dossier";
import { completeFormData, setStatus } from "../../../tests/fixtures/dossiers";
import { createUser } from "../../../tests/fixtures/users";
import { DomainError } from "~/utils/errors";
import { receiptDataFor, renderDossierReceipt } from "./receipt.server";
import { saveSection, submitDossier } from "./service.server";

/* The receipt is read back with poppler's pdftotext, as the applicant's PDF reader would show it. */
const workDir = mkdtempSync(path.join(tmpdir(), "dossier-receipt-"));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));
// A submission queues its receipt mail (pg-boss, started on first use): stop it before the
// file's database is dropped, or its connections are cut mid-poll.
afterAll(() => stopJobQueue());

function pdfText(pdf: Buffer) {
  const file = path.join(workDir, `${Math.random().toString(36).slice(2)}.pdf`);
  writeFileSync(file, pdf);
  // Intl puts (narrow) no-break spaces in amounts and dates; a reader's search ignores them.
  return execFileSync("/usr/bin/pdftotext", [file, "-"], { encoding: "utf8" }).replace(/[\u00a0\u202f]/g, " ");
}

async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(() => null, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

describe("dossier receipt", () => {
  it("renders the submitted dossier: reference, organisation, territory, amounts, pieces and hashes", async () => {
    const { owner, draft } = await createCompleteDraft({ organisationName: "CPTS des Collines du Perche" });
    const submitted = await submitDossier(owner, draft.reference);

    const { fileName, pdf } = await renderDossierReceipt(owner, draft.reference);
    expect(fileName).toBe(`recepisse-${draft.reference}.pdf`);
    expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    const text = pdfText(pdf);
    expect(text).toContain(draft.reference);
    expect(text).toMatch(/Déposé le \d{1,2} \S+ \d{4} à \d\d:\d\d \(heure de Paris\) par Marie Durand\./);
    expect(text).toContain("CPTS des Collines du Perche");
    expect(text).toContain("732 829 320 00074");
    expect(text).toContain("Médicobus du Perche");
    expect(text).toContain("Normandie");
    expect(text).toContain("Orne (61)");
    expect(text).toContain("200 000 €");
    expect(text).toContain("80 000 € (40 % du coût total)");
    expect(text).toContain("Marie Durand, Présidente de la CPTS");
    expect(text).toContain("Pièces déposées (5)");
    expect(text).toContain("statuts.pdf");
    expect(text).toContain(submitted.submittedHash);
  });

  it("shows what was submitted, not what the form became during a correction", async () => {
    const { owner, draft } = await createCompleteDraft();
    await submitDossier(owner, draft.reference);
    await setStatus(draft.id, "changes_requested", { reopenedSections: ["porteur"] });
    const [{ version }] = await db.select({ version: applications.version }).from(applications).where(eq(applications.id, draft.id));
    await saveSection(owner, draft.reference, { section: "porteur", data: { ...completeFormData().porteur, projectTitle: "Titre corrigé" }, version });
    expect((await receiptDataFor(draft.id)).projectTitle).toBe("Médicobus du Perche");
  });

  it("is a 404 before submission and for someone outside the organisation", async () => {
    const { owner, draft } = await createCompleteDraft();
    expect(await refusal(renderDossierReceipt(owner, draft.reference))).toMatchObject({ status: 404, code: "receipt_not_available" });
    await submitDossier(owner, draft.reference);
    const stranger = await createUser();
    expect(await refusal(renderDossierReceipt(stranger, draft.reference))).toMatchObject({ status: 404, code: "dossier_not_found" });
  });
});

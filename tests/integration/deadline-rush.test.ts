import type { ActionFunctionArgs } from "@remix-run/node";
import { and, eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "~db/client.server";
import { applicationEvents, applications } from "~db/schema";
import { seedReadyDrafts, type ReadyDraft } from "~db/seed/ready-drafts";
import { sectionSchemas, type FormData } from "~/modules/applications/form";
import { startSession } from "~/modules/auth/session.server";
import * as recapPage from "~/routes/dossiers.$reference.recapitulatif";
import * as sectionPage from "~/routes/dossiers.$reference.$section";
import { editedSection } from "../../scripts/lib/applicant-client";

/**
 * The deadline rush in miniature (scripts/bench/deadline-rush.ts runs it with 200 applicants
 * against the production server): applicants autosave and submit all at once through the
 * routes' actions, and what each was told is what the database holds; at the closing instant a
 * submission is refused with a French 409 and changes nothing.
 */

const ORIGIN = "http://portail.test";
const APPLICANTS = 12;
const SAVES = 3;

async function call(handler: unknown, request: Request, params: Record<string, string>) {
  return (handler as (args: ActionFunctionArgs) => Promise<Response>)({ request, params, context: {} }).catch((thrown: unknown) => {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  });
}

const wholeMinute = (ms: number) => new Date(Math.ceil(ms / 60_000) * 60_000);

async function cookieOf(draft: ReadyDraft) {
  return (await startSession(draft.userId)).split(";")[0];
}

function autosave(draft: ReadyDraft, cookie: string, section: string, data: unknown, version: number) {
  const request = new Request(`${ORIGIN}/dossiers/${draft.reference}/${section}`, { method: "POST", body: JSON.stringify({ section, data, version }), headers: { "Content-Type": "application/json", Cookie: cookie } });
  return call(sectionPage.action, request, { reference: draft.reference, section });
}

function submit(draft: ReadyDraft, cookie: string) {
  const request = new Request(`${ORIGIN}/dossiers/${draft.reference}/recapitulatif`, { method: "POST", body: new URLSearchParams({ intent: "submit" }), headers: { Cookie: cookie } });
  return call(recapPage.action, request, { reference: draft.reference });
}

describe("the last minutes of a wave", () => {
  it("keeps every acknowledged save and submission of applicants saving and submitting at once", async () => {
    const { callId, drafts } = await seedReadyDrafts({ count: APPLICANTS, closesAt: wholeMinute(Date.now() + 120_000), seed: 11 });
    const told = await Promise.all(
      drafts.map(async (draft, index) => {
        const cookie = await cookieOf(draft);
        let version = draft.version;
        const sections: Record<string, unknown> = {};
        for (let n = 0; n < SAVES; n++) {
          const edit = editedSection(draft.formData, n, `test a${index} s${n}`);
          const response = await autosave(draft, cookie, edit.section, edit.data, version);
          expect(response.status).toBe(200);
          ({ version } = await response.json());
          sections[edit.section] = edit.data;
        }
        const submitted = await submit(draft, cookie);
        expect(submitted.status).toBe(302);
        expect(submitted.headers.get("Location")).toBe(`/dossiers/${draft.reference}`);
        return { reference: draft.reference, version, sections };
      }),
    );

    const rows = await db.select().from(applications).where(eq(applications.callId, callId));
    const events = await db.select().from(applicationEvents).where(and(inArray(applicationEvents.applicationId, rows.map((row) => row.id)), eq(applicationEvents.event, "submit")));
    const schemas = sectionSchemas("draft");
    for (const expected of told) {
      const row = rows.find((candidate) => candidate.reference === expected.reference)!;
      expect(row).toMatchObject({ status: "submitted", version: expected.version + 1 });
      expect(row.version).toBe(drafts[0].version + SAVES + 1);
      for (const [section, sent] of Object.entries(expected.sections)) {
        expect((row.formData as FormData)[section as keyof FormData]).toEqual(schemas[section as keyof typeof schemas].parse(sent));
      }
      expect((row.submittedData as { formData: unknown }).formData).toEqual(row.formData);
      expect(events.filter((event) => event.applicationId === row.id)).toHaveLength(1);
    }
  });

  it("refuses a submission at the closing instant with a French 409, and changes nothing", async () => {
    // The wave closed on the last whole minute: « now » is at or after its closing instant.
    const { drafts } = await seedReadyDrafts({ count: 1, closesAt: new Date(Math.floor(Date.now() / 60_000) * 60_000), seed: 12 });
    const [draft] = drafts;
    const response = await submit(draft, await cookieOf(draft));
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ code: "deadline_passed", message: expect.stringMatching(/^La date limite de dépôt de la vague 1 était le .* \(heure de Paris\) : le dossier ne peut plus être déposé\.$/) });
    const [row] = await db.select().from(applications).where(eq(applications.id, draft.applicationId));
    expect(row).toMatchObject({ status: "draft", version: draft.version, submittedAt: null });
  });
});

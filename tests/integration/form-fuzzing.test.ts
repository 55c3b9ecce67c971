import { and, eq } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "~db/client.server";
import { applicationPieces, applications, authAttempts, evaluations, roleAssignments, users } from "~db/schema";
import { stopJobQueue } from "~/jobs/queue.server";
import { createDraft } from "~/modules/applications/service.server";
import { applyDecision } from "~/modules/budget/decisions.server";
import { fileStorage } from "~/modules/files/storage.server";
import { createBudgetDossiers } from "../fixtures/budget";
import { samplePdf } from "../fixtures/files";
import { BRETAGNE, createSubmittedDossier, NORMANDIE } from "../fixtures/instruction";
import { createUser } from "../fixtures/users";
import { ACTION_FUZZ_SPECS, DRAFT_VERSION, EVALUATION_VERSION, type FuzzRequest, type Ids } from "./form-fuzz-specs";
import { ROUTE_POLICIES } from "./route-policies";
import { changedTables, databaseFingerprinter, type DatabaseFingerprint } from "./support/database-fingerprint";
import { callRoute, ORIGIN, paramsOf, routeFiles, routeModule } from "./support/routes";
import { createPoliciesWorld, sessionCookieOf } from "./support/world";

/**
 * Fuzzing of every form action (issue « Proof at scale », security): for each route file that
 * exports an action, 1,000 generated requests (FUZZ_RUNS) (form-fuzz-specs.ts) posted by a person the action
 * lets in, on a world of its own. Every answer must be 2xx, 3xx or 4xx — never a 5xx, never a
 * thrown error — and a refused request (4xx) must leave every row of the database as it was.
 */

const RUNS = Number(process.env.FUZZ_RUNS ?? 1000);
/** A fixed seed by default so that a failure replays; FUZZ_SEED explores further. */
const SEED = Number(process.env.FUZZ_SEED ?? 20261122);

/**
 * Tables a refused request may change, and why. Sessions are watched: the fuzz's sessions are
 * fresh, so reading one never extends it, and a refused request must not end any.
 */
const MAY_CHANGE_ON_REFUSAL = {
  auth_attempts: "a refused sign-in or link request counts against the throttling limits: that is the throttling",
};

// Accepted requests may queue mails and letters through pg-boss: stop it before the database goes.
afterAll(() => stopJobQueue());

const actionFiles: string[] = [];
for (const file of routeFiles) if (typeof (await routeModule(file)).action === "function") actionFiles.push(file);

/** A world of its own per action: what one action's accepted requests change does not steer another's. */
async function createFuzzWorld() {
  const world = await createPoliciesWorld();
  const { cast, people, call, wave2, organisation, otherOrganisation } = world;
  const draft = await createDraft(cast.applicant, { organisationId: organisation.id, callId: call.id });
  const stored = await fileStorage().put(samplePdf("Devis du véhicule"));
  const [draftPiece] = await db
    .insert(applicationPieces)
    .values({ applicationId: draft.id, pieceCode: "devis_vehicule", fileName: "Devis.pdf", mimeType: "application/pdf", sizeBytes: stored.sizeBytes, sha256: stored.sha256, uploadedBy: cast.applicant.id })
    .returning();
  const other = await createSubmittedDossier({ callId: call.id, waveId: wave2.id, organisationId: otherOrganisation.id, owner: people.otherApplicant });
  const bretagne = await createSubmittedDossier({ callId: call.id, waveId: wave2.id, organisationId: organisation.id, owner: cast.applicant, region: BRETAGNE });
  const [reviewed, toSelect] = await createBudgetDossiers({ call, organisation, applicant: cast.applicant }, wave2.id, [
    { status: "reviewed", consolidatedScore: 70_00 },
    { status: "reviewed", consolidatedScore: 80_00 },
  ]);
  await applyDecision(cast.manager, wave2.id, { decisions: [{ reference: toSelect.reference, outcome: "selected", awardedCents: 80_000_00, motivation: null }] });
  const victim = await createUser({ name: "Victor Agent", roles: [{ role: "ars_agent", regionCode: NORMANDIE }] });
  const [victimAssignment] = await db.select().from(roleAssignments).where(eq(roleAssignments.userId, victim.id));
  const ids: Ids = {
    ...world.placeholders,
    draftReference: draft.reference,
    draftPieceId: draftPiece.id,
    otherReference: other.reference,
    bretagneReference: bretagne.reference,
    reviewedReference: reviewed.reference,
    selectedReference: toSelect.reference,
    otherOrganisationId: otherOrganisation.id,
    otherApplicantId: people.otherApplicant.id,
    applicantEmail: cast.applicant.email,
    victimId: victim.id,
    victimEmail: victim.email,
    victimAssignmentId: victimAssignment.id,
    wave1Id: world.wave1.id,
    wave2Id: wave2.id,
    arsNormandie2Id: cast.arsNormandie2.id,
    arsBretagneId: cast.arsBretagne.id,
    anctNationalId: cast.anctNational.id,
  };
  return { ...world, draft, ids };
}

type FuzzWorld = Awaited<ReturnType<typeof createFuzzWorld>>;

/** The values read just before the request: versions move with each accepted save. */
async function dynamicValues(world: FuzzWorld): Promise<Record<string, string>> {
  const [draft] = await db.select({ version: applications.version }).from(applications).where(eq(applications.id, world.draft.id));
  const [evaluation] = await db
    .select({ version: evaluations.version })
    .from(evaluations)
    .where(and(eq(evaluations.applicationId, world.dossier.id), eq(evaluations.evaluatorId, world.cast.arsNormandie.id)));
  return { [DRAFT_VERSION]: String(draft.version), [EVALUATION_VERSION]: String(evaluation?.version ?? 1) };
}

function toRequest(fuzz: FuzzRequest, cookie: string | null, dynamic: Record<string, string>) {
  const resolve = (value: string) => dynamic[value] ?? value;
  const headers = new Headers({ Origin: ORIGIN });
  if (cookie) headers.set("Cookie", cookie);
  if (fuzz.accept) headers.set("Accept", fuzz.accept);
  const url = `${ORIGIN}${fuzz.path}`;
  let body: BodyInit;
  if (fuzz.json !== undefined) {
    headers.set("Content-Type", "application/json");
    body = Object.entries(dynamic).reduce((text, [name, value]) => text.replaceAll(`"${name}"`, value), fuzz.json);
  } else if (fuzz.upload) {
    const form = new FormData();
    for (const [name, value] of fuzz.upload.extra) form.append(name, resolve(value));
    form.append("file", new File([new Uint8Array(fuzz.upload.bytes)], fuzz.upload.name, { type: fuzz.upload.type }));
    body = form;
  } else {
    const form = new FormData();
    for (const [name, value] of fuzz.form ?? []) form.append(name, resolve(value));
    body = form;
  }
  return new Request(url, { method: "POST", headers, body });
}

/** What a failure shows of a request: long values cut, so that the report stays readable. */
function describeRequest(fuzz: FuzzRequest) {
  const cut = (value: string) => (value.length > 120 ? `${value.slice(0, 120)}… (${value.length} characters)` : value);
  return JSON.stringify({ path: cut(fuzz.path), form: fuzz.form?.map(([name, value]) => [cut(name), cut(value)]), json: fuzz.json && cut(fuzz.json), upload: fuzz.upload && { name: cut(fuzz.upload.name), type: fuzz.upload.type, bytes: fuzz.upload.bytes.length } });
}

const statusTable: Record<string, Record<string, number>> = {};

afterAll(() => {
  // What the run exercised: payloads and answers per action (2xx, 3xx, 4xx by code), and the time per request.
  const columns = ["payloads", ...new Set(Object.values(statusTable).flatMap((counts) => Object.keys(counts).filter((key) => key !== "payloads" && key !== "ms/request")))].sort();
  const header = ["action".padEnd(48), ...columns.map((column) => column.padStart(8)), "ms/request".padStart(11)].join(" ");
  const lines = Object.entries(statusTable).map(([file, counts]) => [file.padEnd(48), ...columns.map((column) => String(counts[column] ?? "").padStart(8)), String(counts["ms/request"]).padStart(11)].join(" "));
  console.log(["Form fuzzing: answers per action", header, ...lines].join("\n"));
});

describe("form fuzzing", () => {
  it("sees a row written in a watched table, and not one in a table left out", async () => {
    const fingerprint = await databaseFingerprinter(MAY_CHANGE_ON_REFUSAL);
    const before = await fingerprint.take();
    await createUser({ name: "Témoin Écriture" });
    const afterUser = await fingerprint.take();
    expect(changedTables(before, afterUser).sort()).toEqual(["role_assignments", "users"]);
    await db.insert(authAttempts).values({ action: "sign_in", scope: "email", key: "temoin@exemple.fr", createdAt: new Date() });
    await db.transaction(async (tx) => {
      await tx.update(users).set({ name: "Témoin Annulé" });
      tx.rollback();
    }).catch(() => {});
    expect(changedTables(afterUser, await fingerprint.take()), "an excluded table and a rolled-back update count for nothing").toEqual([]);
  });

  it("has a fuzz spec for every route that exports an action, whose policy lets its person in", () => {
    expect(actionFiles.length).toBeGreaterThan(25);
    expect(actionFiles.filter((file) => !(file in ACTION_FUZZ_SPECS)), "actions without a fuzz spec").toEqual([]);
    expect(Object.keys(ACTION_FUZZ_SPECS).filter((file) => !actionFiles.includes(file)), "fuzz specs without an action").toEqual([]);
    for (const [file, spec] of Object.entries(ACTION_FUZZ_SPECS)) expect(ROUTE_POLICIES[file]?.action?.[spec.person], `${file} as ${spec.person}`).toBe(spec.policyOutcome ?? "allowed");
  });

  it.each(actionFiles)(
    `%s: ${RUNS} generated requests, never a 5xx, nothing written by a refusal`,
    async (file) => {
      const spec = ACTION_FUZZ_SPECS[file];
      expect(spec, `${file} has a fuzz spec`).toBeDefined();
      const handler = (await routeModule(file)).action!;
      const world = await createFuzzWorld();
      const started = performance.now();
      const fingerprint = await databaseFingerprinter(MAY_CHANGE_ON_REFUSAL);
      const counts: Record<string, number> = { payloads: 0 };
      let cookie = await sessionCookieOf(world.people, spec.person);
      let before: DatabaseFingerprint = await fingerprint.take();
      const arbitrary = spec.requests(world.ids);

      await fc.assert(
        fc.asyncProperty(arbitrary, async (fuzz) => {
          const needsVersions = JSON.stringify(fuzz).includes("@@");
          const request = toRequest(fuzz, cookie, needsVersions ? await dynamicValues(world) : {});
          const url = new URL(request.url);
          let response: Response;
          try {
            response = await callRoute(handler, request, paramsOf(file, `${url.pathname}${url.search}`));
          } catch (error) {
            throw new Error(`${file} threw ${String(error)} on ${describeRequest(fuzz)}`, { cause: error });
          }
          const status = response.status;
          counts.payloads += 1;
          const bucket = status < 400 ? `${Math.floor(status / 100)}xx` : String(status);
          counts[bucket] = (counts[bucket] ?? 0) + 1;
          if (status >= 500) throw new Error(`${file} answered ${status} to ${describeRequest(fuzz)}: ${(await response.text()).slice(0, 500)}`);
          await response.body?.cancel();
          if (status >= 400) {
            const after = await fingerprint.take();
            const changed = changedTables(before, after);
            if (changed.length > 0) throw new Error(`${file} refused with ${status} but changed ${changed.join(", ")} on ${describeRequest(fuzz)}`);
            return;
          }
          // Accepted: it may have written, and, when it sets a cookie, ended the session (sign-out, password change).
          if (response.headers.has("Set-Cookie")) cookie = await sessionCookieOf(world.people, spec.person);
          before = await fingerprint.take();
        }),
        { numRuns: RUNS, seed: SEED, endOnFailure: true },
      );
      statusTable[file] = { ...counts, "ms/request": Math.round((performance.now() - started) / RUNS) };
      expect(counts.payloads).toBe(RUNS);
    },
    600_000,
  );
});

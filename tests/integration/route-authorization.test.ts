import { readdirSync } from "node:fs";
import path from "node:path";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~db/client.server";
import { applicationPieces, applications } from "~db/schema";
import { stopJobQueue } from "~/jobs/queue.server";
import type { SessionUser } from "~/modules/auth/roles";
import { startSession } from "~/modules/auth/session.server";
import { fileStorage } from "~/modules/files/storage.server";
import { createOrganisation } from "../fixtures/dossiers";
import { samplePdf } from "../fixtures/files";
import { assignDirectly, BRETAGNE, createInstructionCast, createInstructionSetup, createSubmittedDossier } from "../fixtures/instruction";
import { createAdmin, createUser } from "../fixtures/users";
import { PEOPLE, ROUTE_POLICIES, type Outcome, type Person } from "./route-policies";

/**
 * The authorization matrix: every loader and action of app/routes × eight people (see
 * route-policies.ts) around one submitted Normandie dossier. The route list is read from the
 * disk, as Remix's flat routes read it, so a new route without a policy fails here. Actions
 * are posted empty (or with the policy's form): what matters is who gets past authorization,
 * not the validation after it.
 */

const ORIGIN = "http://portail.test";
const ROUTES_DIR = path.resolve(__dirname, "../../app/routes");
/** remix.config.js `ignoredRouteFiles`: tests and dotfiles are not routes. */
const routeFiles = readdirSync(ROUTES_DIR)
  .filter((name) => /\.tsx?$/.test(name) && !name.includes(".test.") && !name.startsWith("."))
  .sort();

// Some refused-or-not actions may queue mails through pg-boss: stop it before the database goes.
afterAll(() => stopJobQueue());

type Handler = (args: LoaderFunctionArgs | ActionFunctionArgs) => Promise<Response>;

let people: Record<Exclude<Person, "anonymous">, SessionUser>;
/** What the URL placeholders of the policies become. */
let placeholders: Record<string, string>;

beforeAll(async () => {
  const cast = await createInstructionCast();
  const [admin, otherApplicant] = await Promise.all([createAdmin(), createUser({ name: "Hugo Autre Porteur" })]);
  await createOrganisation([{ user: otherApplicant }], { name: "Commune d'ailleurs", kind: "commune" });
  const { call, wave2, organisation, dossier } = await createInstructionSetup(cast.applicant);
  // A second dossier of the same organisation, for the actions that would end the first one.
  const spare = await createSubmittedDossier({ callId: call.id, waveId: wave2.id, organisationId: organisation.id, owner: cast.applicant });
  // What the receipt and the piece downloads read: the submission snapshot and a stored file.
  await db.update(applications).set({ submittedData: { reference: dossier.reference, formData: dossier.formData, pieces: [] } }).where(eq(applications.id, dossier.id));
  const stored = await fileStorage().put(samplePdf("Statuts de la CPTS"));
  const [piece] = await db
    .insert(applicationPieces)
    .values({ applicationId: dossier.id, pieceCode: "autre", fileName: "Statuts.pdf", mimeType: "application/pdf", sizeBytes: stored.sizeBytes, sha256: stored.sha256, uploadedBy: cast.applicant.id })
    .returning();
  await assignDirectly(dossier.id, "ars", cast.arsNormandie.id);
  people = {
    applicant: cast.applicant,
    otherApplicant,
    arsOwnRegion: cast.arsNormandie,
    arsOtherRegion: cast.arsBretagne,
    anctNational: cast.anctNational,
    manager: cast.manager,
    admin,
  };
  expect(cast.arsBretagne.roles[0].regionCode).toBe(BRETAGNE);
  placeholders = {
    reference: dossier.reference,
    spareReference: spare.reference,
    pieceId: piece.id,
    organisationId: organisation.id,
    userId: cast.applicant.id,
    missingId: "00000000-0000-4000-8000-000000000000",
  };
});

/** A policy's URL or form value with its placeholders filled. */
function fill(pattern: string) {
  return pattern.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    if (!(name in placeholders)) throw new Error(`Unknown placeholder :${name} in ${pattern}`);
    return placeholders[name];
  });
}

/**
 * The params Remix would pass: each `$name` segment of the file name takes the URL segment at
 * the same place; the literal segments must match, so a policy URL cannot drift from its file.
 */
function paramsOf(file: string, url: string) {
  const segments = file
    .replace(/\.tsx?$/, "")
    .split(".")
    .filter((segment) => segment !== "_index");
  const parts = new URL(url, ORIGIN).pathname.split("/").filter(Boolean);
  const params: Record<string, string> = {};
  segments.forEach((segment, index) => {
    if (segment === "$") params["*"] = parts.slice(index).join("/");
    else if (segment.startsWith("$")) params[segment.slice(1)] = decodeURIComponent(parts[index] ?? "");
    else if (segment !== "_index" && segment !== "") expect(parts[index], `${file}: URL segment ${index}`).toBe(segment);
  });
  return params;
}

async function cookieFor(person: Person) {
  if (person === "anonymous") return null;
  // A fresh session per call: a sign-out or a password change posted earlier must not end it.
  return (await startSession(people[person].id)).split(";")[0];
}

/** Runs a loader or action; a thrown Response (redirect, 403, 404) is returned like a returned one. */
async function call(handler: Handler, request: Request, params: Record<string, string>) {
  try {
    const result: unknown = await handler({ request, params, context: {} });
    return result instanceof Response ? result : new Response(null, { status: 200 });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

function outcomeOf(response: Response): Outcome | `unexpected ${number}` {
  const { status } = response;
  if (status >= 300 && status < 400 && (response.headers.get("Location") ?? "").startsWith("/connexion")) return "sign-in";
  if (status === 403) return "403";
  if (status === 404) return "404";
  if (status >= 200 && status < 400) return "allowed";
  if ([400, 409, 422].includes(status)) return "allowed";
  return `unexpected ${status}`;
}

/** The rows a refused request must not have touched. */
async function footprint() {
  const result = await db.execute<Record<string, number>>(
    sql`select (select count(*)::int from applications) as applications, (select count(*)::int from decisions) as decisions,
      (select count(*)::int from ledger_entries) as ledger, (select count(*)::int from audit_log) as audit, (select count(*)::int from mails) as mails`,
  );
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Array<Record<string, number>>;
  return rows[0];
}

describe("the route list and the policies", () => {
  it("has a policy for every route file and a route file for every policy", () => {
    expect(routeFiles.length).toBeGreaterThan(40);
    expect(routeFiles.filter((file) => !(file in ROUTE_POLICIES)), "route files without a policy").toEqual([]);
    expect(Object.keys(ROUTE_POLICIES).filter((file) => !routeFiles.includes(file)), "policies without a route file").toEqual([]);
  });

  it.each(routeFiles)("%s: the policy covers exactly the loader and action it exports", async (file) => {
    const module = (await import(/* @vite-ignore */ path.join(ROUTES_DIR, file))) as Record<string, unknown>;
    const policy = ROUTE_POLICIES[file];
    expect(typeof module.loader === "function", "loader exported ⇔ loader policy").toBe(Boolean(policy?.loader));
    expect(typeof module.action === "function", "action exported ⇔ action policy").toBe(Boolean(policy?.action));
  });
});

const cases = Object.entries(ROUTE_POLICIES).flatMap(([file, policy]) =>
  (["loader", "action"] as const).flatMap((kind) => {
    const expectations = policy[kind];
    return expectations ? PEOPLE.map((person) => ({ file, kind, person, expected: expectations[person], url: policy.url, form: policy.form ?? {} })) : [];
  }),
);

describe.each(["loader", "action"] as const)("every %s", (kind) => {
  it.each(cases.filter((entry) => entry.kind === kind))("$file as $person: $expected", async ({ file, person, expected, url: pattern, form }) => {
    const module = (await import(/* @vite-ignore */ path.join(ROUTES_DIR, file))) as Record<string, Handler>;
    const url = `${ORIGIN}${fill(pattern)}`;
    const body = new FormData();
    for (const [name, value] of Object.entries(form)) body.append(name, fill(value));
    const cookie = await cookieFor(person);
    const headers: Record<string, string> = cookie ? { Cookie: cookie } : {};
    const request = kind === "loader" ? new Request(url, { headers }) : new Request(url, { method: "POST", body, headers: { ...headers, Origin: ORIGIN } });
    const before = await footprint();
    const response = await call(module[kind], request, paramsOf(file, url));
    expect(response.status, "never a server error").toBeLessThan(500);
    expect(outcomeOf(response)).toBe(expected);
    if (expected !== "allowed") expect(await footprint(), "a refused request writes nothing").toEqual(before);
  });
});

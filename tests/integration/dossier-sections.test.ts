import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~db/client.server";
import { applicationPieces, applications } from "~db/schema";
import { createDraft, saveSection } from "~/modules/applications/service.server";
import type { SessionUser } from "~/modules/auth/roles";
import { startSession } from "~/modules/auth/session.server";
import * as communesApi from "~/routes/api.communes";
import * as sectionPage from "~/routes/dossiers.$reference.$section";
import * as piecesPage from "~/routes/dossiers.$reference.pieces";
import * as pieceDownload from "~/routes/dossiers.$reference.pieces.$pieceId";
import { completeFormData, createCall, createOrganisation, setStatus } from "../fixtures/dossiers";
import { samplePdf } from "../fixtures/files";
import { createUser } from "../fixtures/users";

/**
 * The dossier steps' loaders and actions called directly with a Request, as Remix would: the
 * autosave's JSON answers (200, 400, 404, 409, 422), the same save posted without JavaScript,
 * the pieces' uploads and downloads, and the communes search.
 */

const ORIGIN = "http://portail.test";
type Handler = (args: LoaderFunctionArgs & ActionFunctionArgs) => Promise<Response>;

/** Runs a loader or action; a thrown Response (redirect, 404) is returned like a returned one. */
async function call(handler: unknown, request: Request, params: Record<string, string> = {}) {
  return (handler as Handler)({ request, params, context: {} }).catch((thrown: unknown) => {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  });
}

function postJson(path: string, body: unknown, cookie: string) {
  return new Request(`${ORIGIN}${path}`, { method: "POST", body: JSON.stringify(body), headers: { "Content-Type": "application/json", Cookie: cookie } });
}

function postForm(path: string, fields: Array<[string, string]>, cookie: string) {
  const body = new FormData();
  for (const [name, value] of fields) body.append(name, value);
  return new Request(`${ORIGIN}${path}`, { method: "POST", body, headers: { Cookie: cookie } });
}

function get(path: string, cookie: string) {
  return new Request(`${ORIGIN}${path}`, { headers: { Cookie: cookie } });
}

async function signedIn(user?: SessionUser) {
  const account = user ?? (await createUser());
  return { user: account, cookie: (await startSession(account.id)).split(";")[0] };
}

async function reload(reference: string) {
  const [row] = await db.select().from(applications).where(eq(applications.reference, reference));
  return row;
}

let owner: { user: SessionUser; cookie: string };
let reference: string;
let path: (section: string) => string;

beforeEach(async () => {
  const { call: aap } = await createCall();
  owner = await signedIn();
  const organisation = await createOrganisation([{ user: owner.user }]);
  reference = (await createDraft(owner.user, { organisationId: organisation.id, callId: aap.id })).reference;
  path = (section) => `/dossiers/${reference}/${section}`;
});

describe("autosave (JSON to the section's action)", () => {
  it("saves and answers 200 with the new version and the time of the save", async () => {
    const response = await call(sectionPage.action, postJson(path("porteur"), { section: "porteur", data: { projectTitle: "Médicobus du Perche" }, version: 1 }, owner.cookie), { reference, section: "porteur" });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toEqual({ version: 2, savedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/) });
    expect(await reload(reference)).toMatchObject({ version: 2, title: "Médicobus du Perche" });
  });

  it("answers 409 stale_version to a save made from an older version, and keeps the newer content", async () => {
    await saveSection(owner.user, reference, { section: "porteur", data: { projectTitle: "Onglet A" }, version: 1 });
    const response = await call(sectionPage.action, postJson(path("porteur"), { section: "porteur", data: { projectTitle: "Onglet B" }, version: 1 }, owner.cookie), { reference, section: "porteur" });
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ status: 409, code: "stale_version", message: expect.stringMatching(/modifié entre-temps/), fieldErrors: {} });
    expect((await reload(reference)).title).toBe("Onglet A");
  });

  it("answers 400 with the field errors keyed by the fields' ids, and writes nothing", async () => {
    const data = { costs: [{ kind: "investissement", label: "Bus", amounts: ["120 000", "douze", ""] }], requested: "-5" };
    const response = await call(sectionPage.action, postJson(path("budget"), { section: "budget", data, version: 1 }, owner.cookie), { reference, section: "budget" });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.code).toBe("invalid_section");
    expect(Object.keys(body.fieldErrors).sort()).toEqual(["budget-costs-0-amounts-1", "budget-requested"]);
    expect((await reload(reference)).version).toBe(1);
  });

  it("answers 422 with the refusal next to the communes when the territory spans two régions", async () => {
    const data = { communes: [{ code: "61001" }, { code: "35238" }] };
    const response = await call(sectionPage.action, postJson(path("territoire"), { section: "territoire", data, version: 1 }, owner.cookie), { reference, section: "territoire" });
    expect(response.status).toBe(422);
    const body = await response.json();
    expect(body.fieldErrors["territoire-communes"][0]).toMatch(/plusieurs régions \(Bretagne, Normandie\)|plusieurs régions \(Normandie, Bretagne\)/);
  });

  it("answers 404 to a member of another organisation, and to a section that is not a step", async () => {
    const stranger = await signedIn();
    await createOrganisation([{ user: stranger.user }], { name: "Autre CPTS" });
    const response = await call(sectionPage.action, postJson(path("porteur"), { section: "porteur", data: { projectTitle: "Intrus" }, version: 1 }, stranger.cookie), { reference, section: "porteur" });
    expect(response.status).toBe(404);
    expect((await reload(reference)).title).toBe("");
    expect((await call(sectionPage.loader, get(path("porteur"), stranger.cookie), { reference, section: "porteur" })).status).toBe(404);
    expect((await call(sectionPage.action, postJson(path("engagement"), { section: "engagement", data: {}, version: 1 }, owner.cookie), { reference, section: "engagement" })).status).toBe(404);
    expect((await call(sectionPage.loader, get(path("pieces-jointes"), owner.cookie), { reference, section: "pieces-jointes" })).status).toBe(404);
  });

  it("answers 400 to a body that is not a save of this section, and sends a signed-out user to sign in", async () => {
    const wrongSection = await call(sectionPage.action, postJson(path("porteur"), { section: "budget", data: {}, version: 1 }, owner.cookie), { reference, section: "porteur" });
    expect(wrongSection.status).toBe(400);
    const garbage = new Request(`${ORIGIN}${path("porteur")}`, { method: "POST", body: "{pas du json", headers: { "Content-Type": "application/json", Cookie: owner.cookie } });
    expect((await call(sectionPage.action, garbage, { reference, section: "porteur" })).status).toBe(400);
    const anonymous = await call(sectionPage.action, postJson(path("porteur"), { section: "porteur", data: {}, version: 1 }, ""), { reference, section: "porteur" });
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("Location")).toMatch(/^\/connexion\?redirectTo=/);
  });

  it("answers 409 not_editable once the dossier is submitted, and saves a section an agent reopened", async () => {
    const [row] = await db.select().from(applications).where(eq(applications.reference, reference));
    await setStatus(row.id, "submitted");
    const version = (await reload(reference)).version;
    const refused = await call(sectionPage.action, postJson(path("budget"), { section: "budget", data: {}, version }, owner.cookie), { reference, section: "budget" });
    expect(refused.status).toBe(409);
    expect((await refused.json()).code).toBe("not_editable");
    await setStatus(row.id, "changes_requested", { reopenedSections: ["budget"] });
    const reopened = await call(sectionPage.action, postJson(path("budget"), { section: "budget", data: completeFormData().budget, version: version + 1 }, owner.cookie), { reference, section: "budget" });
    expect(reopened.status).toBe(200);
    const loader = await (await call(sectionPage.loader, get(path("porteur"), owner.cookie), { reference, section: "porteur" })).json();
    expect(loader.editable).toBe(false);
  });
});

describe("the same form posted without JavaScript", () => {
  it("saves on « Enregistrer » and comes back with a notice; « Étape suivante » goes to the next step", async () => {
    const saved = await call(sectionPage.action, postForm(path("porteur"), [["version", "1"], ["intent", "save"], ["projectTitle", "Sans script"], ["partners.0.name", "Mairie"]], owner.cookie), { reference, section: "porteur" });
    expect(saved.status).toBe(302);
    expect(saved.headers.get("Location")).toBe(path("porteur"));
    expect(saved.headers.get("Set-Cookie")).toMatch(/mb_toast=/);
    expect((await reload(reference)).formData).toMatchObject({ porteur: { projectTitle: "Sans script", partners: [{ name: "Mairie" }] } });

    const next = await call(sectionPage.action, postForm(path("porteur"), [["version", "2"], ["intent", `goto:${path("territoire")}`], ["projectTitle", "Sans script"]], owner.cookie), { reference, section: "porteur" });
    expect(next.status).toBe(302);
    expect(next.headers.get("Location")).toBe(path("territoire"));
    // A target that is not a step of this page stays here.
    const elsewhere = await call(sectionPage.action, postForm(path("porteur"), [["version", "3"], ["intent", "goto:https://exemple.fr/"]], owner.cookie), { reference, section: "porteur" });
    expect(elsewhere.headers.get("Location")).toBe(path("porteur"));
  });

  it("re-renders the values as typed with the errors (400), and adds a row or a commune (200)", async () => {
    const refused = await call(sectionPage.action, postForm(path("territoire"), [["version", "1"], ["intent", "save"], ["patientsWithoutDoctor", "10"], ["ofWhichAld", "20"]], owner.cookie), { reference, section: "territoire" });
    expect(refused.status).toBe(400);
    const body = await refused.json();
    expect(body.raw).toMatchObject({ patientsWithoutDoctor: "10", ofWhichAld: "20" });
    expect(Object.keys(body.problem.fieldErrors)).toEqual(["territoire-ofWhichAld"]);

    const added = await call(sectionPage.action, postForm(path("territoire"), [["version", "1"], ["intent", "add-commune:61001"]], owner.cookie), { reference, section: "territoire" });
    expect(added.status).toBe(200);
    const answer = await added.json();
    expect(answer.communes.map((commune: { name: string }) => commune.name)).toEqual(["Alençon"]);
    expect(answer.version).toBe(2);
    expect((await reload(reference)).formData).toMatchObject({ territoire: { communes: [{ code: "61001" }] } });

    const row = await call(sectionPage.action, postForm(path("budget"), [["version", "2"], ["intent", "add:costs"]], owner.cookie), { reference, section: "budget" });
    expect((await row.json()).raw.costs).toEqual([{ key: expect.any(String), kind: "", label: "", amounts: ["", "", ""] }]);
  });

  it("finds communes for a search made without JavaScript", async () => {
    const page = await (await call(sectionPage.loader, get(`${path("territoire")}?q=Alencon`, owner.cookie), { reference, section: "territoire" })).json();
    expect(page.search.results[0]).toMatchObject({ code: "61001", name: "Alençon", departementCode: "61" });
  });
});

describe("/api/communes", () => {
  it("answers up to 20 communes to a signed-in user, 400 past 100 characters, sign-in otherwise", async () => {
    const found = await (await call(communesApi.loader, get("/api/communes?q=saint", owner.cookie))).json();
    expect(found.communes).toHaveLength(20);
    expect(Object.keys(found.communes[0]).sort()).toEqual(["code", "departementCode", "name", "population", "postalCodes"]);
    const tooLong = await call(communesApi.loader, get(`/api/communes?q=${"a".repeat(101)}`, owner.cookie));
    expect(tooLong.status).toBe(400);
    expect((await tooLong.json()).message).toMatch(/100 caractères/);
    expect((await call(communesApi.loader, get("/api/communes?q=alencon", ""))).status).toBe(302);
  });
});

describe("pieces", () => {
  function upload(pieceCode: string, file: { name: string; bytes: Uint8Array; type: string }, cookie: string, accept?: string) {
    const body = new FormData();
    body.set("file", new File([new Uint8Array(file.bytes)], file.name, { type: file.type }));
    return new Request(`${ORIGIN}${path("pieces")}?piece=${pieceCode}`, { method: "POST", body, headers: { Cookie: cookie, ...(accept ? { Accept: accept } : {}) } });
  }

  it("uploads a PDF (302 without JavaScript, 201 with), lists it, downloads it as an attachment", async () => {
    const pdf = { name: "Devis véhicule.pdf", bytes: samplePdf(), type: "application/pdf" };
    const posted = await call(piecesPage.action, upload("devis_vehicule", pdf, owner.cookie), { reference });
    expect(posted.status).toBe(302);
    expect(posted.headers.get("Location")).toBe(`${path("pieces")}#pieces-devis_vehicule`);
    const withScript = await call(piecesPage.action, upload("rib", { ...pdf, name: "rib.pdf" }, owner.cookie, "application/json"), { reference });
    expect(withScript.status).toBe(201);
    expect((await withScript.json()).message).toBe("Fichier « rib.pdf » déposé.");

    const page = await (await call(piecesPage.loader, get(path("pieces"), owner.cookie), { reference })).json();
    expect(page.editable).toBe(true);
    expect(page.pieces.slice(0, 5).every((piece: { required: boolean }) => piece.required)).toBe(true);
    const devis = page.pieces.find((piece: { code: string }) => piece.code === "devis_vehicule");
    expect(devis.files).toEqual([expect.objectContaining({ fileName: "Devis véhicule.pdf", mimeType: "application/pdf", sizeBytes: pdf.bytes.byteLength })]);

    const download = await call(pieceDownload.loader, get(`${path("pieces")}/${devis.files[0].id}`, owner.cookie), { reference, pieceId: devis.files[0].id });
    expect(download.status).toBe(200);
    expect(download.headers.get("Content-Type")).toBe("application/pdf");
    expect(download.headers.get("Content-Disposition")).toBe(`attachment; filename="Devis vehicule.pdf"; filename*=UTF-8''Devis%20v%C3%A9hicule.pdf`);
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(pdf.bytes);

    const stranger = await signedIn();
    expect((await call(pieceDownload.loader, get(`${path("pieces")}/${devis.files[0].id}`, stranger.cookie), { reference, pieceId: devis.files[0].id })).status).toBe(404);
    expect((await call(piecesPage.action, upload("rib", pdf, stranger.cookie), { reference })).status).toBe(404);
  });

  it("refuses a file of the wrong type (422), no file (400), an unknown piece (400), next to the file input", async () => {
    const html = { name: "page.pdf", bytes: new TextEncoder().encode("<html><script>alert(1)</script></html>"), type: "application/pdf" };
    const wrongType = await call(piecesPage.action, upload("statuts", html, owner.cookie), { reference });
    expect(wrongType.status).toBe(422);
    expect(await wrongType.json()).toMatchObject({ ok: false, pieceCode: "statuts", fieldErrors: { file: [expect.stringMatching(/type de fichier n'est pas accepté/)] } });
    const empty = await call(piecesPage.action, upload("statuts", { name: "", bytes: new Uint8Array(), type: "application/octet-stream" }, owner.cookie), { reference });
    expect(empty.status).toBe(400);
    const unknown = await call(piecesPage.action, upload("passeport", { name: "a.pdf", bytes: samplePdf(), type: "application/pdf" }, owner.cookie), { reference });
    expect(unknown.status).toBe(400);
    const [row] = await db.select().from(applications).where(eq(applications.reference, reference));
    expect(await db.select().from(applicationPieces).where(eq(applicationPieces.applicationId, row.id))).toEqual([]);
  });

  it("deletes a file with « Supprimer », and refuses both after submission (409)", async () => {
    await call(piecesPage.action, upload("statuts", { name: "statuts.pdf", bytes: samplePdf("Statuts"), type: "application/pdf" }, owner.cookie), { reference });
    const [row] = await db.select().from(applications).where(eq(applications.reference, reference));
    const [file] = await db.select().from(applicationPieces).where(eq(applicationPieces.applicationId, row.id));
    await setStatus(row.id, "submitted");
    const closed = await call(piecesPage.action, postForm(path("pieces"), [["intent", "delete"], ["pieceId", file.id]], owner.cookie), { reference });
    expect(closed.status).toBe(409);
    expect((await call(piecesPage.action, upload("rib", { name: "rib.pdf", bytes: samplePdf(), type: "application/pdf" }, owner.cookie), { reference })).status).toBe(409);
    expect((await (await call(piecesPage.loader, get(path("pieces"), owner.cookie), { reference })).json()).editable).toBe(false);

    await setStatus(row.id, "changes_requested", { reopenedSections: ["pieces"] });
    const deleted = await call(piecesPage.action, postForm(path("pieces"), [["intent", "delete"], ["pieceId", file.id]], owner.cookie), { reference });
    expect(deleted.status).toBe(302);
    expect(await db.select().from(applicationPieces).where(eq(applicationPieces.applicationId, row.id))).toEqual([]);
  });
});

import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { and, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~db/client.server";
import { auditLog, ledgerEntries } from "~db/schema";
import type { SessionUser } from "~/modules/auth/roles";
import { startSession } from "~/modules/auth/session.server";
import { commitAward } from "~/modules/budget/service.server";
import * as paymentsPage from "~/routes/programme.dossiers.$reference.versements";
import { createBudgetDossiers, createBudgetSetup } from "../fixtures/budget";
import { countRows, createUser } from "../fixtures/users";

/**
 * The payments page of a selected dossier through real Requests: the programme team only, the
 * ledger's rules in French next to the amount (advance within the call's 30 %, never above what
 * is left, no advance after the balance), nothing written by a refused request.
 */

const ORIGIN = "http://portail.test";
type Handler = (args: LoaderFunctionArgs | ActionFunctionArgs) => Promise<Response>;

async function call(handler: unknown, request: Request, reference: string) {
  return (handler as Handler)({ request, params: { reference }, context: {} }).catch((thrown: unknown) => {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  });
}

const cookieFor = async (user: SessionUser) => (await startSession(user.id)).split(";")[0];
const pathOf = (reference: string) => `/programme/dossiers/${reference}/versements`;

async function open(user: SessionUser, reference: string) {
  return call(paymentsPage.loader, new Request(`${ORIGIN}${pathOf(reference)}`, { headers: { Cookie: await cookieFor(user) } }), reference);
}

async function pay(user: SessionUser, reference: string, fields: Record<string, string>) {
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) body.set(name, value);
  return call(paymentsPage.action, new Request(`${ORIGIN}${pathOf(reference)}`, { method: "POST", body, headers: { Cookie: await cookieFor(user) } }), reference);
}

const plain = (text: string) => text.replace(/[\u202f\u00a0]/g, " ");
/** A refusal of the ledger is the form's own error (conform keys it ""), read in the error summary. */
const formError = (reply: { error?: Record<string, string[]> }) => reply.error?.[""]?.[0] ?? "";
let setup: Awaited<ReturnType<typeof createBudgetSetup>>;
let reference: string;
let applicationId: string;
const paymentsOf = () => db.select().from(ledgerEntries).where(and(eq(ledgerEntries.applicationId, applicationId), eq(ledgerEntries.kind, "payment")));

/** €100,000 committed to a dossier: the advance may reach €30,000 (the call's 30 %). */
beforeEach(async () => {
  setup = await createBudgetSetup();
  const [dossier] = await createBudgetDossiers(setup, setup.wave1.id, [{ status: "selected", requestedCents: 100_000_00, totalCostCents: 250_000_00 }]);
  reference = dossier.reference;
  applicationId = dossier.id;
  await commitAward(setup.manager, reference, { amountCents: 100_000_00 });
});

describe("the payments of a selected dossier", () => {
  it("shows what is committed, paid and left, and proposes the advance the call allows", async () => {
    const response = await open(setup.manager, reference);
    expect(response.status).toBe(200);
    const data = await response.json();
    expect(data.position).toMatchObject({ committedCents: 100_000_00, paidCents: 0, unpaidCents: 100_000_00 });
    expect([data.advanceSharePercent, data.advanceLeftCents, data.payments]).toEqual([30, 30_000_00, []]);
  });

  it("records the advance then the balance in the ledger, audited, and never more than what is committed", async () => {
    const audits = await countRows(auditLog);
    const advance = await pay(setup.manager, reference, { tranche: "advance", amount: "30 000", motivation: "OP 2026-114" });
    expect([advance.status, advance.headers.get("Location")]).toEqual([302, pathOf(reference)]);
    const balance = await pay(setup.manager, reference, { tranche: "balance", amount: "70 000" });
    expect(balance.status).toBe(302);
    expect((await paymentsOf()).map((row) => [row.tranche, row.amountCents, row.motivation])).toEqual([
      ["advance", 30_000_00, "OP 2026-114"],
      ["balance", 70_000_00, null],
    ]);
    expect(await countRows(auditLog)).toBe(audits + 2);

    const more = await pay(setup.manager, reference, { tranche: "balance", amount: "1" });
    expect(more.status).toBe(409);
    expect(plain(JSON.stringify(await more.json()))).toContain("Versement refusé : 1 € dépasse le reste à verser sur l'engagement (0 €).");
    const after = await (await open(setup.manager, reference)).json();
    expect(after.position).toMatchObject({ paidCents: 100_000_00, unpaidCents: 0 });
    expect(after.payments.map((payment: { tranche: string }) => payment.tranche)).toEqual(["balance", "advance"]);
  });

  it("refuses an advance above the call's share, and after the balance has started (409, at the top of the form, nothing written)", async () => {
    const above = await pay(setup.manager, reference, { tranche: "advance", amount: "30 000,01" });
    expect(above.status).toBe(409);
    const reply = await above.json();
    expect(plain(formError(reply))).toBe("Versement refusé : l'avance est limitée à 30 % de l'engagement, soit 30 000 € (0 € déjà versés en avance).");
    await pay(setup.manager, reference, { tranche: "balance", amount: "10 000" });
    const late = await pay(setup.manager, reference, { tranche: "advance", amount: "5 000" });
    expect(late.status).toBe(409);
    expect(formError(await late.json())).toBe("Versement refusé : le solde a commencé à être versé, l'avance n'est plus possible.");
    expect((await paymentsOf()).map((row) => row.tranche)).toEqual(["balance"]);
  });

  it("answers bad input with French messages by field (400) and writes nothing", async () => {
    const cases: Array<[Record<string, string>, string, string]> = [
      [{ amount: "1 000" }, "tranche", "Choisissez la tranche : avance ou solde."],
      [{ tranche: "advance", amount: "" }, "amount", "Indiquez le montant versé."],
      [{ tranche: "advance", amount: "0" }, "amount", "Le montant versé doit être positif."],
      [{ tranche: "avance-bis", amount: "1 000" }, "tranche", "Choisissez la tranche : avance ou solde."],
    ];
    for (const [fields, field, message] of cases) {
      const response = await pay(setup.manager, reference, fields);
      expect(response.status, JSON.stringify(fields)).toBe(400);
      expect((await response.json()).error[field]).toEqual([message]);
    }
    const notANumber = await pay(setup.manager, reference, { tranche: "advance", amount: "trente mille" });
    expect(notANumber.status).toBe(400);
    expect((await notANumber.json()).error.amount).toHaveLength(1);
    expect(await paymentsOf()).toEqual([]);
  });

  it("is for the programme team only: 403 to the others, 404 for an unknown dossier, nothing written", async () => {
    const ars = await createUser({ roles: [{ role: "ars_agent", regionCode: "28" }] });
    const anct = await createUser({ roles: ["anct_agent"] });
    for (const user of [setup.applicant, ars, anct]) {
      expect((await open(user, reference)).status).toBe(403);
      expect((await pay(user, reference, { tranche: "advance", amount: "1 000" })).status).toBe(403);
    }
    expect((await open(setup.manager, "MB-2026-INCONNU")).status).toBe(404);
    expect((await pay(setup.manager, "MB-2026-INCONNU", { tranche: "advance", amount: "1 000" })).status).toBe(404);
    expect(await paymentsOf()).toEqual([]);
  });
});

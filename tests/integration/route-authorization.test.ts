import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~db/client.server";
import { stopJobQueue } from "~/jobs/queue.server";
import { PEOPLE, ROUTE_POLICIES, type Outcome, type Person } from "./route-policies";
import { callRoute, ORIGIN, paramsOf, routeFiles, routeModule } from "./support/routes";
import { createPoliciesWorld, fillPlaceholders, sessionCookieOf } from "./support/world";

/**
 * The authorization matrix: every loader and action of app/routes × eight people (see
 * route-policies.ts) around one submitted Normandie dossier. The route list is read from the
 * disk, as Remix's flat routes read it, so a new route without a policy fails here. Actions
 * are posted empty (or with the policy's form): what matters is who gets past authorization,
 * not the validation after it.
 */

// Some refused-or-not actions may queue mails through pg-boss: stop it before the database goes.
afterAll(() => stopJobQueue());

let world: Awaited<ReturnType<typeof createPoliciesWorld>>;

beforeAll(async () => {
  world = await createPoliciesWorld();
});

const fill = (pattern: string) => fillPlaceholders(pattern, world.placeholders);

// A fresh session per call: a sign-out or a password change posted earlier must not end it.
const cookieFor = (person: Person) => sessionCookieOf(world.people, person);

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
    const module = await routeModule(file);
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
    const module = await routeModule(file);
    const url = `${ORIGIN}${fill(pattern)}`;
    const body = new FormData();
    for (const [name, value] of Object.entries(form)) body.append(name, fill(value));
    const cookie = await cookieFor(person);
    const headers: Record<string, string> = cookie ? { Cookie: cookie } : {};
    const request = kind === "loader" ? new Request(url, { headers }) : new Request(url, { method: "POST", body, headers: { ...headers, Origin: ORIGIN } });
    const before = await footprint();
    const response = await callRoute(module[kind]!, request, paramsOf(file, url));
    expect(response.status, "never a server error").toBeLessThan(500);
    expect(outcomeOf(response)).toBe(expected);
    if (expected !== "allowed") expect(await footprint(), "a refused request writes nothing").toEqual(before);
  });
});

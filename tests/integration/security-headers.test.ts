import { createHash } from "node:crypto";
import type { AddressInfo } from "node:net";
import type { ActionFunctionArgs, AppLoadContext, LoaderFunctionArgs } from "@remix-run/node";
import { eq } from "drizzle-orm";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~db/client.server";
import { sessions, tokens } from "~db/schema";
import { securityHeaders, type SecurityOptions } from "~/http/csp";
import { startSession } from "~/modules/auth/session.server";
import * as adminPage from "~/routes/admin._index";
import * as accountPage from "~/routes/compte";
import * as signInPage from "~/routes/connexion";
import * as forgotPage from "~/routes/mot-de-passe-oublie";
import * as resetPage from "~/routes/reinitialiser-mot-de-passe";
import { samplePdf } from "../fixtures/files";
import { countMails, countSessions, createUser, lastMail, sessionCookie, TEST_PASSWORD, tokenFromMail, uniqueEmail } from "../fixtures/users";

/**
 * What issue 6 asks of the portal's security, over HTTP: the headers of every kind of response,
 * and the session and token guarantees, through the account pages as Remix calls them.
 * (The production build in Chromium — nonces on every script, no violation — is checked by
 * tests/e2e/security-headers.test.ts.)
 */

// ─── Headers ─────────────────────────────────────────────────────────────────────────────────

/**
 * The shell's security middleware in front of one response of each kind the portal sends. The
 * routes stand in for Remix's: the headers come from the middleware alone, whatever answers after it.
 */
function shellWith(options: SecurityOptions) {
  const app = express();
  app.use(securityHeaders(options));
  app.get("/page", (_req, res) => {
    res.type("html").send(`<!doctype html><script nonce="${res.locals.cspNonce}">1</script>`);
  });
  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  app.get("/piece.pdf", (_req, res) => {
    res.type("application/pdf").setHeader("Content-Disposition", "inline");
    res.send(Buffer.from(samplePdf()));
  });
  app.use((_req, res) => {
    res.status(404).type("html").send("<!doctype html><p>Page introuvable</p>");
  });
  return app;
}

const servers: Record<"demo" | "production" | "development", string> = { demo: "", production: "", development: "" };
const closers: Array<() => void> = [];

beforeAll(async () => {
  const modes: Record<keyof typeof servers, SecurityOptions> = {
    demo: { viteDevServer: false, production: false },
    production: { viteDevServer: false, production: true },
    development: { viteDevServer: true, production: false },
  };
  for (const [mode, options] of Object.entries(modes) as Array<[keyof typeof servers, SecurityOptions]>) {
    const server = shellWith(options).listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    servers[mode] = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    closers.push(() => server.close());
  }
});

afterAll(() => {
  for (const close of closers) close();
});

const RESPONSES = [
  { kind: "HTML", path: "/page", status: 200, type: "text/html" },
  { kind: "JSON", path: "/healthz", status: 200, type: "application/json" },
  { kind: "PDF", path: "/piece.pdf", status: 200, type: "application/pdf" },
  { kind: "404", path: "/inconnue", status: 404, type: "text/html" },
] as const;

function nonceOf(policy: string | null) {
  return /script-src 'self' 'nonce-([A-Za-z0-9+/=]+)'/.exec(policy ?? "")?.[1];
}

describe("security headers on every kind of response", () => {
  for (const response of RESPONSES) {
    it(`${response.kind}: policy with a fresh nonce, nosniff, referrer, framing, permissions, opener; no HSTS outside production`, async () => {
      const [first, second] = await Promise.all([fetch(`${servers.demo}${response.path}`), fetch(`${servers.demo}${response.path}`)]);
      expect(first.status).toBe(response.status);
      expect(first.headers.get("content-type")).toContain(response.type);
      const policy = first.headers.get("content-security-policy");
      expect(policy).toContain("default-src 'self'");
      expect(policy).toContain("frame-ancestors 'none'");
      expect(policy).toContain("object-src 'none'");
      expect(policy).not.toMatch(/script-src[^;]*'unsafe-inline'/);
      expect(policy).not.toContain("upgrade-insecure-requests");
      expect(nonceOf(policy)).toBeTruthy();
      expect(nonceOf(second.headers.get("content-security-policy"))).not.toBe(nonceOf(policy));
      expect(first.headers.get("x-content-type-options")).toBe("nosniff");
      expect(first.headers.get("referrer-policy")).toBe("same-origin");
      expect(first.headers.get("x-frame-options")).toBe("DENY");
      expect(first.headers.get("permissions-policy")).toBe("camera=(), microphone=(), geolocation=(), payment=(), usb=()");
      expect(first.headers.get("cross-origin-opener-policy")).toBe("same-origin");
      expect(first.headers.get("strict-transport-security")).toBeNull();
    });

    it(`${response.kind} in production mode: HSTS and upgrade-insecure-requests as well`, async () => {
      const answer = await fetch(`${servers.production}${response.path}`);
      expect(answer.status).toBe(response.status);
      expect(answer.headers.get("strict-transport-security")).toBe("max-age=63072000; includeSubDomains");
      expect(answer.headers.get("content-security-policy")).toMatch(/; upgrade-insecure-requests$/);
    });
  }

  it("hands the page the nonce of its own response's policy", async () => {
    const answer = await fetch(`${servers.demo}/page`);
    expect(await answer.text()).toContain(`<script nonce="${nonceOf(answer.headers.get("content-security-policy"))}">`);
  });

  it("loosens scripts for Vite's development server only, still refusing framing and plugins", async () => {
    const policy = (await fetch(`${servers.development}/page`)).headers.get("content-security-policy");
    expect(policy).toContain("script-src 'self' 'unsafe-inline'");
    expect(policy).toContain("connect-src 'self' ws:");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toContain("object-src 'none'");
  });
});

// ─── Sessions and tokens ─────────────────────────────────────────────────────────────────────

const ORIGIN = "http://portail.test";
type Handler = (args: LoaderFunctionArgs | ActionFunctionArgs) => Promise<Response>;

function post(path: string, fields: Record<string, string>, cookie?: string) {
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) body.set(name, value);
  return new Request(`${ORIGIN}${path}`, { method: "POST", body, headers: cookie ? { Cookie: cookie } : {} });
}

/** Runs a loader or action as Remix would, with the load context the shell gives; a thrown Response is returned. */
async function call(handler: Handler, request: Request, context: AppLoadContext = {}) {
  return handler({ request, params: {}, context }).catch((thrown: unknown) => {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  });
}

async function cookieFor(userId: string) {
  return (await startSession(userId)).split(";")[0];
}

/** What a browser holding this cookie gets on the account page: 200, or the sign-in page. */
async function accountPageWith(cookie: string) {
  const response = await call(accountPage.loader as Handler, new Request(`${ORIGIN}/compte`, { headers: { Cookie: cookie } }));
  return response.status === 302 ? response.headers.get("Location") : response.status;
}

const SIGN_IN_PAGE = "/connexion?redirectTo=%2Fcompte";
const NEW_PASSWORD = "un-tout-nouveau-mot-de-passe";

describe("sessions end on the server", () => {
  it("a password change from the account page signs out every device and renews the session id of the browser that made it", async () => {
    const user = await createUser();
    const [here, laptop, phone] = [await cookieFor(user.id), await cookieFor(user.id), await cookieFor(user.id)];
    const changed = await call(
      accountPage.action as Handler,
      post("/compte", { currentPassword: TEST_PASSWORD, password: NEW_PASSWORD, confirmation: NEW_PASSWORD }, here),
    );
    expect([changed.status, changed.headers.get("Location")]).toEqual([302, "/compte"]);
    expect(await accountPageWith(laptop)).toBe(SIGN_IN_PAGE);
    expect(await accountPageWith(phone)).toBe(SIGN_IN_PAGE);
    // The old cookie of this browser is dead too; the answer carries a new session.
    expect(await accountPageWith(here)).toBe(SIGN_IN_PAGE);
    const renewed = sessionCookie(changed);
    expect(renewed).not.toBeNull();
    expect(renewed).not.toBe(here);
    expect(await accountPageWith(renewed!)).toBe(200);
    expect(await countSessions(user.id)).toBe(1);
  });

  it("a password reset by mail signs out every device, and deletes their sessions", async () => {
    const user = await createUser();
    const cookies = [await cookieFor(user.id), await cookieFor(user.id)];
    await call(forgotPage.action as Handler, post("/mot-de-passe-oublie", { email: user.email }));
    const token = tokenFromMail(await lastMail(user.email, "reset-password"), "/reinitialiser-mot-de-passe");
    const reset = await call(resetPage.action as Handler, post("/reinitialiser-mot-de-passe", { token, password: NEW_PASSWORD, confirmation: NEW_PASSWORD }));
    expect(reset.status).toBe(302);
    for (const cookie of cookies) expect(await accountPageWith(cookie)).toBe(SIGN_IN_PAGE);
    expect(await countSessions(user.id)).toBe(0);
  });
});

describe("links sent by mail are stored hashed", () => {
  /** Every stored column of the user's tokens: the secret of the link must be in none of them. */
  async function storedTokens(userId: string) {
    return db.select().from(tokens).where(eq(tokens.userId, userId));
  }
  const sha256 = (value: string) => createHash("sha256").update(value, "utf8").digest("hex");

  it("password reset: the database holds the SHA-256 of the link's secret, never the secret", async () => {
    const user = await createUser();
    await call(forgotPage.action as Handler, post("/mot-de-passe-oublie", { email: user.email }));
    const token = tokenFromMail(await lastMail(user.email, "reset-password"), "/reinitialiser-mot-de-passe");
    const rows = await storedTokens(user.id);
    expect(rows.map((row) => [row.purpose, row.tokenHash])).toEqual([["reset_password", sha256(token)]]);
    expect(JSON.stringify(rows)).not.toContain(token);
  });

  it("agent invitation: the same", async () => {
    const admin = await createUser({ roles: ["admin"] });
    const email = uniqueEmail("invite");
    const invited = await call(adminPage.action as Handler, post("/admin", { email, name: "Inès Invitée", role: "program_manager" }, await cookieFor(admin.id)));
    expect(invited.status).toBe(302);
    const token = tokenFromMail(await lastMail(email, "agent-invitation"), "/invitation");
    const [agent] = await db.select({ userId: tokens.userId }).from(tokens).where(eq(tokens.tokenHash, sha256(token)));
    const rows = await storedTokens(agent.userId);
    expect(rows.map((row) => row.purpose)).toEqual(["invitation"]);
    expect(JSON.stringify(rows)).not.toContain(token);
  });
});

describe("throttling answers 429", () => {
  it("« mot de passe oublié »: the 4th request within the hour for one address is refused, and sends nothing", async () => {
    const user = await createUser();
    for (let i = 0; i < 3; i++) {
      expect((await call(forgotPage.action as Handler, post("/mot-de-passe-oublie", { email: user.email }))).status).toBe(302);
    }
    const refused = await call(forgotPage.action as Handler, post("/mot-de-passe-oublie", { email: user.email }));
    expect(refused.status).toBe(429);
    expect((await refused.json()).error[""][0]).toMatch(/^Trop de tentatives/);
    expect(await countMails(user.email)).toBe(3);
  });

  it("sign-in: an IP (from the shell's load context) that failed on 20 addresses is refused even the right password elsewhere", async () => {
    const context = { clientIp: "203.0.113.27" };
    for (let i = 0; i < 20; i++) {
      const failed = await call(signInPage.action as Handler, post("/connexion", { email: uniqueEmail("essai"), password: "pas-le-bon-mot-de-passe" }), context);
      expect(failed.status).toBe(401);
    }
    const user = await createUser();
    const refused = await call(signInPage.action as Handler, post("/connexion", { email: user.email, password: TEST_PASSWORD }), context);
    expect(refused.status).toBe(429);
    expect(await countSessions(user.id)).toBe(0);
    // Another IP is not concerned.
    const elsewhere = await call(signInPage.action as Handler, post("/connexion", { email: user.email, password: TEST_PASSWORD }), { clientIp: "198.51.100.4" });
    expect(elsewhere.status).toBe(302);
    expect(await db.select({ id: sessions.id }).from(sessions).where(eq(sessions.userId, user.id))).toHaveLength(1);
  });
});

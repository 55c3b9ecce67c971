import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db, transaction } from "~db/client.server";
import { tokens } from "~db/schema";
import { createUser } from "../../../tests/fixtures/users";
import { consumeToken, inspectToken, issueToken, TOKEN_TTL_MINUTES, TokenError } from "./tokens.server";

const at = (iso: string) => new Date(iso);

async function consume(purpose: Parameters<typeof consumeToken>[1], token: string, now: Date) {
  return transaction((tx) => consumeToken(tx, purpose, token, now)).catch((error: unknown) => error);
}

describe("single-use tokens", () => {
  it("has the lifetimes of the brief: 24 h, 60 min, 7 days", () => {
    expect(TOKEN_TTL_MINUTES).toEqual({ verify_email: 1440, reset_password: 60, invitation: 10_080 });
  });

  it("stores only the SHA-256 of a 32-byte base64url secret", async () => {
    const user = await createUser();
    const { token } = await transaction((tx) => issueToken(tx, "verify_email", user.id));
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const rows = await db.select().from(tokens).where(eq(tokens.userId, user.id));
    expect(rows).toHaveLength(1);
    expect(rows[0].tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0].tokenHash).not.toContain(token);
  });

  it("is accepted once, then refused as « déjà utilisé »", async () => {
    const user = await createUser();
    const now = at("2025-03-01T10:00:00Z");
    const { token } = await transaction((tx) => issueToken(tx, "reset_password", user.id, now));
    expect(await consume("reset_password", token, now)).toEqual({ userId: user.id });
    const again = await consume("reset_password", token, now);
    expect(again).toBeInstanceOf(TokenError);
    expect((again as TokenError).problem).toBe("used");
    expect((again as TokenError).status).toBe(410);
    expect((again as TokenError).message).toMatch(/déjà été utilisé/);
  });

  it("expires at the end of its lifetime, to the second", async () => {
    const user = await createUser();
    const issuedAt = at("2025-03-01T10:00:00Z");
    const { token, expiresAt } = await transaction((tx) => issueToken(tx, "reset_password", user.id, issuedAt));
    expect(expiresAt.toISOString()).toBe("2025-03-01T11:00:00.000Z");
    expect((await inspectToken(db, "reset_password", token, at("2025-03-01T10:59:59Z"))).problem).toBeNull();
    const late = await consume("reset_password", token, at("2025-03-01T11:00:00Z"));
    expect((late as TokenError).problem).toBe("expired");
    expect((late as TokenError).message).toMatch(/expiré/);
  });

  it("refuses an unknown token and a token of another purpose as « invalide »", async () => {
    const user = await createUser();
    const { token } = await transaction((tx) => issueToken(tx, "verify_email", user.id));
    expect(((await consume("verify_email", "nope", new Date())) as TokenError).problem).toBe("invalid");
    const wrongPurpose = await consume("reset_password", token, new Date());
    expect((wrongPurpose as TokenError).problem).toBe("invalid");
    expect((wrongPurpose as TokenError).status).toBe(400);
  });

  it("voids the older unused reset links when a new one is issued", async () => {
    const user = await createUser();
    const first = await transaction((tx) => issueToken(tx, "reset_password", user.id));
    const second = await transaction((tx) => issueToken(tx, "reset_password", user.id));
    expect(((await consume("reset_password", first.token, new Date())) as TokenError).problem).toBe("used");
    expect(await consume("reset_password", second.token, new Date())).toEqual({ userId: user.id });
  });

  it("lets only one of two concurrent uses succeed", async () => {
    const user = await createUser();
    const { token } = await transaction((tx) => issueToken(tx, "invitation", user.id));
    const results = await Promise.all([consume("invitation", token, new Date()), consume("invitation", token, new Date())]);
    expect(results.filter((result) => !(result instanceof TokenError))).toHaveLength(1);
  });
});

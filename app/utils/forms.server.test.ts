import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "~db/client.server";
import { DomainError } from "./errors";
import { replyWithError } from "./forms.server";

// A submission as conform's parseWithZod gives it, reduced to what replyWithError reads.
const submission = { payload: { body: "a\u0000b" }, reply: (options?: { formErrors?: string[] }) => ({ status: "error" as const, error: { "": options?.formErrors ?? [] } }) };

describe("replyWithError", () => {
  it("answers 400 in French when the database refuses a text holding a NUL character (not a 500)", async () => {
    const refused = await db.execute(sql`select ${"a\u0000b"}::text as body`).then(() => null, (error: unknown) => error);
    expect(refused, "the database refuses the NUL character").not.toBeNull();
    const response = replyWithError(submission, refused);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: Record<string, string[]> }).error[""]?.[0]).toMatch(/caractère nul/);
  });

  it("still lets any other error through (a 500)", () => {
    expect(() => replyWithError(submission, new Error("panne"))).toThrow("panne");
    expect(replyWithError(submission, new DomainError("conflict", 409, "Déjà fait.")).status).toBe(409);
  });
});

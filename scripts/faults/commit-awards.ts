/**
 * One of the two committing processes of scripts/faults/two-processes.ts: at FAULTS_START_AT
 * (epoch ms, so that both start together) it commits the awards listed in FAULTS_COMMITS
 * (JSON [{ reference, amountCents }]) through the ledger service (commitAward, as the payments
 * and decision pages do), eight at a time, as the program manager FAULTS_ACTOR_EMAIL. Prints one
 * JSON line: what was committed and what was refused, with the refusal codes.
 */
import { eq } from "drizzle-orm";
import { closeDatabase, db } from "~db/client.server";
import { users } from "~db/schema";
import { commitAward } from "~/modules/budget/service.server";
import { DomainError } from "~/utils/errors";

const commits = JSON.parse(process.env.FAULTS_COMMITS ?? "[]") as Array<{ reference: string; amountCents: number }>;
const [user] = await db.select().from(users).where(eq(users.email, process.env.FAULTS_ACTOR_EMAIL ?? ""));
const actor = { id: user.id, email: user.email, name: user.name, roles: [{ role: "program_manager" as const, regionCode: null }] };

await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(process.env.FAULTS_START_AT) - Date.now())));
const committed: string[] = [];
const refused: Record<string, number> = {};
const queue = [...commits];
await Promise.all(
  Array.from({ length: 8 }, async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      try {
        await commitAward(actor, next.reference, { amountCents: next.amountCents, motivation: "Engagement concurrent (scénario de panne)" });
        committed.push(next.reference);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        refused[error.code] = (refused[error.code] ?? 0) + 1;
      }
    }
  }),
);
console.log(JSON.stringify({ committed, refused }));
await closeDatabase();

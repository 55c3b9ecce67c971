import { eq } from "drizzle-orm";
import { generateIdFromEntropySize } from "lucia";
import { transaction } from "~db/client.server";
import { calls, roleAssignments, users, waves, type Role } from "~db/schema";
import { zonedToday } from "~/modules/calls/time";
import { CallRulesSchema } from "~/modules/calls/schema";
import { hashPassword } from "~/modules/auth/password.server";
import { DEMO_WAVE1_APPLICANT_EMAIL, DEMO_WAVE1_APPLICANT_NAME, seedDemoDossiers } from "./demo-dossiers";

export const DEMO_PASSWORD = "Medicobus-demo-2026";

/**
 * One account per role; the ARS agent is scoped to Normandie (INSEE région 28). The first
 * applicant starts with nothing (its journeys create an organisation); the second owns the
 * wave-1 dossier ranked first (db/seed/demo-dossiers.ts).
 */
export const DEMO_ACCOUNTS: ReadonlyArray<{ email: string; name: string; role: Role; regionCode: string | null }> = [
  { email: "porteur@demo.medicobus.fr", name: "Camille Porteur", role: "applicant", regionCode: null },
  { email: DEMO_WAVE1_APPLICANT_EMAIL, name: DEMO_WAVE1_APPLICANT_NAME, role: "applicant", regionCode: null },
  { email: "ars.normandie@demo.medicobus.fr", name: "Dominique Instructeur", role: "ars_agent", regionCode: "28" },
  { email: "anct@demo.medicobus.fr", name: "Claude Évaluateur", role: "anct_agent", regionCode: null },
  { email: "programme@demo.medicobus.fr", name: "Alex Programme", role: "program_manager", regionCode: null },
  { email: "admin@demo.medicobus.fr", name: "Sacha Admin", role: "admin", regionCode: null },
];

export const DEMO_CALL_SLUG = "medicobus-2024";

function shiftDays(isoDate: string, days: number) {
  const date = new Date(`${isoDate}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/**
 * The demo call with the real call's figures (€10M, 100 buses, two waves), wave 1 closed and
 * wave 2 open relative to today, the demo accounts and the demo dossiers. Safe to run at every
 * start: existing rows are left as they are.
 */
export async function seedDemo(now = new Date()) {
  const today = zonedToday("Europe/Paris", now);
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await transaction(async (tx) => {
    await tx
      .insert(calls)
      .values({
        slug: DEMO_CALL_SLUG,
        title: "Médicobus — appel à projets",
        summary:
          "L'État finance 100 médicobus, des cabinets médicaux itinérants qui vont au-devant des patients dans les territoires où l'accès aux soins est le plus difficile. Les projets sont portés par les CPTS, les centres de santé et les collectivités, et déposés auprès de l'ARS de leur région.",
        envelopeCents: 10_000_000_00,
        busTarget: 100,
        rules: CallRulesSchema.parse({}),
      })
      .onConflictDoNothing({ target: calls.slug });
    const [call] = await tx.select({ id: calls.id }).from(calls).where(eq(calls.slug, DEMO_CALL_SLUG));
    await tx
      .insert(waves)
      .values([
        {
          callId: call.id,
          number: 1,
          title: "Vague 1",
          opensOn: shiftDays(today, -120),
          closesOn: shiftDays(today, -30),
          budgetCents: 5_000_000_00,
          busTarget: 50,
        },
        {
          callId: call.id,
          number: 2,
          title: "Vague 2",
          opensOn: shiftDays(today, -20),
          closesOn: shiftDays(today, 45),
          budgetCents: 5_000_000_00,
          busTarget: 50,
        },
      ])
      .onConflictDoNothing();

    for (const account of DEMO_ACCOUNTS) {
      await tx
        .insert(users)
        .values({ id: generateIdFromEntropySize(10), email: account.email, name: account.name, passwordHash, emailVerifiedAt: now })
        .onConflictDoNothing({ target: users.email });
      const [user] = await tx.select({ id: users.id }).from(users).where(eq(users.email, account.email));
      await tx
        .insert(roleAssignments)
        .values({ userId: user.id, role: account.role, regionCode: account.regionCode })
        .onConflictDoNothing();
    }
  });
  const email = (role: Role) => DEMO_ACCOUNTS.find((account) => account.role === role)!.email;
  await seedDemoDossiers(DEMO_CALL_SLUG, { managerEmail: email("program_manager"), arsEmail: email("ars_agent"), anctEmail: email("anct_agent") }, now);
}

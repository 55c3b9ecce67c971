import { transaction } from "~db/client.server";
import { applicationEvents, applicationPieces, applications, calls, memberships, organisations, roleAssignments, users, waves } from "~db/schema";
import type { FormData } from "~/modules/applications/form";
import { CallRulesSchema } from "~/modules/calls/schema";
import { zonedInstant } from "~/modules/calls/time";
import { REGIONS } from "~/modules/geo/regions";
import { bulkInsert } from "./bulk-insert";
import { volumeReference } from "./volume";
import {
  createRandom,
  DAY_MS,
  dossierBuilder,
  formDataFor,
  organisationFor,
  placeholderPdf,
  ruralIntercommunalities,
  sha256Hex,
  SPONSOR_KINDS,
  stateShareWithin,
  territoryOf,
  userIdFor,
} from "./generate";

/*
 * A call whose only wave closes at a chosen instant, with `count` applicants, each with its own
 * account (role applicant), organisation and a complete draft with every required piece: ready
 * to submit, as if each applicant had filled the form over the past weeks. What the deadline-rush
 * and kill-during-autosave scripts (and their test) start from. The rows are made by the builders
 * of the volume seed (generate.ts) and inserted with bulkInsert: 200 drafts in a few statements
 * rather than 1,400 saves through the services. Pieces are rows only (no file is written): the
 * submission and its receipt read the pieces' names and hashes, not their bytes.
 */

const EMAIL_DOMAIN = "rush.demo.medicobus.fr";

export interface ReadyDraft {
  userId: string;
  email: string;
  reference: string;
  applicationId: string;
  /** The draft's version: the one its first save must send. */
  version: number;
  formData: FormData;
}

/** The Europe/Paris wall clock of a minute-aligned instant, as a wave stores its closing (date, « HH:MM »). */
export function closingOf(instant: Date, timeZone = "Europe/Paris") {
  const part = (options: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat("en-CA", { timeZone, hourCycle: "h23", ...options }).format(instant);
  const closesOn = part({ year: "numeric", month: "2-digit", day: "2-digit" });
  const closingTime = part({ hour: "2-digit", minute: "2-digit" });
  if (zonedInstant(closesOn, closingTime, timeZone).getTime() !== instant.getTime()) throw new Error(`A wave closes on a whole minute: ${instant.toISOString()} is not one.`);
  return { closesOn, closingTime, timeZone };
}

export async function seedReadyDrafts(options: { count: number; closesAt: Date; seed?: number; slug?: string }) {
  const seed = options.seed ?? 1;
  const slug = options.slug ?? `rush-${seed}-${options.closesAt.getTime()}`;
  const rules = CallRulesSchema.parse({});
  const now = new Date();
  const today = now.toISOString().slice(0, 10);
  const regions = REGIONS.map((region) => region.code).filter((code) => ruralIntercommunalities(code).length > 0);
  const pieceRows = rules.pieces
    .filter((piece) => piece.required)
    .map((piece) => {
      const bytes = placeholderPdf(piece.label);
      return { pieceCode: piece.code, fileName: `${piece.code.replace(/_/g, "-")}.pdf`, mimeType: "application/pdf", sizeBytes: bytes.length, sha256: sha256Hex(bytes) };
    });

  return transaction(async (tx) => {
    const [call] = await tx
      .insert(calls)
      .values({ slug, title: "Médicobus — fin de vague", summary: `Appel de ${options.count} dossiers prêts à déposer, dont la vague ferme à un instant choisi.`, envelopeCents: 10_000_000_00, busTarget: 100, rules })
      .returning();
    const [wave] = await tx
      .insert(waves)
      .values({ callId: call.id, number: 1, title: "Vague 1", opensOn: new Date(now.getTime() - 30 * DAY_MS).toISOString().slice(0, 10), ...closingOf(options.closesAt), budgetCents: 5_000_000_00, busTarget: 50 })
      .returning();

    const rows = { users: [] as Array<typeof users.$inferInsert>, roles: [] as Array<typeof roleAssignments.$inferInsert>, organisations: [] as Array<typeof organisations.$inferInsert>, memberships: [] as Array<typeof memberships.$inferInsert>, applications: [] as Array<typeof applications.$inferInsert>, events: [] as Array<typeof applicationEvents.$inferInsert>, pieces: [] as Array<typeof applicationPieces.$inferInsert> };
    // The slug joins the seed, as in the volume seed: two calls in one database draw different
    // references, accounts and organisations.
    const mixedSeed = [...slug].reduce((hash, character) => Math.imul(hash ^ character.charCodeAt(0), 16_777_619), seed);
    const drafts: ReadyDraft[] = [];
    for (let index = 0; index < options.count; index++) {
      const random = createRandom(Math.imul(mixedSeed ^ 0x2545f491, 2_654_435_761) + index * 40_503);
      const regionCode = regions[index % regions.length];
      const epci = random.pick(ruralIntercommunalities(regionCode));
      const communes = territoryOf(random, epci, Math.min(epci.communes.length, random.int(3, 8)));
      const organisation = organisationFor(random, random.pick(SPONSOR_KINDS), epci, EMAIL_DOMAIN);
      const ownerId = userIdFor(random);
      const email = `porteur.${slug}.${index}@${EMAIL_DOMAIN}`;
      const createdAt = new Date(now.getTime() - random.int(3, 25) * DAY_MS);
      const formData = formDataFor(random, { organisation, epci, communes, requestedCents: random.int(85, 140) * 1000_00, stateShare: stateShareWithin(random, rules.stateSharePercent), projectYears: rules.projectYears, today });
      const organisationId = random.uuid();
      const dossier = dossierBuilder(random, rules, { id: random.uuid(), reference: volumeReference(mixedSeed, index), callId: call.id, waveId: wave.id, organisationId, ownerId, formData, createdAt });
      const application = dossier.application() as typeof applications.$inferInsert & { id: string; reference: string; version: number };
      const { signatoryCapacity: _capacity, ...organisationColumns } = organisation;
      rows.users.push({ id: ownerId, email, name: organisation.contactName, passwordHash: null, emailVerifiedAt: createdAt, createdAt });
      rows.roles.push({ userId: ownerId, role: "applicant", regionCode: null });
      rows.organisations.push({ id: organisationId, ...organisationColumns, contactEmail: email, createdBy: ownerId, createdAt });
      rows.memberships.push({ organisationId, userId: ownerId, role: "owner", createdAt });
      rows.applications.push(application);
      rows.events.push(...dossier.rows.events);
      rows.pieces.push(...pieceRows.map((piece) => ({ applicationId: application.id, ...piece, uploadedBy: ownerId, createdAt })));
      drafts.push({ userId: ownerId, email, reference: application.reference, applicationId: application.id, version: application.version, formData });
    }
    await bulkInsert(tx, users, rows.users);
    await bulkInsert(tx, roleAssignments, rows.roles);
    await bulkInsert(tx, organisations, rows.organisations);
    await bulkInsert(tx, memberships, rows.memberships);
    await bulkInsert(tx, applications, rows.applications);
    await bulkInsert(tx, applicationEvents, rows.events);
    await bulkInsert(tx, applicationPieces, rows.pieces);
    return { callId: call.id, waveId: wave.id, drafts };
  });
}

import { z } from "zod";
import { SECTIONS } from "~/modules/applications/form";
import { DecisionSchema } from "~/modules/instruction/schema";

/**
 * The three forms of the recevabilité tab, shared by the page (conform) and its action. The
 * services validate again (instruction/service.server.ts): these add what only the page asks,
 * the confirmation of an inadmissibility and the sections checked in the correction request.
 */

/** What a correction request may reopen: every part but the engagement, which is signed again on resubmission. */
export const REOPENABLE_SECTIONS = SECTIONS.filter((section) => section.key !== "engagement");
const REOPENABLE_KEYS = REOPENABLE_SECTIONS.map((section) => section.key) as [string, ...string[]];

/**
 * The request is posted in the thread after a heading naming the sections; the thread takes
 * 5 000 characters, so the agent's text keeps room for it.
 */
export const CORRECTION_MESSAGE_MAX = 4500;

export const AdmitSchema = DecisionSchema;

export const IneligibleSchema = DecisionSchema.extend({
  confirm: z.literal(true, { error: "Cochez la case pour confirmer que le dossier est irrecevable." }),
});

const NO_SECTION = "Choisissez au moins une partie du dossier à rouvrir.";
const NO_MESSAGE = "Écrivez ce que le porteur de projet doit corriger ou compléter.";

export const CorrectionsSchema = z.object({
  sections: z.array(z.enum(REOPENABLE_KEYS, { error: "Cette partie du dossier n'existe pas." }), { error: NO_SECTION }).min(1, NO_SECTION),
  message: z
    .string({ error: NO_MESSAGE })
    .trim()
    .min(1, NO_MESSAGE)
    .max(CORRECTION_MESSAGE_MAX, `${new Intl.NumberFormat("fr-FR").format(CORRECTION_MESSAGE_MAX)} caractères au plus.`),
});

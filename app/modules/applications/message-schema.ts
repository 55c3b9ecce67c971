import { z } from "zod";

/** Same limit as the service (messages.server MESSAGE_MAX_LENGTH), here for the page, which cannot import server code. */
export const MESSAGE_BODY_MAX = 5000;

export const MessageSchema = z.object({
  body: z
    .string({ error: "Écrivez votre message." })
    .trim()
    .min(1, "Écrivez votre message.")
    .max(MESSAGE_BODY_MAX, `Le message doit comporter au plus ${new Intl.NumberFormat("fr-FR").format(MESSAGE_BODY_MAX)} caractères.`),
});

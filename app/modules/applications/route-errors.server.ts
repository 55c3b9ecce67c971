import { DomainError } from "~/utils/errors";

/**
 * For loaders: a DomainError (a dossier outside the user's scope, a receipt before submission)
 * becomes the DSFR error page with its status and French message instead of a 500. Actions
 * answer their form instead (utils/forms.server).
 */
export async function orErrorPage<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof DomainError) throw new Response(error.message, { status: error.status });
    throw error;
  }
}

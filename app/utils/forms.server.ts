import type { Submission, SubmissionResult } from "@conform-to/react";
import { json } from "@remix-run/node";
import { inputRefusalOf, type DomainError } from "./errors";

/**
 * What an action answers when a form cannot go through: conform's result (errors by field, the
 * values typed), plus the DomainError code when a rule refused it and, on a page with several
 * forms, which form it answers.
 */
export type FormReply = SubmissionResult<string[]> & { code?: string; formId?: string };

// Never sent back to the browser: a password typed stays on the client (with JavaScript) or is
// typed again (without).
const SECRET_FIELD = /password|confirmation/i;

type AnySubmission = Pick<Submission<unknown>, "reply" | "payload">;

function secretFields(submission: AnySubmission) {
  return Object.keys(submission.payload).filter((name) => SECRET_FIELD.test(name));
}

/** 400 with the validation errors of the form. */
export function invalidSubmission(submission: AnySubmission, options: { formId?: string } = {}) {
  const reply: FormReply = { ...submission.reply({ hideFields: secretFields(submission) }), formId: options.formId };
  return json(reply, { status: 400 });
}

/**
 * A DomainError as the form's answer, with its status (409, 422, 429…): its field errors go next
 * to their fields, its message at the top of the form when no field carries it.
 */
export function domainErrorReply(submission: AnySubmission, error: DomainError, options: { formId?: string } = {}) {
  const hasFieldErrors = Object.keys(error.fieldErrors).length > 0;
  const reply: FormReply = {
    ...submission.reply({
      formErrors: hasFieldErrors ? [] : [error.message],
      fieldErrors: error.fieldErrors,
      hideFields: secretFields(submission),
    }),
    code: error.code,
    formId: options.formId,
  };
  return json(reply, { status: error.status });
}

/** In an action's catch: a DomainError (or input the database refused) becomes the form's answer; anything else stays a 500. */
export function replyWithError(submission: AnySubmission, error: unknown, options: { formId?: string } = {}) {
  const refusal = inputRefusalOf(error);
  if (refusal) return domainErrorReply(submission, refusal, options);
  throw error;
}

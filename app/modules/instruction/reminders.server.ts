import { and, asc, eq, inArray, isNull, lt, ne, or } from "drizzle-orm";
import { db, transaction } from "~db/client.server";
import { applications, evaluationAssignments, evaluations, users } from "~db/schema";
import { evaluationsOverdueMail } from "~emails/evaluations-overdue";
import { queueMail } from "~emails/send.server";
import { formatDay, zonedToday } from "~/modules/calls/time";
import { RUBRIC_LABELS } from "./schema";

/**
 * The daily reminder: each evaluator with evaluations past their due date (dossier still under
 * review, evaluation not submitted) gets one mail listing them. The dedupe key names the agent
 * and the Paris date, so a retried or doubled run sends nothing twice the same day.
 */
export async function remindOverdueEvaluations(options: { now?: Date; origin: string }) {
  const now = options.now ?? new Date();
  const rows = await db
    .select({
      evaluatorId: evaluationAssignments.evaluatorId,
      email: users.email,
      name: users.name,
      reference: applications.reference,
      title: applications.title,
      rubric: evaluationAssignments.rubric,
      dueAt: evaluationAssignments.dueAt,
    })
    .from(evaluationAssignments)
    .innerJoin(applications, eq(applications.id, evaluationAssignments.applicationId))
    .innerJoin(users, eq(users.id, evaluationAssignments.evaluatorId))
    .leftJoin(
      evaluations,
      and(eq(evaluations.applicationId, evaluationAssignments.applicationId), eq(evaluations.rubric, evaluationAssignments.rubric), eq(evaluations.evaluatorId, evaluationAssignments.evaluatorId)),
    )
    .where(and(lt(evaluationAssignments.dueAt, now), inArray(applications.status, ["under_review"]), isNull(users.disabledAt), or(isNull(evaluations.status), ne(evaluations.status, "submitted"))))
    .orderBy(asc(evaluationAssignments.evaluatorId), asc(evaluationAssignments.dueAt), asc(applications.reference));

  const byEvaluator = new Map<string, typeof rows>();
  for (const row of rows) byEvaluator.set(row.evaluatorId, [...(byEvaluator.get(row.evaluatorId) ?? []), row]);
  const day = zonedToday("Europe/Paris", now);
  const url = new URL("/instruction?assignedToMe=on", options.origin).toString();
  for (const [evaluatorId, overdue] of byEvaluator) {
    // One transaction per agent: a failure for one does not hold back the others' reminders.
    await transaction(async (tx, afterCommit) => {
      await queueMail(tx, afterCommit, {
        to: overdue[0].email,
        template: evaluationsOverdueMail,
        data: { name: overdue[0].name, url, evaluations: overdue.map((row) => ({ reference: row.reference, title: row.title, rubricLabel: RUBRIC_LABELS[row.rubric], due: formatDay(row.dueAt) })) },
        dedupeKey: `evaluations-overdue:${evaluatorId}:${day}`,
      });
    });
  }
  return { agents: byEvaluator.size, evaluations: rows.length };
}

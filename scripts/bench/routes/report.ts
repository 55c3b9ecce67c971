import type { LoadFigures } from "./load";

export const HEADING = "## Routes sous charge";
/** The target of issue 6: each hot route's p95 at most twice its floor's, judged on the data request. */
export const TARGET_RATIO = 2;

export interface MeasuredRoute {
  label: string;
  request: "données" | "document" | "enregistrement";
  path: string;
  /** SQL statements the portal sent for one such request (session lookup included). */
  statements: number;
  portal: LoadFigures;
  floor: LoadFigures;
}

const ms = (value: number) => (Number.isNaN(value) ? "aucune réponse" : `${value.toFixed(1)} ms`);
const cpu = (figures: LoadFigures) => (figures.cpuMsPerRequest === undefined ? "—" : `${figures.cpuMsPerRequest.toFixed(2)} ms`);
/** No answer within the measure at all is the worst ratio, not a missing one. */
export const ratioOf = (route: MeasuredRoute) => (route.portal.ok === 0 ? Number.POSITIVE_INFINITY : route.portal.p95 / route.floor.p95);
/** The ≤ 2× target is judged on the like-for-like requests: the loader's data and the autosave (JSON both sides). */
export const judged = (route: MeasuredRoute) => route.request !== "document";

export function tableOf(routes: MeasuredRoute[]) {
  const rows = routes.map((route) => {
    const ratio = ratioOf(route);
    const verdict = judged(route) ? (ratio <= TARGET_RATIO ? "atteint" : "**non atteint**") : "indicatif";
    return `| ${route.label} | ${route.request} | ${route.statements} | ${ms(route.portal.p50)} / ${ms(route.portal.p95)} / ${ms(route.portal.p99)} | ${route.portal.requestsPerSecond.toFixed(0)} | ${route.portal.errors} | ${ms(route.floor.p50)} / ${ms(route.floor.p95)} / ${ms(route.floor.p99)} | ${route.floor.requestsPerSecond.toFixed(0)} | ${route.floor.errors} | ${cpu(route.portal)} / ${cpu(route.floor)} | ${ratio.toFixed(2)} | ${verdict} |`;
  });
  return [
    "| route | requête | SQL | portail p50 / p95 / p99 | portail req/s | portail erreurs | plancher p50 / p95 / p99 | plancher req/s | plancher erreurs | CPU par requête portail / plancher | p95 portail / plancher | objectif ≤ 2× |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ...rows,
  ].join("\n");
}

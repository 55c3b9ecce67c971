import type { FormData } from "~/modules/applications/form";

/*
 * An applicant's browser, reduced to the requests the rush and the fault scripts make: the
 * autosave (the JSON the section form posts to its route, see useAutosave), the submission
 * (the form of the récapitulatif page, posted without JavaScript: a 302 to the dossier page,
 * which the browser then loads), a page or a file. Every answer is timed. The Origin header is
 * the portal's own, as a browser sends it (the same-origin guard refuses a POST without it).
 */

export interface Timed {
  kind: string;
  status: number;
  ms: number;
  /** Set when no HTTP answer came (connection refused or reset). */
  networkError?: string;
}

const SECTION_ROUTE_ID = "routes/dossiers.$reference.$section";

export function applicantClient(baseUrl: string, cookie: string, record: (timed: Timed) => void = () => {}) {
  async function timed<T>(kind: string, send: () => Promise<Response>, read: (response: Response) => Promise<T>): Promise<{ status: number; body: T | null }> {
    const started = performance.now();
    try {
      const response = await send();
      const body = await read(response);
      record({ kind, status: response.status, ms: performance.now() - started });
      return { status: response.status, body };
    } catch (error) {
      record({ kind, status: 0, ms: performance.now() - started, networkError: error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error) });
      return { status: 0, body: null };
    }
  }
  const headers = { Cookie: cookie, Origin: baseUrl };
  return {
    autosave(reference: string, section: string, data: unknown, version: number) {
      const url = `${baseUrl}/dossiers/${reference}/${section}?_data=${encodeURIComponent(SECTION_ROUTE_ID)}`;
      return timed(
        "autosave",
        () => fetch(url, { method: "POST", headers: { ...headers, "Content-Type": "application/json", Accept: "application/json" }, body: JSON.stringify({ section, data, version }) }),
        (response) => response.json() as Promise<{ version?: number; savedAt?: string; code?: string; message?: string }>,
      );
    },
    /** The « Déposer le dossier » button of the récapitulatif page; answers the status, the redirect and the page's text. */
    submit(reference: string) {
      return timed(
        "submit",
        () => fetch(`${baseUrl}/dossiers/${reference}/recapitulatif`, { method: "POST", redirect: "manual", headers: { ...headers, "Content-Type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ intent: "submit" }) }),
        async (response) => ({ location: response.headers.get("Location"), text: await response.text() }),
      );
    },
    get(kind: string, pathname: string) {
      return timed(kind, () => fetch(`${baseUrl}${pathname}`, { headers, redirect: "manual" }), async (response) => ({ type: response.headers.get("Content-Type") ?? "", bytes: new Uint8Array(await response.arrayBuffer()) }));
    },
    /** The section's data and the dossier's version, as the section page's loader gives them to the form. */
    readSection(reference: string, section: string) {
      return timed("read", () => fetch(`${baseUrl}/dossiers/${reference}/${section}?_data=${encodeURIComponent(SECTION_ROUTE_ID)}`, { headers }), (response) => response.json() as Promise<{ version: number; data: unknown }>);
    },
  };
}

/** The sections an applicant goes through while autosaving, in order; each save changes one of them. */
export const EDITED_SECTIONS = ["porteur", "projet", "vehicule", "territoire", "budget"] as const;
export type EditedSection = (typeof EDITED_SECTIONS)[number];

/**
 * The section an applicant's `n`-th save sends, with `marker` (unique to the save) typed in a
 * field of it: what was acknowledged can then be recognised in the database. The values stay
 * within the form's rules, so the dossier can still be submitted afterwards.
 */
export function editedSection(formData: FormData, n: number, marker: string): { section: EditedSection; data: Record<string, unknown> } {
  const section = EDITED_SECTIONS[n % EDITED_SECTIONS.length];
  const tag = ` [${marker}]`;
  switch (section) {
    case "porteur":
      return { section, data: { ...formData.porteur, summary: `${formData.porteur?.summary ?? ""}${tag}` } };
    case "projet":
      return { section, data: { ...formData.projet, cptsCoordination: `${formData.projet?.cptsCoordination ?? ""}${tag}` } };
    case "vehicule":
      return { section, data: { ...formData.vehicule, equipment: `${formData.vehicule?.equipment ?? ""}${tag}` } };
    case "territoire":
      // A number field: the count of patients grows by one at each save (the ALD share stays below it).
      return { section, data: { ...formData.territoire, patientsWithoutDoctor: (formData.territoire?.patientsWithoutDoctor ?? 0) + n + 1 } };
    case "budget": {
      const [first, ...others] = formData.budget?.costs ?? [];
      return { section, data: { ...formData.budget, costs: [{ ...first, label: `${first?.label ?? ""}${tag}`.slice(-200) }, ...others] } };
    }
  }
}

/** p50, p95, p99 (nearest rank) and the count, in milliseconds. */
export function percentiles(values: readonly number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]);
  return { count: sorted.length, p50: at(50), p95: at(95), p99: at(99), max: sorted.at(-1) ?? NaN };
}

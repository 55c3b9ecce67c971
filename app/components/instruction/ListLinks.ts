/**
 * The list's URL is its state: filters, sort and page live in the query string, so a filtered
 * list can be bookmarked, shared and reloaded, and every link on the page keeps the filters.
 */

export const LIST_PATH = "/instruction";

/** The query-string names the list reads (the fields of DossierListFiltersSchema). */
export const LIST_PARAMS = ["q", "waveId", "regionCode", "departementCode", "status", "assignedToMe", "flagged", "scoreMin", "scoreMax", "sort", "direction", "page", "pageSize"] as const;
export type ListParam = (typeof LIST_PARAMS)[number];
export type ListValues = Partial<Record<ListParam, string>>;

/** The list's parameters from a URL, blank ones dropped; anything else in the query is ignored. */
export function readListValues(searchParams: URLSearchParams): ListValues {
  const values: ListValues = {};
  for (const name of LIST_PARAMS) {
    const value = searchParams.get(name);
    if (value !== null && value.trim() !== "") values[name] = value;
  }
  return values;
}

/**
 * The list's URL with some parameters changed (null removes one). Any change but the page's
 * goes back to page 1: the old page number means nothing in a different list.
 */
export function listHref(values: ListValues, changes: Partial<Record<ListParam, string | null>>) {
  const next: ListValues = { ...values };
  if (!("page" in changes)) delete next.page;
  for (const [name, value] of Object.entries(changes) as Array<[ListParam, string | null]>) {
    if (value === null || value === "") delete next[name];
    else next[name] = value;
  }
  const query = new URLSearchParams(LIST_PARAMS.flatMap((name) => (next[name] ? [[name, next[name]]] : []))).toString();
  return query ? `${LIST_PATH}?${query}` : LIST_PATH;
}

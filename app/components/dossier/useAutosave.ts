import { useCallback, useEffect, useRef, useState } from "react";

/** A refused save, as the section's action answers it (a DomainError as JSON). */
export interface SaveProblem {
  status: number;
  code: string;
  message: string;
  /** Keyed by the ids of the page's fields. */
  fieldErrors: Record<string, string[]>;
}

export type AutosaveStatus =
  | { kind: "idle" }
  | { kind: "saving" }
  | { kind: "saved"; savedAt: string }
  /** 400 / 422: the values were refused; the next change is tried again. */
  | { kind: "invalid"; problem: SaveProblem }
  /** The network or the server failed: tried again shortly. */
  | { kind: "offline" }
  /** 409 stale_version: another tab or co-editor saved first; saving stops until a reload. */
  | { kind: "stale"; problem: SaveProblem }
  /** Not editable any more, not found, signed out: saving stops. */
  | { kind: "closed"; problem: SaveProblem };

export type FlushOutcome = "saved" | "invalid" | "offline" | "stopped";

export interface AutosavePayload {
  data: unknown;
  /** The server keys errors by what was sent; the page may number its rows differently. */
  pageErrors(fieldErrors: Record<string, string[]>): Record<string, string[]>;
}

const RETRY_MS = 5_000;

const SIGNED_OUT: Omit<SaveProblem, "fieldErrors"> = {
  status: 401,
  code: "signed_out",
  message: "Votre session a expiré : reconnectez-vous dans un autre onglet, puis enregistrez de nouveau. Votre dernière saisie n'est pas enregistrée.",
};

function asProblem(status: number, body: unknown, pageErrors: AutosavePayload["pageErrors"]): SaveProblem {
  const value = (typeof body === "object" && body !== null ? body : {}) as Partial<SaveProblem>;
  return {
    status,
    code: typeof value.code === "string" ? value.code : "unknown",
    message: typeof value.message === "string" ? value.message : "L'enregistrement a échoué.",
    fieldErrors: pageErrors(typeof value.fieldErrors === "object" && value.fieldErrors !== null ? value.fieldErrors : {}),
  };
}

/**
 * Saves a section as the user types: `changed()` after each edit, a save a second after the last
 * one, `flush()` before leaving the step. Saves go one at a time, each with the version the
 * previous one returned; edits made meanwhile are sent next, as one. When the page goes away with
 * an edit not yet sent, it leaves in a `keepalive` request.
 */
export function useAutosave(options: { url: string; section: string; version: number; enabled: boolean; prepare: () => AutosavePayload; delayMs?: number }) {
  const { url, section, enabled, delayMs = 1_000 } = options;
  const [status, setStatus] = useState<AutosaveStatus>({ kind: "idle" });
  const version = useRef(options.version);
  const prepare = useRef(options.prepare);
  const dirty = useRef(false);
  const stopped = useRef(!enabled);
  const running = useRef<Promise<FlushOutcome> | null>(null);
  const lastOutcome = useRef<FlushOutcome>("saved");
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const sentOnHide = useRef(false);

  useEffect(() => {
    prepare.current = options.prepare;
  });

  const post = useCallback(
    (payload: AutosavePayload, atVersion: number, keepalive = false) =>
      fetch(url, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify({ section, data: payload.data, version: atVersion }),
        credentials: "same-origin",
        keepalive,
      }),
    [url, section],
  );

  const schedule = useRef<(ms: number) => void>(() => {});

  const run = useCallback(async (): Promise<FlushOutcome> => {
    while (dirty.current && !stopped.current) {
      dirty.current = false;
      const payload = prepare.current();
      setStatus({ kind: "saving" });
      let response: Response;
      try {
        response = await post(payload, version.current);
      } catch {
        dirty.current = true;
        setStatus({ kind: "offline" });
        schedule.current(RETRY_MS);
        return "offline";
      }
      // Remix answers a data request whose loader or action redirects (to /connexion) with a 204.
      if (response.headers.has("X-Remix-Redirect")) {
        stopped.current = true;
        setStatus({ kind: "closed", problem: { ...SIGNED_OUT, fieldErrors: {} } });
        return "stopped";
      }
      const body: unknown = await response.json().catch(() => null);
      if (response.ok && typeof body === "object" && body !== null && "version" in body && typeof body.version === "number") {
        version.current = body.version;
        setStatus({ kind: "saved", savedAt: "savedAt" in body && typeof body.savedAt === "string" ? body.savedAt : new Date().toISOString() });
        continue;
      }
      if (response.status >= 500) {
        dirty.current = true;
        setStatus({ kind: "offline" });
        schedule.current(RETRY_MS);
        return "offline";
      }
      const problem = asProblem(response.status, body, payload.pageErrors);
      if (response.status === 400 || response.status === 422) {
        setStatus({ kind: "invalid", problem });
        return "invalid";
      }
      stopped.current = true;
      setStatus(problem.code === "stale_version" ? { kind: "stale", problem } : { kind: "closed", problem });
      return "stopped";
    }
    return stopped.current ? "stopped" : "saved";
  }, [post]);

  const flush = useCallback((): Promise<FlushOutcome> => {
    clearTimeout(timer.current);
    if (running.current) return running.current;
    if (stopped.current) return Promise.resolve("stopped");
    if (!dirty.current) return Promise.resolve(lastOutcome.current);
    const current = run().then((outcome) => {
      lastOutcome.current = outcome;
      running.current = null;
      // An edit made while the last request was out, after the loop looked: send it too.
      if (dirty.current && !stopped.current && outcome !== "offline") schedule.current(delayMs);
      return outcome;
    });
    running.current = current;
    return current;
  }, [run, delayMs]);

  useEffect(() => {
    schedule.current = (ms: number) => {
      clearTimeout(timer.current);
      timer.current = setTimeout(() => void flush(), ms);
    };
  }, [flush]);

  const changed = useCallback(() => {
    if (stopped.current) return;
    dirty.current = true;
    schedule.current(delayMs);
  }, [delayMs]);

  /** True while an edit is waiting, being sent, or was refused: leaving the step must wait or ask. */
  const unsaved = useCallback(() => !stopped.current && (dirty.current || running.current !== null || lastOutcome.current === "invalid"), []);

  /** « Enregistrer »: save now, even when nothing changed since the last save (the user asked). */
  const saveNow = useCallback(() => {
    if (!stopped.current) dirty.current = true;
    return flush();
  }, [flush]);

  useEffect(() => {
    // Leaving the page (closing the tab, following a link out of the portal): a normal request
    // could be cut, a keepalive one is delivered. A save still out is expected to succeed, so
    // this one asks for the version after it (if it did not, this one is refused as stale,
    // which is right).
    const onPageHide = () => {
      if (stopped.current || !dirty.current) return;
      clearTimeout(timer.current);
      dirty.current = false;
      sentOnHide.current = true;
      post(prepare.current(), running.current ? version.current + 1 : version.current, true).catch(() => {});
    };
    // Back from the browser's page cache after such a request: the version held here is old.
    const onPageShow = (event: PageTransitionEvent) => {
      if (event.persisted && sentOnHide.current) window.location.reload();
    };
    const onVisibilityChange = () => {
      if (document.visibilityState === "hidden") void flush();
    };
    window.addEventListener("pagehide", onPageHide);
    window.addEventListener("pageshow", onPageShow);
    document.addEventListener("visibilitychange", onVisibilityChange);
    return () => {
      window.removeEventListener("pagehide", onPageHide);
      window.removeEventListener("pageshow", onPageShow);
      document.removeEventListener("visibilitychange", onVisibilityChange);
      clearTimeout(timer.current);
      // Unmounted by a navigation that did not wait for flush(): the edit still goes.
      if (dirty.current && !stopped.current) {
        dirty.current = false;
        post(prepare.current(), running.current ? version.current + 1 : version.current, true).catch(() => {});
      }
    };
  }, [flush, post]);

  return { status, changed, flush, saveNow, unsaved };
}

import { useId, useRef, useState } from "react";

/**
 * A download link that shows its progress. Without JavaScript it is a plain link: the browser
 * downloads the file. With JavaScript the click fetches the file, reads it as it streams in,
 * counts the rows received (CSV: line ends; XLSX, compressed: bytes against an estimate) against
 * the X-Total-Rows header the server sends first, shows a progress bar and a spoken status, then
 * hands the file to the browser to save.
 */

type State = { phase: "idle" } | { phase: "running"; percent: number; text: string } | { phase: "done"; text: string } | { phase: "error"; text: string };

/** Compressed XLSX bytes per row, roughly: enough for a bar that moves, capped below 100 % until the end. */
const XLSX_BYTES_PER_ROW = 60;
const LINE_FEED = 10;

function fileNameOf(response: Response, fallback: string) {
  const header = response.headers.get("Content-Disposition") ?? "";
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(header)?.[1];
  if (encoded) return decodeURIComponent(encoded);
  return /filename="([^"]+)"/i.exec(header)?.[1] ?? fallback;
}

const integer = (value: number) => new Intl.NumberFormat("fr-FR").format(value);

export function ExportDownload({ href, format, label, listTitle }: { href: string; format: "csv" | "xlsx"; label: string; listTitle: string }) {
  const [state, setState] = useState<State>({ phase: "idle" });
  const running = useRef(false);
  const statusId = useId();

  async function download(event: React.MouseEvent<HTMLAnchorElement>) {
    if (event.ctrlKey || event.metaKey || event.shiftKey || event.altKey || event.button !== 0) return;
    event.preventDefault();
    if (running.current) return;
    running.current = true;
    setState({ phase: "running", percent: 0, text: `Préparation de l'export « ${listTitle} »…` });
    try {
      const response = await fetch(href, { credentials: "same-origin" });
      if (!response.ok || !response.body) throw new Error((await response.text()) || `Erreur ${response.status}`);
      const total = Number(response.headers.get("X-Total-Rows") ?? "0");
      const reader = response.body.getReader();
      const chunks: Uint8Array[] = [];
      let bytes = 0;
      let lines = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        bytes += value.length;
        if (format === "csv") for (const byte of value) if (byte === LINE_FEED) lines += 1;
        // CSV: the first line is the header. XLSX: an estimate from the bytes, never shown as finished early.
        const rows = format === "csv" ? Math.max(0, lines - 1) : Math.min(total, Math.floor(bytes / XLSX_BYTES_PER_ROW));
        const percent = total > 0 ? Math.min(format === "csv" ? 100 : 99, Math.round((rows / total) * 100)) : 0;
        setState({ phase: "running", percent, text: format === "csv" ? `${integer(rows)} lignes sur ${integer(total)} reçues` : `${integer(Math.round(bytes / 1024))} ko reçus (environ ${percent} %)` });
      }
      const blob = new Blob(chunks as BlobPart[], { type: response.headers.get("Content-Type") ?? "application/octet-stream" });
      const url = URL.createObjectURL(blob);
      const link = document.createElement("a");
      link.href = url;
      link.download = fileNameOf(response, `export.${format}`);
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setState({ phase: "done", text: `Export « ${listTitle} » terminé : ${integer(total)} lignes, fichier ${link.download} enregistré.` });
    } catch (error) {
      setState({ phase: "error", text: `L'export « ${listTitle} » a échoué : ${error instanceof Error ? error.message : String(error)}` });
    } finally {
      running.current = false;
    }
  }

  return (
    <div className="fr-mb-1w">
      <a className="fr-link fr-icon-download-line fr-link--icon-left" href={href} download onClick={download} aria-describedby={state.phase === "idle" ? undefined : statusId}>
        {label}
      </a>
      {state.phase === "running" ? (
        <div
          role="progressbar"
          aria-label={`Progression de l'export « ${listTitle} » (${format.toUpperCase()})`}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={state.percent}
          aria-valuetext={state.text}
          style={{ height: "0.5rem", marginTop: "0.25rem", background: "var(--background-contrast-grey)", maxWidth: "12rem" }}
        >
          <div style={{ height: "100%", width: `${state.percent}%`, background: "var(--background-action-high-blue-france)" }} />
        </div>
      ) : null}
      <p id={statusId} role="status" className={`fr-text--xs fr-mb-0${state.phase === "error" ? " fr-error-text" : ""}`}>
        {state.phase === "idle" ? "" : state.text}
      </p>
    </div>
  );
}

import type { GetLoadContextFunction } from "@remix-run/express";
import { createReadableStreamFromReadable, createRequestHandler as createRemixHandler, type ServerBuild } from "@remix-run/node";
import type { NextFunction, Request as ExpressRequest, Response as ExpressResponse } from "express";

/**
 * Remix's Express handler, with a response writer that waits for the client. @remix-run/express
 * 2.17 writes a response body as fast as it is produced and ignores `write()`'s « full » answer:
 * an export (100,000 rows, 21 MB of CSV) sent to a client slower than the database piled up in
 * the process's memory, and a client that went away did not stop the export's queries. Here a
 * chunk is read only once the previous one has drained (through the compression middleware,
 * which forwards the wait), and a closed connection cancels the body, so the export's generator
 * stops (docs/benchmarks.md, « Exports »). The rest is Remix's handler as it is; the request is
 * built as @remix-run/express builds it (its package does not export that function).
 */
export function createRequestHandler(options: { build: ServerBuild | (() => Promise<ServerBuild>); mode: string; getLoadContext?: GetLoadContextFunction }) {
  const handleRequest = createRemixHandler(options.build, options.mode);
  return async (req: ExpressRequest, res: ExpressResponse, next: NextFunction) => {
    try {
      const request = createRemixRequest(req, res);
      const loadContext = await options.getLoadContext?.(req, res);
      await sendResponse(res, await handleRequest(request, loadContext));
    } catch (error) {
      next(error);
    }
  };
}

/** The web Request of an Express request, as @remix-run/express 2.17 makes it. */
function createRemixRequest(req: ExpressRequest, res: ExpressResponse) {
  // req.hostname has no port: take it from X-Forwarded-Host or Host.
  const hostPort = Number.parseInt(req.get("X-Forwarded-Host")?.split(":")[1] ?? "", 10);
  const port = Number.isSafeInteger(hostPort) ? hostPort : Number.parseInt(req.get("host")?.split(":")[1] ?? "", 10);
  // req.hostname respects the « trust proxy » setting; originalUrl is the full path.
  const url = new URL(`${req.protocol}://${req.hostname}${Number.isSafeInteger(port) ? `:${port}` : ""}${req.originalUrl}`);
  let controller: AbortController | null = new AbortController();
  const headers = new Headers();
  for (const [key, values] of Object.entries(req.headers)) {
    if (!values) continue;
    if (Array.isArray(values)) for (const value of values) headers.append(key, value);
    else headers.set(key, values);
  }
  const init: RequestInit & { duplex?: "half" } = { method: req.method, headers, signal: controller.signal };
  if (req.method !== "GET" && req.method !== "HEAD") {
    init.body = createReadableStreamFromReadable(req);
    init.duplex = "half";
  }
  // Loaders and actions are aborted when the connection closes before the response is sent.
  res.on("finish", () => (controller = null));
  res.on("close", () => controller?.abort());
  return new Request(url.href, init);
}

/** The compression middleware adds flush(): streamed HTML must not wait in its buffer. */
type FlushableResponse = ExpressResponse & { flush?: () => void };

export async function sendResponse(res: FlushableResponse, response: Response) {
  res.statusMessage = response.statusText;
  res.status(response.status);
  for (const [key, value] of response.headers.entries()) res.append(key, value);
  if (/text\/event-stream/i.test(response.headers.get("Content-Type") ?? "")) res.flushHeaders();
  if (!response.body) {
    res.end();
    return;
  }
  // One listener of each for the whole response: compression moves « drain » listeners onto its
  // zlib stream, where a once() wrapper could not be removed from the response.
  let wake: (() => void) | null = null;
  let closed = false;
  const resume = () => {
    wake?.();
    wake = null;
  };
  res.on("drain", resume);
  res.on("close", () => {
    closed = true;
    resume();
  });
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const full = !res.write(value);
      res.flush?.();
      if (full && !closed) await new Promise<void>((resolve) => (wake = resolve));
      if (closed || res.destroyed) break;
    }
    // A client gone before the end: cancelling the body stops whatever produces it (an export's queries).
    if (closed || res.destroyed) await reader.cancel();
    else res.end();
  } catch (error) {
    res.destroy(error instanceof Error ? error : new Error(String(error)));
    throw error;
  } finally {
    reader.releaseLock();
  }
}

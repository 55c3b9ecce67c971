import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { connect } from "node:net";
import compression from "compression";
import express from "express";
import { afterEach, describe, expect, it } from "vitest";
import { sendResponse } from "./remix-handler";

/*
 * The response writer against a client that stops reading: a body of 64 MB in 64 kB chunks, of
 * which the writer may only take what the socket's buffers hold (a few MB on loopback), and which
 * is cancelled once the client has gone. The Remix writer it replaces read all 1,000 chunks.
 */

const CHUNKS = 1_000;
const CHUNK_BYTES = 64 * 1024;

function countingBody() {
  const counts = { pulled: 0, cancelled: false };
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      counts.pulled += 1;
      // Text that gzip cannot shrink much: hexadecimal of random bytes.
      if (counts.pulled > CHUNKS) controller.close();
      else controller.enqueue(new TextEncoder().encode(randomBytes(CHUNK_BYTES / 2).toString("hex")));
    },
    cancel() {
      counts.cancelled = true;
    },
  });
  return { body, counts };
}

const closers: Array<() => void> = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

async function serve(contentType: string) {
  const { body, counts } = countingBody();
  const app = express();
  app.use(compression());
  app.get("/", (_req, res, next) => {
    sendResponse(res, new Response(body, { headers: { "Content-Type": contentType } })).catch(next);
  });
  const server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  closers.push(() => server.close());
  return { port: (server.address() as AddressInfo).port, counts };
}

describe("sendResponse", () => {
  for (const [label, contentType] of [
    ["compressed (text/csv through gzip)", "text/csv; charset=utf-8"],
    ["not compressed (XLSX)", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"],
  ] as const) {
    it(`reads the body only as fast as the client takes it, and cancels it when the client leaves: ${label}`, async () => {
      const { port, counts } = await serve(contentType);
      const socket = connect(port, "127.0.0.1");
      socket.write("GET / HTTP/1.1\r\nHost: localhost\r\nAccept-Encoding: gzip\r\n\r\n");
      // The client reads the first bytes (headers), then stops reading.
      await new Promise((resolve) => socket.once("data", resolve));
      socket.pause();
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const pulledWhileStalled = counts.pulled;
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(counts.pulled).toBe(pulledWhileStalled);
      expect(pulledWhileStalled).toBeLessThan(CHUNKS / 4);

      socket.destroy();
      for (let waited = 0; !counts.cancelled && waited < 2_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(counts.cancelled).toBe(true);
      expect(counts.pulled).toBeLessThan(CHUNKS / 4);
    });
  }
});

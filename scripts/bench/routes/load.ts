import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";

/*
 * autocannon (ADR 011) as a library: N connections kept busy for a duration, every answer's
 * latency collected from its `response` event (the value it also puts in its histogram; its
 * summary has no p95), non-2xx answers and socket errors counted as errors.
 */
interface AutocannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  setupRequest?: (request: AutocannonRequest, context: Record<string, unknown>) => AutocannonRequest;
  onResponse?: (status: number, body: string, context: Record<string, unknown>) => void;
}
interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  "2xx": number;
}
interface AutocannonInstance {
  on(event: "response", listener: (client: unknown, status: number, bytes: number, responseTime: number) => void): void;
}
type Autocannon = (options: Record<string, unknown>, done: (error: Error | null, result: AutocannonResult) => void) => AutocannonInstance;

// why createRequire: autocannon ships CommonJS without type declarations; the few fields used are typed above.
const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

export interface LoadOptions {
  url: string;
  connections: number;
  seconds: number;
  headers?: Record<string, string>;
  requests?: AutocannonRequest[];
}

export interface LoadFigures {
  p50: number;
  p95: number;
  p99: number;
  requestsPerSecond: number;
  total: number;
  ok: number;
  errors: number;
  /** Answers by HTTP status, to name the errors. */
  statuses: Record<number, number>;
  /**
   * CPU time the server's processes spent per answer during the measure (user + system, from
   * /proc): unlike latency, it hardly depends on what else the machine runs.
   */
  cpuMsPerRequest?: number;
}

/** CPU time (ms) used so far by every process of a process group (the server and its children), from /proc. */
export function processGroupCpuMs(groupId: number) {
  const ticksPerSecond = 100; // USER_HZ, 100 on Linux
  let ticks = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // ended meanwhile
    }
    // Fields after the command name (which may hold spaces), from field 3 on: state, ppid, pgrp, …, utime (14), stime (15).
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(fields[2]) === groupId) ticks += Number(fields[11]) + Number(fields[12]);
  }
  return (ticks * 1000) / ticksPerSecond;
}

function percentile(sorted: number[], share: number) {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)];
}

export function load(options: LoadOptions): Promise<LoadFigures> {
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      { url: options.url, connections: options.connections, duration: options.seconds, pipelining: 1, timeout: 30, headers: options.headers, requests: options.requests },
      (error, result) => {
        if (error) return reject(error);
        latencies.sort((a, b) => a - b);
        resolve({
          p50: percentile(latencies, 0.5),
          p95: percentile(latencies, 0.95),
          p99: percentile(latencies, 0.99),
          requestsPerSecond: result.requests.total / options.seconds,
          total: result.requests.total,
          ok: result["2xx"],
          errors: result.errors + result.timeouts + result.non2xx,
          statuses,
        });
      },
    );
    instance.on("response", (_client, status, _bytes, responseTime) => {
      latencies.push(responseTime);
      statuses[status] = (statuses[status] ?? 0) + 1;
    });
  });
}

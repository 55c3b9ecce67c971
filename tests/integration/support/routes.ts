import { readdirSync } from "node:fs";
import path from "node:path";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { expect } from "vitest";

/**
 * Calling the route modules of app/routes as Remix would, without a server: the route list read
 * from the disk (so a new file shows up in every test built on it), the params of a URL, and a
 * handler's answer whether it returns or throws its Response.
 */

export const ORIGIN = "http://portail.test";
export const ROUTES_DIR = path.resolve(__dirname, "../../../app/routes");

/** remix.config.js `ignoredRouteFiles`: tests and dotfiles are not routes. */
export const routeFiles = readdirSync(ROUTES_DIR)
  .filter((name) => /\.tsx?$/.test(name) && !name.includes(".test.") && !name.startsWith("."))
  .sort();

export type Handler = (args: LoaderFunctionArgs | ActionFunctionArgs) => Promise<Response>;

export async function routeModule(file: string) {
  return (await import(/* @vite-ignore */ path.join(ROUTES_DIR, file))) as Record<string, Handler | undefined>;
}

/**
 * The params Remix would pass: each `$name` segment of the file name takes the URL segment at
 * the same place; the literal segments must match, so a policy URL cannot drift from its file.
 */
export function paramsOf(file: string, url: string) {
  const segments = file
    .replace(/\.tsx?$/, "")
    .split(".")
    .filter((segment) => segment !== "_index");
  const parts = new URL(url, ORIGIN).pathname.split("/").filter(Boolean);
  const params: Record<string, string> = {};
  segments.forEach((segment, index) => {
    if (segment === "$") params["*"] = parts.slice(index).join("/");
    else if (segment.startsWith("$")) params[segment.slice(1)] = decodeURIComponent(parts[index] ?? "");
    else if (segment !== "_index" && segment !== "") expect(parts[index], `${file}: URL segment ${index}`).toBe(segment);
  });
  return params;
}

/** Runs a loader or action; a thrown Response (redirect, 403, 404) is returned like a returned one. */
export async function callRoute(handler: Handler, request: Request, params: Record<string, string>) {
  try {
    const result: unknown = await handler({ request, params, context: {} });
    return result instanceof Response ? result : new Response(null, { status: 200 });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

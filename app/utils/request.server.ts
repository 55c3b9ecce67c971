import type { AppLoadContext } from "@remix-run/node";
import { env } from "~/env.server";

declare module "@remix-run/node" {
  interface AppLoadContext {
    /** The client's IP as Express sees it (trusting only a proxy on the loopback). */
    clientIp?: string | null;
  }
}

/**
 * The origin that links in mails point to: PUBLIC_URL when the portal sits behind a proxy
 * with a public name, otherwise the origin the request came to.
 */
export function publicOrigin(request: Request) {
  return env.PUBLIC_URL ? new URL(env.PUBLIC_URL).origin : new URL(request.url).origin;
}

/**
 * Where links point when no request is at hand (scheduled jobs, scripts, services called
 * outside a page): PUBLIC_URL, else the portal on this machine.
 */
export function defaultOrigin() {
  return env.PUBLIC_URL ? new URL(env.PUBLIC_URL).origin : `http://localhost:${env.PORT}`;
}

/** What the account verbs need from the request: where links point, who is asking. */
export function requestContext(request: Request, context: AppLoadContext | undefined) {
  return { origin: publicOrigin(request), ip: context?.clientIp ?? null };
}

import { randomBytes } from "node:crypto";
import type { RequestHandler } from "express";

declare module "@remix-run/node" {
  interface AppLoadContext {
    /**
     * This response's Content-Security-Policy nonce. The inline scripts the server renders (the
     * colour-scheme script, Remix's hydration data, React's streaming scripts) carry it; an
     * injected script cannot, because it changes on every request.
     */
    cspNonce?: string;
  }
}

/** 16 random bytes, as the CSP specification recommends (at least 128 bits), in base64. */
export function createNonce() {
  return randomBytes(16).toString("base64");
}

export interface SecurityOptions {
  /**
   * Vite's development server (`npm run dev`) injects inline scripts of its own (React Refresh)
   * that carry no nonce, and talks to the page over a websocket on another port. Its policy is
   * looser; `npm start` serves the build with the strict one.
   */
  viteDevServer: boolean;
  /**
   * PORTAL_MODE=production: the portal is reached over https (ADR 006). HSTS and
   * upgrade-insecure-requests would break the demo on http://localhost, so only then.
   */
  production: boolean;
}

/**
 * The policy, directive by directive. Scripts run only from our own origin or with this
 * response's nonce: no 'unsafe-inline', no 'unsafe-eval'.
 *
 * Styles may be inline. React components write `style={{…}}` attributes (DSFR's and ours), the
 * DSFR script sets some, the mails shown in the development mailbox are styled inline as mail
 * clients require, and some components render a <style> element (the département map's SVG) —
 * also in the browser after a client-side navigation, where no nonce is known. Injected CSS
 * cannot run code, and the usual way CSS leaks a page's content (loading a URL built from it)
 * is closed: images, fonts and connections go to the portal's own origin only.
 */
export function contentSecurityPolicy(nonce: string, options: SecurityOptions) {
  const strict = !options.viteDevServer;
  const directives: Array<[string, ...string[]]> = [
    ["default-src", "'self'"],
    strict ? ["script-src", "'self'", `'nonce-${nonce}'`] : ["script-src", "'self'", "'unsafe-inline'"],
    ["style-src", "'self'", "'unsafe-inline'"],
    // data: for the DSFR's inlined icons and pictograms.
    ["img-src", "'self'", "data:"],
    ["font-src", "'self'"],
    // Vite's hot reload websocket listens on its own port, which 'self' does not cover.
    strict ? ["connect-src", "'self'"] : ["connect-src", "'self'", "ws:"],
    ["object-src", "'none'"],
    ["base-uri", "'self'"],
    ["form-action", "'self'"],
    ["frame-ancestors", "'none'"],
  ];
  if (options.production) directives.push(["upgrade-insecure-requests"]);
  return directives.map((directive) => directive.join(" ")).join("; ");
}

/**
 * The camera, microphone, location and payment APIs: the portal uses none of them, so no page —
 * nor anything injected into one — may ask for them. Only features Chromium knows are listed (an
 * unknown one is reported as an error in the console).
 */
const PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()";

/**
 * Sets the security headers of every response (pages, data, files, assets) and puts a fresh
 * nonce in `res.locals.cspNonce` for the Remix load context.
 */
export function securityHeaders(options: SecurityOptions): RequestHandler {
  return (_req, res, next) => {
    const nonce = createNonce();
    res.locals.cspNonce = nonce;
    res.setHeader("Content-Security-Policy", contentSecurityPolicy(nonce, options));
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Referrer-Policy", "same-origin");
    // frame-ancestors says the same to current browsers; older ones only know this header.
    res.setHeader("X-Frame-Options", "DENY");
    res.setHeader("Permissions-Policy", PERMISSIONS_POLICY);
    // A window this portal opens, or that opens it, gets no handle on the other (window.opener).
    res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
    if (options.production) res.setHeader("Strict-Transport-Security", "max-age=63072000; includeSubDomains");
    next();
  };
}

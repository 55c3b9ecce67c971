import { z } from "zod";

/*
 * Zod compiles a faster parser for object schemas with `new Function`, after probing whether it
 * may. The Content-Security-Policy forbids eval (app/http/csp.ts): in the browser the probe fails
 * harmlessly but is reported as a policy violation on every page with a form. So the browser's zod
 * does not try. The probe runs when a schema is created, at import: root.tsx imports this module
 * first, before any route's schemas. The server, under no policy, keeps the faster parser.
 */
if (typeof document !== "undefined") z.config({ jitless: true });

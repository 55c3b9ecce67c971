/**
 * The first half of `npm start`: builds the portal when the sources are newer than the build,
 * then exits, so that the portal itself runs as plain `node build/server/start.js` (ADR 012).
 */
import { buildIfStale } from "./lib/portal-build";

const ms = buildIfStale();
if (ms !== null) console.log(`Construction : ${(ms / 1000).toFixed(1)} s`);

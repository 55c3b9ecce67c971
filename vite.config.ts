import path from "node:path";
import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig, type Plugin } from "vite";
import tsconfigPaths from "vite-tsconfig-paths";
import remixConfig from "./remix.config.js";

/**
 * The production server (app/http/start.server.ts: migrations, demo seed, jobs, HTTP) built as a
 * second entry of Remix's server build, `build/server/start.js`. One Rollup graph for both entries:
 * the modules they share (db client, env, jobs, services) are one copy in shared chunks, loaded
 * once by `node build/server/start.js` and then by Remix's index.js — one database pool, no tsx
 * loader in the process (ADR 012).
 */
function portalServerEntry(): Plugin {
  let ssrBuild = false;
  return {
    name: "medicobus:portal-server-entry",
    apply: "build",
    config(_config, env) {
      ssrBuild = Boolean(env.isSsrBuild);
    },
    buildStart() {
      if (ssrBuild) this.emitFile({ type: "chunk", id: path.resolve("app/http/start.server.ts"), fileName: "start.js" });
    },
  };
}

export default defineConfig({
  plugins: [remix(remixConfig), tsconfigPaths(), portalServerEntry()],
  ssr: {
    // react-dsfr ships CSS imports and ESM that Node cannot load untransformed.
    noExternal: ["@codegouvfr/react-dsfr"],
  },
  build: { target: "es2022" },
  server: { hmr: { port: Number(process.env.HMR_PORT ?? 24678) } },
});

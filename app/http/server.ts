import { readdirSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import { env, isProduction } from "~/env.server";
import { securityHeaders } from "./csp";
import { isSameOriginMutation } from "./origin";
import { createRequestHandler } from "./remix-handler";

export interface StartedServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/**
 * The HTTP server of the portal, for production (`npm start`) and development (`npm run dev`,
 * with Vite's middleware). Express is only the outer shell: static assets, compression, the
 * security headers and the same-origin guard; every page is a Remix route.
 */
export async function startHttpServer(options: { mode: "production" | "development"; port?: number }): Promise<StartedServer> {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", "loopback");
  app.use(compression());

  app.use(securityHeaders({ viteDevServer: options.mode === "development", production: isProduction }));
  app.use((req, res, next) => {
    const selfOrigin = `${req.protocol}://${req.get("host")}`;
    const allowed = env.PUBLIC_URL ? [selfOrigin, new URL(env.PUBLIC_URL).origin] : [selfOrigin];
    if (!isSameOriginMutation(req.method, { origin: req.get("origin"), referer: req.get("referer") }, allowed)) {
      res.status(403).type("text/plain; charset=utf-8").send("Requête refusée : elle ne provient pas du Portail Médicobus.");
      return;
    }
    next();
  });

  let build: ServerBuild | (() => Promise<ServerBuild>);
  if (options.mode === "development") {
    const vite = await import("vite");
    const devServer = await vite.createServer({ server: { middlewareMode: true } });
    app.use(devServer.middlewares);
    build = () => devServer.ssrLoadModule("virtual:remix/server-build") as Promise<ServerBuild>;
  } else {
    const buildDir = path.resolve("build");
    app.use("/assets", express.static(path.join(buildDir, "client/assets"), { immutable: true, maxAge: "1y" }));
    // The client build holds /assets and whatever public/ had: list its top-level names once at
    // start, so that a page request does not cost a failed stat of the disk before reaching Remix.
    const clientDir = path.join(buildDir, "client");
    const clientNames = new Set(readdirSync(clientDir).filter((name) => name !== "assets"));
    const publicFiles = express.static(clientDir, { maxAge: "1h" });
    app.use((req, res, next) => (clientNames.has(req.path.split("/")[1] ?? "") ? publicFiles(req, res, next) : next()));
    build = (await import(/* @vite-ignore */ pathToFileURL(path.join(buildDir, "server/index.js")).href)) as ServerBuild;
  }

  // What Express knows that a Remix request does not: the client's IP (the sign-in throttling
  // counts failures per IP) and the nonce of the policy already in the response's headers.
  app.all(
    "*",
    createRequestHandler({
      build,
      mode: options.mode,
      getLoadContext: (req, res) => ({ clientIp: req.ip ?? null, cspNonce: res.locals.cspNonce as string }),
    }),
  );

  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(options.port ?? env.PORT, env.HOST, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${env.HOST === "0.0.0.0" ? "localhost" : env.HOST}:${port}`,
    server,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

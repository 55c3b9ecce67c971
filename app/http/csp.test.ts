import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, createNonce } from "./csp";

/** The policy as a map: directive → its sources. */
function parse(policy: string) {
  return new Map(policy.split("; ").map((directive) => {
    const [name, ...sources] = directive.split(" ");
    return [name, sources] as const;
  }));
}

describe("createNonce", () => {
  it("gives 128 random bits in base64, a new value each time", () => {
    const nonces = new Set(Array.from({ length: 100 }, createNonce));
    expect(nonces.size).toBe(100);
    for (const nonce of nonces) expect(Buffer.from(nonce, "base64")).toHaveLength(16);
  });
});

describe("contentSecurityPolicy", () => {
  const NONCE = "cnVuLW9ubHktdGhpcy1vbmU=";

  it("lets scripts run from the portal itself or with this response's nonce only", () => {
    const policy = parse(contentSecurityPolicy(NONCE, { viteDevServer: false, production: false }));
    expect(policy.get("script-src")).toEqual(["'self'", `'nonce-${NONCE}'`]);
    expect(policy.get("style-src")).toEqual(["'self'", "'unsafe-inline'"]);
    expect(policy.get("default-src")).toEqual(["'self'"]);
    expect(policy.get("img-src")).toEqual(["'self'", "data:"]);
    expect(policy.get("font-src")).toEqual(["'self'"]);
    expect(policy.get("connect-src")).toEqual(["'self'"]);
    expect(policy.get("object-src")).toEqual(["'none'"]);
    expect(policy.get("base-uri")).toEqual(["'self'"]);
    expect(policy.get("form-action")).toEqual(["'self'"]);
    expect(policy.get("frame-ancestors")).toEqual(["'none'"]);
    expect(policy.has("upgrade-insecure-requests")).toBe(false);
  });

  it("never allows inline or evaluated scripts outside Vite's development server", () => {
    for (const production of [false, true]) {
      const header = contentSecurityPolicy(NONCE, { viteDevServer: false, production });
      const scripts = parse(header).get("script-src") ?? [];
      expect(scripts).not.toContain("'unsafe-inline'");
      expect(scripts).not.toContain("'unsafe-eval'");
      expect(header).not.toContain("strict-dynamic");
    }
  });

  it("asks the browser to upgrade http sub-resources in production mode only", () => {
    expect(parse(contentSecurityPolicy(NONCE, { viteDevServer: false, production: true })).get("upgrade-insecure-requests")).toEqual([]);
  });

  it("loosens scripts and websockets for Vite's development server only", () => {
    const policy = parse(contentSecurityPolicy(NONCE, { viteDevServer: true, production: false }));
    expect(policy.get("script-src")).toEqual(["'self'", "'unsafe-inline'"]);
    expect(policy.get("connect-src")).toEqual(["'self'", "ws:"]);
    expect(policy.get("frame-ancestors")).toEqual(["'none'"]);
    expect(policy.get("object-src")).toEqual(["'none'"]);
  });
});

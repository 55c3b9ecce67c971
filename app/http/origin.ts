/**
 * Cross-site request forgery guard: a state-changing request must come from one of our own
 * pages. Browsers send `Origin` on every POST; when a privacy setting strips it we fall back to
 * `Referer`; a request with neither is refused, as a forged request would be.
 */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function isSameOriginMutation(method: string, headers: { origin?: string; referer?: string }, allowedOrigins: string[]) {
  if (SAFE_METHODS.has(method.toUpperCase())) return true;
  const source = headers.origin ?? (headers.referer ? safeOrigin(headers.referer) : undefined);
  return source !== undefined && allowedOrigins.includes(source);
}

function safeOrigin(url: string) {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

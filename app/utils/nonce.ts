import { createContext, useContext } from "react";

/**
 * The Content-Security-Policy nonce of the response being rendered (app/http/csp.ts), handed by
 * entry.server.tsx to the components that write inline scripts. Not loader data: the root loader
 * also answers client-side navigations, whose fresh nonce would mean nothing to the page already
 * loaded, and the hydration data would print it once more. In the browser it is "" — what the
 * browser itself shows of a nonce attribute — so hydration sees the same value.
 */
const NonceContext = createContext("");

export const NonceProvider = NonceContext.Provider;

export function useNonce() {
  return useContext(NonceContext);
}

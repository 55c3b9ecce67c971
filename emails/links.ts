const ENTITIES: Record<string, string> = { "&amp;": "&", "&quot;": '"', "&#39;": "'", "&lt;": "<", "&gt;": ">" };

/**
 * The web links of a mail's HTML, in order, each once. The development mailbox shows the HTML in
 * a sandboxed frame where links cannot be followed, and lists these as ordinary links instead,
 * so that a newcomer (or a browser test) can click the verification link. Only http(s) links are
 * kept: a `javascript:` URL in a mail must not become clickable in the portal's own page.
 */
export function extractMailLinks(html: string): string[] {
  const links = new Set<string>();
  for (const [, raw] of html.matchAll(/<a\b[^>]*?\bhref="([^"]*)"/gi)) {
    const href = raw.replace(/&(amp|quot|#39|lt|gt);/g, (entity) => ENTITIES[entity]);
    if (/^https?:\/\//i.test(href)) links.add(href);
  }
  return [...links];
}

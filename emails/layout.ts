/**
 * A mail is written once, as a list of blocks; the same blocks render to HTML (escaped, inline
 * styles that mail clients keep) and to plain text. No template can forget its text version.
 */
export type MailBlock =
  | { kind: "paragraph"; text: string }
  | { kind: "button"; label: string; url: string }
  | { kind: "facts"; items: Array<[label: string, value: string]> }
  | { kind: "note"; text: string };

export const paragraph = (text: string): MailBlock => ({ kind: "paragraph", text });
export const button = (label: string, url: string): MailBlock => ({ kind: "button", label, url });
export const facts = (items: Array<[string, string]>): MailBlock => ({ kind: "facts", items });
export const note = (text: string): MailBlock => ({ kind: "note", text });

export function escapeHtml(value: string) {
  return value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

function blockToHtml(block: MailBlock) {
  switch (block.kind) {
    case "paragraph":
      return `<p style="margin:0 0 16px;font-size:16px;line-height:24px;color:#161616">${escapeHtml(block.text)}</p>`;
    case "button":
      return `<p style="margin:24px 0"><a href="${escapeHtml(block.url)}" style="display:inline-block;background:#000091;color:#ffffff;padding:12px 20px;text-decoration:none;font-weight:bold">${escapeHtml(block.label)}</a></p><p style="margin:0 0 16px;font-size:14px;color:#3a3a3a">Si le bouton ne fonctionne pas, copiez ce lien dans votre navigateur :<br><span style="word-break:break-all">${escapeHtml(block.url)}</span></p>`;
    case "facts":
      return `<table role="presentation" style="border-collapse:collapse;margin:0 0 16px">${block.items
        .map(([label, value]) => `<tr><th scope="row" style="text-align:left;padding:4px 16px 4px 0;font-size:14px;color:#3a3a3a">${escapeHtml(label)}</th><td style="padding:4px 0;font-size:14px;color:#161616">${escapeHtml(value)}</td></tr>`)
        .join("")}</table>`;
    case "note":
      return `<p style="margin:0 0 16px;font-size:14px;line-height:20px;color:#666666">${escapeHtml(block.text)}</p>`;
  }
}

function blockToText(block: MailBlock) {
  switch (block.kind) {
    case "paragraph":
    case "note":
      return block.text;
    case "button":
      return `${block.label} :\n${block.url}`;
    case "facts":
      return block.items.map(([label, value]) => `${label} : ${value}`).join("\n");
  }
}

const FOOTER = "Portail Médicobus — appel à projets de l'État. Ce message est envoyé automatiquement, merci de ne pas y répondre.";

export function renderMail(subject: string, blocks: MailBlock[]) {
  const html = `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body style="margin:0;padding:0;background:#f6f6f6;font-family:Marianne,Arial,sans-serif"><div style="max-width:600px;margin:0 auto;background:#ffffff;padding:32px"><p style="margin:0 0 24px;font-weight:bold;font-size:14px;color:#000091">République Française — Portail Médicobus</p>${blocks.map(blockToHtml).join("")}<hr style="border:none;border-top:1px solid #dddddd;margin:32px 0 16px"><p style="margin:0;font-size:12px;color:#666666">${escapeHtml(FOOTER)}</p></div></body></html>`;
  const text = `${blocks.map(blockToText).join("\n\n")}\n\n--\n${FOOTER}\n`;
  return { subject, html, text };
}

export interface MailTemplate<Data> {
  name: string;
  render(data: Data): { subject: string; html: string; text: string };
}

/** Declares a mail: a name (stored with each sent mail), a subject and the blocks of its body. */
export function defineMail<Data>(name: string, build: (data: Data) => { subject: string; blocks: MailBlock[] }): MailTemplate<Data> {
  return {
    name,
    render(data) {
      const { subject, blocks } = build(data);
      return renderMail(subject, blocks);
    },
  };
}

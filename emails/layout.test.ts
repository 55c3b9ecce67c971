import { describe, expect, it } from "vitest";
import { verifyEmailMail } from "./verify-email";

describe("mail layout", () => {
  it("renders the same content as HTML and as text, escaping what the user typed", () => {
    const mail = verifyEmailMail.render({ name: "<script>alert(1)</script> Léa", url: "https://exemple.fr/v?t=a&b", expiresInHours: 24 });
    expect(mail.subject).toBe("Confirmez votre adresse électronique — Portail Médicobus");
    expect(mail.html).toContain("&lt;script&gt;alert(1)&lt;/script&gt; Léa");
    expect(mail.html).not.toContain("<script>");
    expect(mail.html).toContain('href="https://exemple.fr/v?t=a&amp;b"');
    expect(mail.text).toContain("Bonjour <script>alert(1)</script> Léa,");
    expect(mail.text).toContain("Confirmer mon adresse :\nhttps://exemple.fr/v?t=a&b");
    expect(mail.text).toContain("valable 24 heures");
  });
});

import { describe, expect, it } from "vitest";
import { extractMailLinks } from "./links";
import { button, renderMail } from "./layout";

describe("extractMailLinks", () => {
  it("finds the button link of a rendered mail, unescaped", () => {
    const url = "https://medicobus.test/verifier?jeton=a1&retour=/mon-espace";
    const { html } = renderMail("Sujet", [button("Confirmer", url)]);
    expect(extractMailLinks(html)).toEqual([url]);
  });

  it("keeps each link once, in order, and drops what is not http(s)", () => {
    const html =
      '<a href="https://a.test/1">1</a><a class="x" href="javascript:alert(1)">x</a><a href="https://b.test/2">2</a><a href="https://a.test/1">again</a><a href="mailto:x@y.fr">m</a>';
    expect(extractMailLinks(html)).toEqual(["https://a.test/1", "https://b.test/2"]);
  });
});

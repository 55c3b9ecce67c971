import { createRequire } from "node:module";
import { type DocumentProps, Font, renderToBuffer } from "@react-pdf/renderer";
import { type ReactElement } from "react";
import { FONT_FAMILY } from "./styles";

/*
 * The one PDF renderer of the project. Fonts are registered when this module is first loaded,
 * hence once per process. The files are resolved through Node's resolution from this module,
 * which finds node_modules from the sources (tsx, vitest) and from the build/server bundle alike.
 * WOFF rather than WOFF2: fontkit reads both, but WOFF needs no Brotli decoding at each load.
 */
const resolve = createRequire(import.meta.url).resolve;
const dsfrFont = (file: string) => resolve(`@codegouvfr/react-dsfr/dsfr/fonts/${file}`);

Font.register({
  family: FONT_FAMILY,
  fonts: [
    { src: dsfrFont("Marianne-Regular.woff"), fontWeight: 400 },
    { src: dsfrFont("Marianne-Bold.woff"), fontWeight: 700 },
  ],
});

const LONG_TOKEN = 28;

/*
 * The default English hyphenation cuts French words in wrong places (« dé-partement »), so
 * words stay whole. Only tokens too long for any column (file names, URLs, hashes) may break,
 * anywhere: the empty parts become zero-width glue in react-pdf's line breaker, which breaks
 * there without drawing the hyphen it adds at syllable breaks — a hash must never gain a « - ».
 */
Font.registerHyphenationCallback((word) => {
  if (word.length <= LONG_TOKEN) return [word];
  return [...word].flatMap((character, index) => (index === 0 ? [character] : ["", character]));
});

export function renderPdf(document: ReactElement<DocumentProps>): Promise<Buffer> {
  return renderToBuffer(document);
}

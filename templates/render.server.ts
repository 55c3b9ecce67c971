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

/** Distinct strings kept per weight: every label and heading of the documents, and then some. */
const SHAPED_RUNS_KEPT = 5_000;
type Shaper = { layout: (...args: unknown[]) => unknown };

/*
 * Shaping a run of text (fontkit applying Marianne's kerning and ligature tables) was the
 * largest single cost of a render, and most runs are the same from one document to the next:
 * labels, headings, legal mentions. A run's shape depends only on the string and the layout
 * options, so each font remembers its recent shapes. Safe to share: textkit scales the positions
 * into a new array, and the glyphs are fontkit's own cached objects; react-pdf copies the glyph
 * array before drawing.
 */
let shapesRemembered: Promise<void> | undefined;
function rememberShapes() {
  shapesRemembered ??= (async () => {
    for (const fontWeight of [400, 700]) {
      await Font.load({ fontFamily: FONT_FAMILY, fontWeight });
      const font = Font.getFont({ fontFamily: FONT_FAMILY, fontWeight }).data as unknown as Shaper;
      const shape = font.layout.bind(font);
      const shapes = new Map<string, unknown>();
      font.layout = (...args: unknown[]) => {
        const key = JSON.stringify(args);
        let run = shapes.get(key);
        if (run === undefined) {
          run = shape(...args);
          // Oldest first out: a Map iterates in insertion order.
          if (shapes.size >= SHAPED_RUNS_KEPT) shapes.delete(shapes.keys().next().value as string);
          shapes.set(key, run);
        }
        return run;
      };
    }
  })();
  return shapesRemembered;
}

export async function renderPdf(document: ReactElement<DocumentProps>): Promise<Buffer> {
  await rememberShapes();
  return renderToBuffer(document);
}

import { createRequire } from "node:module";

/**
 * The fonts Postbag draws with, shipped with the package (dejavu-fonts-ttf), so charts and
 * letters look the same on any machine — a slim container image has no system fonts at all.
 * DejaVu Sans covers every Latin, Greek and Cyrillic name a constituent may have.
 */
export const FONT_FAMILY = "DejaVu Sans";

const fontFile = (file: string) => createRequire(import.meta.url).resolve(`dejavu-fonts-ttf/ttf/${file}`);

export const BUNDLED_FONTS = { regular: fontFile("DejaVuSans.ttf"), bold: fontFile("DejaVuSans-Bold.ttf") };

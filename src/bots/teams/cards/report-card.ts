import { adaptiveCard, heading, MAX_CARD_BYTES, textBlock, type AdaptiveCard } from "./adaptive-card.ts";
import { teamsText } from "./teams-text.ts";

/**
 * A report, audit or log as a card: the text in monospace, and for the performance report
 * its weekly chart as an Image with a PNG data URI (Teams renders base64 images in
 * Adaptive Cards; there is no public URL to point at). The image is dropped if it would
 * push the card past the size we keep under. Title and text are plain words (names, themes, subjects among them): escaped here.
 */
export function textReportCard(title: string, text: string, pngChart?: Buffer): AdaptiveCard {
  const body = [heading(teamsText(title, 150)), textBlock(teamsText(text, 12_000), { fontType: "Monospace", size: "Small" })];
  const withoutImage = adaptiveCard(body);
  if (!pngChart) return withoutImage;
  const image = { type: "Image", url: `data:image/png;base64,${pngChart.toString("base64")}`, altText: title, size: "Stretch" };
  const card = adaptiveCard([body[0]!, image, body[1]!]);
  return Buffer.byteLength(JSON.stringify(card)) <= MAX_CARD_BYTES ? card : withoutImage;
}

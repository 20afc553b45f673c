/**
 * Names as people write them, which every surface must store and show back unchanged:
 * straight and curly apostrophes, hyphens, accents, Welsh and Irish particles and letters,
 * a double space typed by hand, a name of one word, a name in another script, an ampersand.
 * No two are the same person by Postbag's matching (name without accents or punctuation),
 * so one office can log them all without being asked which person is meant.
 */
export const NAME_CORPUS: readonly string[] = [
  "Seán O'Brien",
  "Aoife O’Brien",
  "Mo’s Café",
  "Dónal D'Arcy-Smith",
  "Siân Llŷr",
  "Ffion ap Dafydd",
  "Gruffudd ab Ieuan",
  "Dafydd ap Gwilym",
  "Seán Ó Briain",
  "Niamh Nic Giolla Phádraig",
  "Tadhg Ó Súilleabháin",
  "Zoë Brontë-Müller",
  "Mary-Jane  Watson",
  "Ng",
  "李小龍",
  "Smith & Jones",
  "Ana María Pérez-Núñez",
];

/** What Slack does to text before sending it in a slash command or message: `&`, `<` and `>` escaped. */
export function slackEscaped(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

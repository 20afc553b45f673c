/** Checks a Block Kit payload against Slack's published limits (PLATFORM.md); returns every breach. */
export function blockKitBreaches(blocks: any[], surface: "message" | "modal" | "home"): string[] {
  const breaches: string[] = [];
  const maxBlocks = surface === "message" ? 50 : 100;
  if (blocks.length > maxBlocks) breaches.push(`${blocks.length} blocks > ${maxBlocks}`);
  const check = (what: string, text: string | undefined, max: number) => {
    if (text !== undefined && text.length > max) breaches.push(`${what}: ${text.length} > ${max}`);
  };
  for (const [index, block] of blocks.entries()) {
    const at = `block ${index} (${block.type})`;
    check(`${at} block_id`, block.block_id, 255);
    if (block.type === "header") check(`${at} header`, block.text?.text, 150);
    if (block.type === "section") {
      check(`${at} text`, block.text?.text, 3000);
      if ((block.fields ?? []).length > 10) breaches.push(`${at}: more than 10 fields`);
      for (const field of block.fields ?? []) check(`${at} field`, field.text, 2000);
    }
    if (block.type === "context") {
      if (block.elements.length > 10) breaches.push(`${at}: more than 10 elements`);
      for (const element of block.elements) check(`${at} context`, element.text, 2000);
    }
    const buttons = [...(block.type === "actions" ? block.elements : []), ...(block.accessory ? [block.accessory] : [])];
    if (block.type === "actions" && block.elements.length > 25) breaches.push(`${at}: more than 25 elements`);
    for (const button of buttons) {
      check(`${at} button text`, button.text?.text, 75);
      check(`${at} button value`, button.value, 2000);
      check(`${at} action_id`, button.action_id, 255);
    }
    for (const option of block.element?.options ?? []) {
      check(`${at} option text`, option.text?.text, 75);
      check(`${at} option value`, option.value, 75);
    }
    if ((block.element?.options ?? []).length > 100) breaches.push(`${at}: more than 100 options`);
  }
  return breaches;
}

export function modalBreaches(view: any): string[] {
  const breaches = blockKitBreaches(view.blocks, view.type === "home" ? "home" : "modal");
  for (const key of ["title", "submit", "close"]) {
    if (view[key]?.text?.length > 24) breaches.push(`${key}: ${view[key].text.length} > 24`);
  }
  if ((view.private_metadata ?? "").length > 3000) breaches.push("private_metadata over 3000");
  return breaches;
}

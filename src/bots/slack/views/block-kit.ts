import type { types } from "@slack/bolt";

/** Block Kit types, from the @slack/types that Bolt itself re-exports (no second copy to drift). */
export type KnownBlock = types.KnownBlock;
export type Button = types.Button;
export type ModalView = types.ModalView;
export type HomeView = types.HomeView;
export type PlainTextOption = types.PlainTextOption;
export type Overflow = types.Overflow;

import { z } from "zod";

/**
 * An `adaptiveCard/action` invoke as far as refreshing goes. Teams sends `trigger: "automatic"`
 * when it asks for a card again because someone opened it (the card's `refresh`), "manual" for a
 * button; botbuilder's AdaptiveCardInvokeValue leaves `trigger` out, so it is read from the
 * activity's value here. Anything unreadable is simply not a refresh.
 */
export const refreshInvokeSchema = z.object({
  trigger: z.string().max(40).optional(),
  action: z.object({ verb: z.string().max(64).optional(), data: z.unknown().optional() }).optional(),
});

/** What a case card's refresh carries: which case. */
export const refreshDataSchema = z.object({ reference: z.string().min(1).max(40) });

import { CardFactory, type Attachment } from "botbuilder";
import { isOutstanding, type CaseView } from "../../../domain/cases/case-view.ts";
import { deadlineWords } from "../../shared/case-words.ts";
import { teamsCardXml } from "./teams-text.ts";

/**
 * A case as a search result lists it before it is inserted (the thumbnail Teams shows under the
 * compose box), in the words of a line of a case list: its reference and state, whose it is and
 * when its response is due, and what it is about — or, for a sensitive case, that its details
 * are withheld, as on the card that would be inserted.
 */
export function casePreview(view: CaseView): Attachment {
  const about = view.redacted
    ? "Sensitive case: details are shown only to its assignee and managers, in a personal chat."
    : `${view.constituent?.name ?? ""} — ${view.subject ?? ""}`;
  const due = isOutstanding(view.response) ? ` · respond by ${deadlineWords(view.response).text}` : "";
  const who = `${view.assignee ? view.assignee.name : "unassigned"}${due}`;
  return CardFactory.thumbnailCard(`${view.reference} · ${view.statusLabel}${view.sensitive ? " · Sensitive" : ""}`, `${teamsCardXml(about, 300)}<br>${teamsCardXml(who, 200)}`);
}

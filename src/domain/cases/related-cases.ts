import type { Actor } from "../staff/roles.ts";
import type { CaseRecord } from "./case-record.ts";
import { canSeeInFull } from "./permissions.ts";
import { STATUS_LABELS, type LinkKind, type Status } from "./vocabulary.ts";

/** Another case as the store hands it over for a card: enough to name it and decide who may see what. */
export interface RelatedCaseRecord {
  id: number;
  reference: string;
  status: Status;
  subject: string;
  sensitive: boolean;
  assignee: { id: number; name: string } | null;
}

export interface CaseLinkRecord {
  kind: LinkKind;
  /** Whether this case made the link ("duplicate of" the other) or the other did ("duplicated by"). */
  outgoing: boolean;
  other: RelatedCaseRecord;
}

/** The person's other cases and the case's links, as the store finds them. */
export interface RelatedRecords {
  constituentId: number;
  /** Cases of the same constituent logged before this one, newest first (at most a few). */
  earlier: RelatedCaseRecord[];
  earlierCount: number;
  links: CaseLinkRecord[];
}

export interface RelatedCaseView {
  reference: string;
  statusLabel: string;
  /** Null when the reader may not see that case in full (sensitive): its reference alone is shown. */
  subject: string | null;
}

export interface RelatedView {
  /** Open them with `constituent show C<id>`. */
  constituentId: number;
  earlierCount: number;
  earlier: RelatedCaseView[];
  links: (RelatedCaseView & { label: string })[];
}

const LINK_LABELS: Record<LinkKind, { outgoing: string; incoming: string }> = {
  same_matter: { outgoing: "Same matter as", incoming: "Same matter as" },
  previous_correspondence: { outgoing: "Follows earlier correspondence", incoming: "Followed by later correspondence" },
  duplicate_of: { outgoing: "Duplicate of", incoming: "Duplicated by" },
};

export function linkLabel(kind: LinkKind, outgoing: boolean): string {
  return LINK_LABELS[kind][outgoing ? "outgoing" : "incoming"];
}

function relatedCase(other: RelatedCaseRecord, actor: Actor): RelatedCaseView {
  return { reference: other.reference, statusLabel: STATUS_LABELS[other.status], subject: canSeeInFull(actor, other) ? other.subject : null };
}

/**
 * What a card shows of a case's relations, for a reader who sees the case itself in full
 * (a redacted case shows none: that this person wrote before is itself personal). Each related
 * case that is sensitive, and not the reader's to see, shows its reference alone.
 */
export function relatedView(record: Pick<CaseRecord, "sensitive" | "assignee">, related: RelatedRecords, actor: Actor): RelatedView | undefined {
  if (!canSeeInFull(actor, record)) return undefined;
  return {
    constituentId: related.constituentId,
    earlierCount: related.earlierCount,
    earlier: related.earlier.map((other) => relatedCase(other, actor)),
    links: related.links.map((link) => ({ ...relatedCase(link.other, actor), label: linkLabel(link.kind, link.outgoing) })),
  };
}

import type { z } from "zod";
import type { CaseActionSpec } from "../cases/case-actions.ts";
import { assertCanCorrect } from "../cases/permissions.ts";
import { FINISHED } from "../cases/vocabulary.ts";
import { DomainError } from "../errors.ts";
import { hasRole } from "../staff/roles.ts";
import { moveTeamSchema } from "./team.schema.ts";

/** The teams' entry of the one table of case actions: a manager moves a case to another team's queue. */

type InputSchema = z.ZodType<{ reference: string; version?: number }>;

function teamAction<Schema extends InputSchema>(spec: CaseActionSpec<Schema>): CaseActionSpec<Schema> {
  return spec;
}

export const TEAM_ACTIONS = {
  move_team: teamAction({
    schema: moveTeamSchema,
    namesTeam: (input) => input.team,
    restsOn: ["team_moved"],
    announce: "Moved to another team's queue",
    decide: ({ actor, record, team }) => {
      assertCanCorrect(actor, "move a case to another team's queue");
      if (record.status === "voided") throw new DomainError("invalid_transition", `${record.reference} was voided (logged in error), so nothing more is done on it.`);
      if (record.teamId === team!.id) throw new DomainError("invalid_input", `${record.reference} is already in ${team!.name}'s queue.`, "team");
      return {
        patch: { teamId: team!.id },
        entry: { type: "team_moved", text: `Moved to ${team!.name}'s queue`, detail: { from: record.teamId, to: team!.id } },
        countsAsAction: false,
      };
    },
    confirm: (view, input) => `${view.reference} is in the ${input.team} queue now.`,
    command: {
      words: ["move"],
      usage: "move <ref> <team…>   (managers: to another team's queue)",
      read: (said) => {
        said.need(2, "Say which case and which team");
        return { reference: said.words[0], team: said.words.slice(1).join(" ") };
      },
    },
    form: { title: "Move to a team's queue", submit: "Move", fields: [{ name: "team", label: "Team", kind: "team", required: true }] },
    button: { label: "Move to a team…", secondary: true },
    offer: ({ record, actor, audience }) => audience === "private" && !FINISHED.includes(record.status) && hasRole(actor, "manager"),
  }),
};

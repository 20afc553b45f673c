import { DomainError, parseInput } from "../errors.ts";
import type { Platform } from "../ports.ts";
import type { StaffService } from "../staff/staff-service.ts";
import { hasRole, type Actor } from "../staff/roles.ts";
import type { Clock } from "../ports.ts";
import { findTeam, type TeamRecord, type TeamStore } from "./team.ts";
import { addTeamSchema, changeTeamSchema, teamMemberSchema, type AddTeamInput } from "./team.schema.ts";

/** What a form says where it would offer a team and there is none. */
export const NO_TEAMS = 'There are no teams yet. A manager adds one: team add "<name>" --lead <person> --types review,cc-complaint';

/** Where changes to teams are recorded (the audit log, as staff changes are). */
export type TeamAudit = (actor: Actor, platform: Platform, subject: string, detail: string) => Promise<void>;

/** Teams of staff: managers make them, name their leads and the case types routed to them; anyone reads them. */
export class TeamService {
  constructor(
    private readonly store: TeamStore,
    private readonly staff: Pick<StaffService, "findOne">,
    private readonly clock: Clock,
    private readonly audit: TeamAudit = async () => {},
  ) {}

  list(): Promise<TeamRecord[]> {
    return this.store.list();
  }

  /** The team a typed name means, or a refusal naming the teams there are. */
  async find(typed: string): Promise<TeamRecord> {
    const teams = await this.store.list();
    const team = findTeam(teams, typed);
    if (!team) {
      throw new DomainError("invalid_input", teams.length ? `There is no team called ${typed}. The teams: ${teams.map((t) => t.name).join(", ")}.` : NO_TEAMS, "team");
    }
    return team;
  }

  /** `team add <name> [--lead <person>] [--types …]`: managers. */
  async add(actor: Actor, raw: AddTeamInput, platform: Platform): Promise<TeamRecord> {
    assertManager(actor, "add teams");
    const input = parseInput(addTeamSchema, raw);
    const teams = await this.store.list();
    if (findTeam(teams, input.name)) throw new DomainError("invalid_input", `There is already a team called ${input.name}.`, "name");
    const lead = input.lead ? await this.staff.findOne(input.lead) : null;
    const team = await this.store.add({ name: input.name, leadId: lead?.id ?? null, caseTypes: input.caseTypes ?? [], createdAt: this.clock.now() });
    if (lead) await this.store.join(team.id, lead.id);
    await this.audit(actor, platform, `team ${team.name}`, `added${lead ? `, led by ${lead.name}` : ""}${team.caseTypes.length ? `, routed: ${team.caseTypes.join(", ")}` : ""}`);
    return (await this.find(team.name));
  }

  /** `team change <team> [--lead <person>] [--types …]`: managers. */
  async change(actor: Actor, raw: unknown, platform: Platform): Promise<TeamRecord> {
    assertManager(actor, "change teams");
    const input = parseInput(changeTeamSchema, raw);
    const team = await this.find(input.team);
    const lead = input.lead ? await this.staff.findOne(input.lead) : undefined;
    await this.store.update(team.id, { ...(lead ? { leadId: lead.id } : {}), ...(input.caseTypes ? { caseTypes: input.caseTypes } : {}) });
    if (lead) await this.store.join(team.id, lead.id);
    await this.audit(actor, platform, `team ${team.name}`, [lead ? `lead: ${lead.name}` : "", input.caseTypes ? `routed: ${input.caseTypes.join(", ") || "nothing"}` : ""].filter(Boolean).join("; ") || "unchanged");
    return this.find(team.name);
  }

  /** `team join <team> <person>` / `team leave <team> <person>`: managers. */
  async membership(actor: Actor, raw: unknown, joining: boolean, platform: Platform): Promise<TeamRecord> {
    assertManager(actor, "change who is in a team");
    const input = parseInput(teamMemberSchema, raw);
    const team = await this.find(input.team);
    const person = await this.staff.findOne(input.person);
    if (joining) await this.store.join(team.id, person.id);
    else if (!(await this.store.leave(team.id, person.id))) throw new DomainError("invalid_input", `${person.name} is not in ${team.name}.`, "person");
    await this.audit(actor, platform, `team ${team.name}`, `${person.name} ${joining ? "joined" : "left"}`);
    return this.find(team.name);
  }
}

function assertManager(actor: Actor, doing: string): void {
  if (!hasRole(actor, "manager")) throw new DomainError("not_permitted", `Only managers can ${doing}.`);
}

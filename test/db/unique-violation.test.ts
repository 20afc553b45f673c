import { afterAll, beforeAll, expect, it } from "vitest";
import type { Postbag } from "../../src/app.ts";
import { isUniqueViolation } from "../../src/db/prisma-errors.ts";
import { describeEachDatabase, openTestPostbag } from "../support/databases.ts";

/**
 * A request delivered twice at once is told apart from a fault by the unique violation
 * the loser meets, whether from a model query, a raw one, or a statement on the driver
 * (logging a case is one statement there).
 */
describeEachDatabase("unique violations are recognised however the query was made", (database) => {
  let postbag: Postbag;
  beforeAll(async () => {
    postbag = await openTestPostbag(database);
    await postbag.db.prisma.partner.create({ data: { name: "Constabulary" } });
  });
  afterAll(() => postbag?.close());

  const failure = (work: Promise<unknown>) => work.then(() => null, (error: unknown) => error);

  it("from a model query", async () => {
    expect(isUniqueViolation(await failure(postbag.db.prisma.partner.create({ data: { name: "Constabulary" } })))).toBe(true);
  });

  it("from a raw query", async () => {
    const error = await failure(postbag.db.prisma.$queryRaw`INSERT INTO "partner" ("name") VALUES (${"Constabulary"}) RETURNING "id"`);
    expect(isUniqueViolation(error)).toBe(true);
  });

  it("from a statement on the driver itself", async () => {
    const error = await failure(postbag.db.query(`INSERT INTO "partner" ("name") VALUES ($1) RETURNING "id"`, ["Constabulary"]));
    expect(isUniqueViolation(error)).toBe(true);
  });

  it("and nothing else", async () => {
    const error = await failure(postbag.db.prisma.$queryRaw`INSERT INTO "partner" ("name") VALUES (NULL) RETURNING "id"`);
    expect(error).not.toBeNull();
    expect(isUniqueViolation(error)).toBe(false);
  });
});

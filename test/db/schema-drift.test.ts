import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachDatabase, openTestPostbag } from "../support/databases.ts";
import type { Postbag } from "../../src/app.ts";

/**
 * The migrations are hand-written SQL (prisma migrate needs an engine binary these
 * machines cannot download), so this proves they build exactly what schema.prisma
 * describes: every table, column, type, nullability, default, index and foreign key.
 */

const require = createRequire(import.meta.url);
const schemaWasm = require("@prisma/prisma-schema-wasm") as { get_dmmf(params: string): string };

interface DmmfField {
  name: string;
  dbName: string | null;
  kind: "scalar" | "object" | "enum";
  type: string;
  isList: boolean;
  isRequired: boolean;
  hasDefaultValue: boolean;
  nativeType: [string, string[]] | null;
  relationFromFields?: string[];
}
interface DmmfModel {
  name: string;
  dbName: string | null;
  fields: DmmfField[];
}
interface DmmfIndex {
  model: string;
  type: "id" | "unique" | "normal" | "fulltext";
  dbName?: string | null;
  fields: { name: string }[];
}

const dmmf = JSON.parse(
  schemaWasm.get_dmmf(JSON.stringify({ prismaSchema: readFileSync(new URL("../../prisma/schema.prisma", import.meta.url), "utf8") })),
) as { datamodel: { models: DmmfModel[]; indexes: DmmfIndex[] } };

const models = dmmf.datamodel.models;
const tableOf = (model: DmmfModel) => model.dbName ?? model.name;
const columnOf = (field: DmmfField) => field.dbName ?? field.name;

/** The PostgreSQL type Prisma gives a scalar field, as information_schema names it. */
function expectedType(field: DmmfField): string {
  if (field.isList) return "ARRAY";
  const native = field.nativeType?.[0];
  if (field.type === "DateTime") return native === "Date" ? "date" : native === "Timestamptz" ? "timestamp with time zone" : "timestamp without time zone";
  return { String: "text", Int: "integer", Boolean: "boolean", Json: "jsonb", BigInt: "bigint", Float: "double precision" }[field.type] ?? field.type;
}

function expectedIndexName(index: DmmfIndex): string {
  if (index.dbName) return index.dbName;
  const model = models.find((m) => m.name === index.model)!;
  const columns = index.fields.map((f) => columnOf(model.fields.find((field) => field.name === f.name)!));
  const suffix = { id: "pkey", unique: "key", normal: "idx", fulltext: "idx" }[index.type];
  return index.type === "id" ? `${tableOf(model)}_pkey` : `${tableOf(model)}_${columns.join("_")}_${suffix}`;
}

describeEachDatabase("the migrated database matches schema.prisma", (database) => {
  let postbag: Postbag;
  const query = <Row>(sql: string, params: unknown[] = []) => postbag.db.transaction((tx) => tx.query<Row>(sql, params));

  beforeAll(async () => {
    postbag = await openTestPostbag(database);
  });
  afterAll(() => postbag?.close());

  it("has exactly the schema's tables, plus Prisma's migration record", async () => {
    const rows = await query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
    );
    expect(rows.map((r) => r.table_name).sort()).toEqual([...models.map(tableOf), "_prisma_migrations"].sort());
  });

  it("has every column with the schema's type, nullability and default, and no others", async () => {
    const rows = await query<{ table_name: string; column_name: string; data_type: string; is_nullable: string; column_default: string | null; datetime_precision: number | null }>(
      "SELECT table_name, column_name, data_type, is_nullable, column_default, datetime_precision FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'",
    );
    const actual = rows.map((r) => ({
      column: `${r.table_name}.${r.column_name}`,
      type: r.data_type,
      nullable: r.is_nullable === "YES",
      hasDefault: r.column_default !== null,
      precision: r.data_type.startsWith("timestamp") ? r.datetime_precision : null,
    }));
    const expected = models.flatMap((model) =>
      model.fields
        .filter((field) => field.kind !== "object")
        .map((field) => ({
          column: `${tableOf(model)}.${columnOf(field)}`,
          type: expectedType(field),
          // Prisma creates list columns without NOT NULL.
          nullable: field.isList ? true : !field.isRequired,
          hasDefault: field.hasDefaultValue,
          precision: expectedType(field).startsWith("timestamp") ? Number(field.nativeType?.[1][0] ?? 3) : null,
        })),
    );
    const byColumn = (a: { column: string }, b: { column: string }) => a.column.localeCompare(b.column);
    expect(actual.sort(byColumn)).toEqual(expected.sort(byColumn));
  });

  it("has every index and unique constraint under Prisma's names, and no others", async () => {
    const rows = await query<{ index_name: string; table_name: string; is_unique: boolean; is_primary: boolean; columns: string[] }>(`
      SELECT i.relname AS index_name, t.relname AS table_name, x.indisunique AS is_unique, x.indisprimary AS is_primary,
             array_agg(a.attname ORDER BY k.ord)::text[] AS columns
      FROM pg_index x
      JOIN pg_class i ON i.oid = x.indexrelid
      JOIN pg_class t ON t.oid = x.indrelid
      JOIN pg_namespace n ON n.oid = t.relnamespace
      CROSS JOIN LATERAL unnest(x.indkey) WITH ORDINALITY AS k(attnum, ord)
      JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
      WHERE n.nspname = 'public' AND t.relname <> '_prisma_migrations'
      GROUP BY i.relname, t.relname, x.indisunique, x.indisprimary`);
    const actual = rows.map((r) => ({ name: r.index_name, table: r.table_name, unique: r.is_unique, primary: r.is_primary, columns: r.columns }));
    const expected = dmmf.datamodel.indexes.map((index) => {
      const model = models.find((m) => m.name === index.model)!;
      return {
        name: expectedIndexName(index),
        table: tableOf(model),
        unique: index.type !== "normal",
        primary: index.type === "id",
        columns: index.fields.map((f) => columnOf(model.fields.find((field) => field.name === f.name)!)),
      };
    });
    const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
    expect(actual.sort(byName)).toEqual(expected.sort(byName));
  });

  it("has a foreign key for every relation", async () => {
    const rows = await query<{ table_name: string; columns: string[]; foreign_table: string }>(`
      SELECT t.relname AS table_name, f.relname AS foreign_table,
             array(SELECT a.attname FROM unnest(c.conkey) AS k(attnum) JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum)::text[] AS columns
      FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_class f ON f.oid = c.confrelid
      WHERE c.contype = 'f'`);
    const actual = rows.map((r) => `${r.table_name}(${r.columns.join(",")}) → ${r.foreign_table}`).sort();
    const expected = models
      .flatMap((model) =>
        model.fields
          .filter((field) => field.kind === "object" && field.relationFromFields?.length)
          .map((field) => {
            const target = models.find((m) => m.name === field.type)!;
            const columns = field.relationFromFields!.map((name) => columnOf(model.fields.find((f) => f.name === name)!));
            return `${tableOf(model)}(${columns.join(",")}) → ${tableOf(target)}`;
          }),
      )
      .sort();
    expect(actual).toEqual(expected);
  });
});

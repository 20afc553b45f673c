import { defineConfig } from "prisma/config";

// Postbag applies its own migrations (src/db/migrate.ts), so the CLI needs only the
// schema here; DATABASE_URL matters solely to `prisma migrate status` where the
// schema-engine binary exists.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost/postbag" },
});

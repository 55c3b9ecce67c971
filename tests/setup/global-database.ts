import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { adminUrl, databaseUrl, dropDatabase, withAdmin } from "./postgres-admin";

declare module "vitest" {
  export interface ProvidedContext {
    pgTemplate: string | null;
  }
}

/**
 * With TEST_DATABASE_URL, migrate one template database per run; every test file then gets a
 * copy of it (CREATE DATABASE … TEMPLATE), so runs and files never see each other's rows.
 */
export default async function setup(project: TestProject) {
  if (!adminUrl) {
    project.provide("pgTemplate", null);
    return;
  }
  const template = `mb_tpl_${process.pid}_${Date.now().toString(36)}`;
  await withAdmin((sql) => sql.unsafe(`create database "${template}"`));
  const client = postgres(databaseUrl(template), { max: 1, onnotice: () => {} });
  await migrate(drizzle(client), { migrationsFolder: "db/migrations" });
  await client.end();
  project.provide("pgTemplate", template);
  return async () => {
    await dropDatabase(template);
  };
}

import PgBoss from "pg-boss";
import { afterAll, describe, expect, it } from "vitest";
import { databaseEngine } from "~db/client.server";
import { createQueueOnce, JOBS_SCHEMA } from "./queue.server";

// Two pg-boss instances with their own pools are, for PostgreSQL, two processes starting at once.
describe.skipIf(databaseEngine === "pglite")("queues created by two processes at once (PostgreSQL only: PGlite is one connection in one process, nothing can race there)", () => {
  const instances: PgBoss[] = [];
  afterAll(async () => {
    await Promise.all(instances.map((boss) => boss.stop({ graceful: false, wait: true })));
  });

  it("both processes start: the deadlock of pg-boss's concurrent create_queue is retried, each queue exists once", async () => {
    for (let index = 0; index < 2; index++) {
      const boss = new PgBoss({ connectionString: process.env.DATABASE_URL, schema: JOBS_SCHEMA, supervise: false, schedule: false, max: 2 });
      instances.push(boss);
      await boss.start();
    }
    const names = Array.from({ length: 8 }, (_, index) => `test.course-${index}`);
    // Each process creates its queues one after the other, as startJobs() does.
    const startUp = (boss: PgBoss) => names.reduce((previous, name) => previous.then(() => createQueueOnce(boss, name)), Promise.resolve());

    await expect(Promise.all(instances.map(startUp))).resolves.toBeDefined();
    const queues = await instances[0].getQueues();
    expect(queues.map((queue) => queue.name).filter((name) => name.startsWith("test.course-")).sort()).toEqual([...names].sort());
  });
});

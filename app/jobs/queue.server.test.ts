import { afterAll, describe, expect, it } from "vitest";
import { sqlRunner } from "~db/client.server";
import { enqueueJob, JOBS_SCHEMA, startJobQueue, stopJobQueue } from "./queue.server";

async function job(id: string | null) {
  const { rows } = await sqlRunner.query(
    `select name, state, data, retry_limit, retry_delay, retry_backoff from ${JOBS_SCHEMA}.job where id = $1`,
    [id],
  );
  return rows[0];
}

afterAll(async () => {
  await stopJobQueue();
});

describe("job queue", () => {
  it("enqueues in a process that runs no worker (JOBS=off): only the schema is needed", async () => {
    const id = await enqueueJob("test.sans-travailleur", { dossier: "AAP-2024-0001" });

    expect(await job(id)).toEqual({
      name: "test.sans-travailleur",
      state: "created",
      data: { dossier: "AAP-2024-0001" },
      retry_limit: 8,
      retry_delay: 5,
      retry_backoff: true,
    });
    // Nobody works this queue in a producer: the job waits for a worker process.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect((await job(id)).state).toBe("created");
  });

  it("lets the sender override the retry defaults", async () => {
    const id = await enqueueJob("test.sans-travailleur", {}, { retryLimit: 1, retryBackoff: false });
    expect(await job(id)).toMatchObject({ retry_limit: 1, retry_backoff: false, retry_delay: 5 });
  });

  it("keeps one instance per process, and replaces a producer when the process becomes a worker", async () => {
    const producer = await startJobQueue("producer");
    expect(await startJobQueue("producer")).toBe(producer);

    const worker = await startJobQueue("worker");
    expect(worker).not.toBe(producer);
    expect(await startJobQueue("producer")).toBe(worker);
    expect(await job(await enqueueJob("test.apres-bascule", { n: 1 }))).toMatchObject({ state: "created" });
  });

  it("starts again after a stop", async () => {
    const before = await startJobQueue("producer");
    await stopJobQueue();
    const id = await enqueueJob("test.apres-arret", {});
    expect(await startJobQueue("producer")).not.toBe(before);
    expect((await job(id)).state).toBe("created");
  });
});

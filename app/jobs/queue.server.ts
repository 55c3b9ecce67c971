import PgBoss from "pg-boss";
import { env } from "~/env.server";
import { databaseEngine, sqlRunner } from "~db/client.server";

/** pg-boss keeps its tables in a schema of its own, which the drizzle migrations never touch. */
export const JOBS_SCHEMA = "pgboss";

/**
 * Retries of every job unless the sender says otherwise: 8 retries with a doubling delay from
 * 5 s (JOBS_RETRY_DELAY; pg-boss adds jitter), so a job keeps trying for roughly 20 to 40
 * minutes, long enough to ride out an SMTP or database restart, short enough for a failure to
 * surface the same day. The options travel with each job, so the sender's setting is the one used.
 */
export const RETRY_DEFAULTS = { retryLimit: 8, retryDelay: env.JOBS_RETRY_DELAY, retryBackoff: true } as const satisfies PgBoss.RetryOptions;

/**
 * « producer »: only sends jobs (a web process with JOBS=off, a script, a test); it needs the
 * pg-boss schema and nothing else, so it starts no timer and no poller. « worker »: the process
 * that runs startJobs(); it also supervises (expires stuck jobs, archives) and runs schedules.
 */
export type JobQueueRole = "producer" | "worker";

interface JobQueue {
  role: JobQueueRole;
  started: Promise<PgBoss>;
  queues: Map<string, Promise<void>>;
}

/**
 * One pg-boss instance per process, kept on globalThis for the reason db/client.server.ts gives:
 * the Remix server bundle and the script hosting it are two module graphs in one process, and
 * two instances would mean two pools and two sets of pollers.
 */
const globalKey = Symbol.for("medicobus.jobQueue");
type GlobalWithJobQueue = typeof globalThis & { [globalKey]?: JobQueue };
const store = globalThis as GlobalWithJobQueue;

function createBoss(role: JobQueueRole) {
  const options = { schema: JOBS_SCHEMA, migrate: true, supervise: role === "worker", schedule: role === "worker" };
  const boss =
    databaseEngine === "postgres"
      ? // On PostgreSQL pg-boss keeps its own small pool: its pollers then never wait behind
        // the requests of the app's pool, and vice versa.
        new PgBoss({ ...options, connectionString: env.DATABASE_URL, max: role === "worker" ? 6 : 2, application_name: `medicobus-jobs-${role}` })
      : // PGlite is one in-process connection: pg-boss must share it (a second client cannot open
        // the data folder). sqlRunner runs parameterless text as a multi-statement script, which
        // pg-boss's schema creation and locked maintenance commands need.
        new PgBoss({ ...options, db: { executeSql: (text, values) => sqlRunner.query(text, values) } });
  boss.on("error", (error) => console.error("pg-boss:", error));
  return boss;
}

function activeQueue(role: JobQueueRole): JobQueue {
  const current = store[globalKey];
  if (current && !(role === "worker" && current.role === "producer")) return current;
  const boss = createBoss(role);
  const previous = current?.started.then((instance) => instance.stop({ graceful: false, wait: true })).catch(() => {});
  const queue: JobQueue = { role, started: Promise.resolve(previous).then(() => boss.start()), queues: new Map() };
  store[globalKey] = queue;
  // A failed start (database down) must not stick: the next call tries again.
  queue.started.catch(() => {
    if (store[globalKey] === queue) delete store[globalKey];
  });
  return queue;
}

/**
 * Starts this process's pg-boss instance (creating or upgrading its schema) and returns it. A
 * process that first sent jobs as a producer and then becomes a worker gets a new instance:
 * pg-boss reads `supervise` and `schedule` once, at start.
 */
export async function startJobQueue(role: JobQueueRole): Promise<PgBoss> {
  return activeQueue(role).started;
}

/**
 * Creates the queue `name` once per process and returns the instance. pg-boss 10 silently drops
 * a job sent to a queue that does not exist (send() returns null), so every producer makes sure
 * of it first; creating an existing queue is a no-op.
 */
export async function ensureQueue(name: string): Promise<PgBoss> {
  const queue = activeQueue("producer");
  let created = queue.queues.get(name);
  if (!created) {
    created = queue.started.then((boss) => createQueueOnce(boss, name));
    queue.queues.set(name, created);
    created.catch(() => queue.queues.delete(name));
  }
  await created;
  return queue.started;
}

/**
 * What PostgreSQL answers when two processes create the same queues at the same moment (both
 * starting on a fresh database): pg-boss's create_queue inserts the queue row and attaches a
 * partition to its job table in one transaction, and two of them deadlock (40P01) or collide on
 * the new row or table (23505, 42P07). The other process has created it, or is about to: asking
 * again is safe, create_queue does nothing for a queue that exists.
 */
const CONCURRENT_CREATION = new Set(["40P01", "23505", "42P07"]);

export async function createQueueOnce(boss: PgBoss, name: string) {
  for (let attempt = 1; ; attempt++) {
    try {
      await boss.createQueue(name);
      return;
    } catch (error) {
      if (attempt >= 5 || !CONCURRENT_CREATION.has((error as { code?: string }).code ?? "")) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt + Math.random() * 100));
    }
  }
}

/**
 * Queues a job with the retry defaults. Only the schema is needed, not a running worker: a web
 * process with JOBS=off enqueues here and a worker process picks the job up. Returns the job id,
 * or null when a singleton/throttle option of the caller made pg-boss drop a duplicate.
 */
export async function enqueueJob(name: string, data: object, options: PgBoss.SendOptions = {}): Promise<string | null> {
  const boss = await ensureQueue(name);
  return boss.send(name, data, { ...RETRY_DEFAULTS, ...options });
}

/** Stops this process's instance, waiting for running jobs up to `timeoutMs`. */
export async function stopJobQueue(timeoutMs = 20_000) {
  const queue = store[globalKey];
  if (!queue) return;
  delete store[globalKey];
  const boss = await queue.started.catch(() => null);
  await boss?.stop({ graceful: true, wait: true, timeout: timeoutMs });
}

import { z } from "zod";

/**
 * The environment, validated once at start. A wrong value stops the process with a
 * message that names the variable, instead of failing later on the first request.
 */
const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("127.0.0.1"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "doit être une URL postgres://…")
    .optional(),
  DATA_DIR: z.string().default("./.data"),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, "doit être une URL smtp://…").optional(),
  MAIL_FROM: z.string().default("Portail Médicobus <ne-pas-repondre@medicobus.localhost>"),
  PUBLIC_URL: z.string().url("doit être une URL complète").optional(),
  SESSION_SECRET: z.string().min(16, "doit faire au moins 16 caractères").default("dev-secret-change-me-in-production"),
  /**
   * « demo »: the quick start — demo call and accounts, mail kept in the development mailbox,
   * cookies without Secure (plain http on localhost). « production »: a real deployment — no
   * demo data, no mailbox, SMTP_URL, PUBLIC_URL and SESSION_SECRET required, Secure cookies, HSTS.
   */
  PORTAL_MODE: z.enum(["demo", "production"]).default("demo"),
  /** Whether this process runs the background jobs (mail delivery, reminders). */
  JOBS: z.enum(["on", "off"]).default("on"),
  /**
   * First retry delay of a failed job, in seconds, doubling at each retry (pg-boss's per-job
   * `retryDelay`). 5 rides out a 20–40 minute outage; the fault scripts shorten it to see a
   * recovery in seconds.
   */
  JOBS_RETRY_DELAY: z.coerce.number().int().min(1).max(3600).default(5),
});

export type Env = z.infer<typeof EnvSchema>;

function readEnv(): Env {
  const parsed = EnvSchema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  - ${issue.path.join(".")} : ${issue.message}`);
    throw new Error(`Configuration invalide (variables d'environnement) :\n${lines.join("\n")}`);
  }
  const env = parsed.data;
  if (env.PORTAL_MODE === "production") {
    const missing = [
      env.SESSION_SECRET.startsWith("dev-secret") ? "SESSION_SECRET" : null,
      env.SMTP_URL ? null : "SMTP_URL",
      env.PUBLIC_URL ? null : "PUBLIC_URL",
    ].filter(Boolean);
    if (missing.length > 0) {
      throw new Error(`Configuration invalide : en mode production, définissez ${missing.join(", ")}.`);
    }
  }
  return env;
}

export const env = readEnv();
export const isProduction = env.PORTAL_MODE === "production";
/** Mail is stored and readable at /dev/courriels only outside production and without SMTP. */
export const devMailboxEnabled = !isProduction && !env.SMTP_URL;

import { asc, eq } from "drizzle-orm";
import { db } from "~db/client.server";
import { calls, waves } from "~db/schema";
import { waveClosing, waveState } from "./rules";
import { readCallRules } from "./schema";

/** The call shown on the public home page: the most recent one, with its waves in order. */
export async function getPublicCall(now = new Date()) {
  const [call] = await db.select().from(calls).orderBy(asc(calls.createdAt)).limit(1);
  if (!call) return null;
  const callWaves = await db.select().from(waves).where(eq(waves.callId, call.id)).orderBy(asc(waves.number));
  return {
    ...call,
    rules: readCallRules(call.rules),
    waves: callWaves.map((wave) => ({
      ...wave,
      state: waveState(wave, now),
      closesAt: waveClosing(wave).toISOString(),
    })),
  };
}

/** Every wave of every call, for the filters of the agents' list: call, then wave number. */
export async function listWaves() {
  return db
    .select({ id: waves.id, number: waves.number, title: waves.title, callId: calls.id, callTitle: calls.title })
    .from(waves)
    .innerJoin(calls, eq(calls.id, waves.callId))
    .orderBy(asc(calls.createdAt), asc(waves.number));
}

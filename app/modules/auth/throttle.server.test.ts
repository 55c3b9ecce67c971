import { describe, expect, it } from "vitest";
import { db, transaction } from "~db/client.server";
import { DomainError } from "~/utils/errors";
import { uniqueEmail } from "../../../tests/fixtures/users";
import { assertNotThrottled, clearAttempts, recordAttempt, THROTTLE_RULES, type ThrottledAction } from "./throttle.server";

const start = new Date("2025-03-01T10:00:00Z");
const minutesLater = (minutes: number) => new Date(start.getTime() + minutes * 60_000);
let ipSequence = 0;
const uniqueIp = () => `198.51.100.${++ipSequence}`;

async function check(action: ThrottledAction, keys: { email: string; ip: string | null }, now: Date) {
  return assertNotThrottled(db, action, keys, now).then(
    () => null,
    (error: unknown) => error as DomainError,
  );
}

async function fail(action: ThrottledAction, keys: { email: string; ip: string | null }, times: number, now = start) {
  for (let i = 0; i < times; i++) await transaction((tx) => recordAttempt(tx, action, keys, now));
}

describe("throttling rules (data)", () => {
  it("are the limits of the brief", () => {
    expect(THROTTLE_RULES.sign_in).toEqual([
      { scope: "email", max: 5, windowMinutes: 15 },
      { scope: "ip", max: 20, windowMinutes: 15 },
    ]);
    expect(THROTTLE_RULES.password_reset).toEqual([
      { scope: "email", max: 3, windowMinutes: 60 },
      { scope: "ip", max: 10, windowMinutes: 60 },
    ]);
  });

  // Every rule of every action is exercised the same way: max − 1 attempts pass, max refuse,
  // and the window's end frees the key.
  for (const [action, rules] of Object.entries(THROTTLE_RULES) as Array<[ThrottledAction, (typeof THROTTLE_RULES)[ThrottledAction]]>) {
    for (const rule of rules) {
      it(`${action}: ${rule.max} per ${rule.scope} in ${rule.windowMinutes} minutes`, async () => {
        const ip = uniqueIp();
        // For the IP rule, spread the attempts over many addresses so that only the IP counts.
        const keysFor = (i: number) => ({ email: rule.scope === "email" ? `meme.${ip}@exemple.fr` : uniqueEmail(`ip${i}`), ip });
        for (let i = 0; i < rule.max - 1; i++) await fail(action, keysFor(i), 1);
        expect(await check(action, keysFor(99), start)).toBeNull();
        await fail(action, keysFor(rule.max), 1);
        const refused = await check(action, keysFor(rule.scope === "email" ? 0 : 100), minutesLater(1));
        expect(refused).toBeInstanceOf(DomainError);
        expect(refused?.status).toBe(429);
        expect(refused?.message).toBe(
          `Trop de tentatives. Pour protéger les comptes, réessayez dans ${rule.windowMinutes - 1} minutes.`,
        );
        expect(await check(action, keysFor(0), minutesLater(rule.windowMinutes))).toBeNull();
      });
    }
  }
});

describe("throttling", () => {
  it("counts each email apart", async () => {
    const ip = uniqueIp();
    const blocked = { email: uniqueEmail(), ip };
    await fail("sign_in", blocked, 5);
    expect((await check("sign_in", blocked, start))?.status).toBe(429);
    expect(await check("sign_in", { email: uniqueEmail(), ip }, start)).toBeNull();
  });

  it("forgives an email's failures when cleared, not the IP's", async () => {
    const ip = uniqueIp();
    const email = uniqueEmail();
    await fail("sign_in", { email, ip }, 5);
    await transaction((tx) => clearAttempts(tx, "sign_in", { email }));
    expect(await check("sign_in", { email, ip }, start)).toBeNull();
    await fail("sign_in", { email: uniqueEmail(), ip }, 15);
    expect((await check("sign_in", { email, ip }, start))?.status).toBe(429);
  });

  it("announces the wait until the oldest counted attempt leaves the window, in whole minutes", async () => {
    const keys = { email: uniqueEmail(), ip: null };
    await fail("sign_in", keys, 1, start);
    await fail("sign_in", keys, 4, minutesLater(10));
    expect((await check("sign_in", keys, minutesLater(10)))?.message).toMatch(/réessayez dans 5 minutes/);
    expect((await check("sign_in", keys, minutesLater(14.5)))?.message).toMatch(/réessayez dans 1 minute\./);
    // The first failure has left the window: four remain, under the limit.
    expect(await check("sign_in", keys, minutesLater(15))).toBeNull();
  });
});

import { describe, expect, it } from "vitest";
import { accountStatus } from "./account-status";

describe("accountStatus", () => {
  const base = { disabledAt: null, hasPassword: true, emailVerifiedAt: new Date() };
  it("reads the columns in order of importance", () => {
    expect(accountStatus(base)).toBe("active");
    expect(accountStatus({ ...base, emailVerifiedAt: null })).toBe("unverified");
    expect(accountStatus({ ...base, hasPassword: false, emailVerifiedAt: null })).toBe("invited");
    expect(accountStatus({ ...base, hasPassword: false, disabledAt: new Date() })).toBe("disabled");
  });
});

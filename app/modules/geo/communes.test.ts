import { describe, expect, it } from "vitest";
import { findCommune, normaliseName, searchCommunes } from "./communes.server";
import { departementName, timeZoneOfDepartement } from "./departements";
import { isRegionCode, regionName } from "./regions";

describe("official geographic code", () => {
  it("finds a current commune with its département, région, population and EPCI", () => {
    const alencon = findCommune("61001");
    expect(alencon).toMatchObject({ name: "Alençon", departementCode: "61", regionCode: "28", postalCodes: ["61000"] });
    expect(alencon!.population).toBeGreaterThan(20_000);
    expect(alencon!.epciCode).toMatch(/^\d{9}$/);
    expect(regionName(alencon!.regionCode)).toBe("Normandie");
    expect(departementName(alencon!.departementCode)).toBe("Orne");
  });

  it("knows no commune for an unknown code", () => {
    expect(findCommune("00000")).toBeNull();
    expect(findCommune("../../etc/passwd")).toBeNull();
  });

  it("searches by name without accents, prefix matches first, then by size", () => {
    const results = searchCommunes("alencon");
    expect(results[0].name).toBe("Alençon");
    expect(searchCommunes("Saint-Étienne")[0].name).toBe("Saint-Étienne");
    expect(normaliseName("Saint-Étienne-du-Rouvray")).toBe("saint etienne du rouvray");
  });

  it("searches by postal code and by INSEE code", () => {
    expect(searchCommunes("61000").map((c) => c.code)).toContain("61001");
    expect(searchCommunes("61001")[0].code).toBe("61001");
  });

  it("knows overseas départements, their région and time zone", () => {
    const abymes = findCommune("97101");
    expect(abymes?.regionCode).toBe("01");
    expect(isRegionCode("01")).toBe(true);
    expect(timeZoneOfDepartement("971")).toBe("America/Guadeloupe");
    expect(timeZoneOfDepartement("61")).toBe("Europe/Paris");
  });
});

import { parseWithZod } from "@conform-to/zod/v4";
import { describe, expect, it } from "vitest";
import { REGIONS } from "~/modules/geo/regions";
import { AGENT_ROLES, ROLE_REGION_RULE } from "./roles";
import { GrantRoleSchema, InviteAgentSchema, RegisterSchema, safeRedirectPath, SignInSchema } from "./schema";

function form(fields: Record<string, string>) {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.set(name, value);
  return data;
}

/** The errors of a refused submission, by field. */
function errorsOf(submission: { reply(): { error?: Record<string, string[] | null> | null } }) {
  return submission.reply().error ?? {};
}

describe("account schemas", () => {
  it("normalise the email (trim, lower case) and name the missing fields in French", () => {
    const ok = parseWithZod(form({ email: "  Marie.Curie@Exemple.FR ", password: "x" }), { schema: SignInSchema });
    expect(ok.status === "success" && ok.value.email).toBe("marie.curie@exemple.fr");
    const empty = parseWithZod(form({}), { schema: RegisterSchema });
    expect(errorsOf(empty)).toEqual({
      name: ["Saisissez le nom et le prénom."],
      email: ["Saisissez votre adresse électronique."],
      password: ["Saisissez un mot de passe."],
      confirmation: ["Confirmez le mot de passe."],
    });
  });

  it("want a password of at least 12 characters, confirmed", () => {
    const result = parseWithZod(form({ name: "Marie Curie", email: "m@exemple.fr", password: "onze-caract", confirmation: "autre" }), { schema: RegisterSchema });
    expect(errorsOf(result).password).toEqual(["Le mot de passe doit comporter au moins 12 caractères."]);
    expect(errorsOf(result).confirmation).toEqual(["Les deux mots de passe ne sont pas identiques."]);
  });

  it("read the régions from the official geographic code: the 18 that have an ARS", () => {
    expect(REGIONS).toHaveLength(18);
    expect(REGIONS.find((region) => region.code === "28")?.name).toBe("Normandie");
    expect(REGIONS.some((region) => region.code === "975")).toBe(false);
  });

  // Every agent role × with and without a région, by the rule table.
  for (const role of AGENT_ROLES) {
    for (const regionCode of ["", "53"]) {
      const rule = ROLE_REGION_RULE[role];
      const expected = rule === "required" && !regionCode ? "refused" : rule === "none" ? null : regionCode || null;
      it(`${role} ${regionCode ? "with" : "without"} a région → ${String(expected)}`, () => {
        const fields = { email: "agent@exemple.fr", name: "Agent Test", role, ...(regionCode ? { regionCode } : {}) };
        for (const schema of [InviteAgentSchema, GrantRoleSchema]) {
          const result = parseWithZod(form(fields), { schema });
          if (expected === "refused") expect(errorsOf(result).regionCode?.[0]).toMatch(/Choisissez une région/);
          else expect(result.status === "success" && result.value.regionCode).toBe(expected);
        }
      });
    }
  }

  it("refuse a région code that is not in the list, and a role that cannot be invited", () => {
    expect(errorsOf(parseWithZod(form({ role: "ars_agent", regionCode: "99" }), { schema: GrantRoleSchema })).regionCode).toEqual(["Choisissez une région dans la liste."]);
    expect(errorsOf(parseWithZod(form({ role: "applicant" }), { schema: GrantRoleSchema })).role).toEqual(["Choisissez un rôle."]);
  });
});

describe("safeRedirectPath", () => {
  it("keeps a local path and refuses anything that could leave the site", () => {
    expect(safeRedirectPath("/admin?q=x#a", "/")).toBe("/admin?q=x#a");
    for (const evil of [null, "", "admin", "//evil.example", "/\\evil.example", "https://evil.example", "/\nevil", "/a\\b"]) {
      expect(safeRedirectPath(evil, "/fallback")).toBe("/fallback");
    }
  });
});

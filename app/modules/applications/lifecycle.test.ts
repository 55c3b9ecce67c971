import { describe, expect, it } from "vitest";
import { APPLICATION_STATUSES, ROLES } from "~db/schema";
import { checkTransition, STATUS_BADGES, STATUS_LABELS, TRANSITIONS, type ApplicationEvent } from "./lifecycle";

const EVENTS = Object.keys(TRANSITIONS) as ApplicationEvent[];

describe("dossier life cycle", () => {
  it("labels every status in French and gives it a badge", () => {
    for (const status of APPLICATION_STATUSES) {
      expect(STATUS_LABELS[status]).toMatch(/\S/);
      expect(status in STATUS_BADGES).toBe(true);
    }
  });

  it("answers every status × event × role, allowing exactly what the table says", () => {
    let allowed = 0;
    for (const status of APPLICATION_STATUSES) {
      for (const event of EVENTS) {
        for (const role of ROLES) {
          const transition = TRANSITIONS[event];
          const result = checkTransition(status, event, [role], "motivation écrite");
          const expected = (transition.from as readonly string[]).includes(status) && (transition.by as readonly string[]).includes(role);
          expect(result.allowed, `${status} × ${event} × ${role}`).toBe(expected);
          if (result.allowed) {
            allowed++;
            expect(result.to).toBe(transition.to);
          } else {
            expect(result.message).toMatch(/\S/);
          }
        }
      }
    }
    expect(allowed).toBeGreaterThan(0);
  });

  it("reaches every status from draft", () => {
    const reached = new Set<string>(["draft"]);
    let grew = true;
    while (grew) {
      grew = false;
      for (const event of EVENTS) {
        const transition = TRANSITIONS[event];
        if (transition.from.some((status) => reached.has(status)) && !reached.has(transition.to)) {
          reached.add(transition.to);
          grew = true;
        }
      }
    }
    expect([...reached].sort()).toEqual([...APPLICATION_STATUSES].sort());
  });

  it("requires a motivation where the table says so", () => {
    expect(checkTransition("submitted", "declare_ineligible", ["ars_agent"], "  ")).toMatchObject({ allowed: false, reason: "motivation" });
    expect(checkTransition("draft", "submit", ["applicant"])).toEqual({ allowed: true, to: "submitted" });
  });

  it("lets an applicant withdraw before a final decision and a selected dossier, never after a refusal", () => {
    expect(checkTransition("under_review", "withdraw", ["applicant"], "raison").allowed).toBe(true);
    expect(checkTransition("selected", "withdraw", ["applicant"], "raison").allowed).toBe(true);
    expect(checkTransition("rejected", "withdraw", ["applicant"], "raison").allowed).toBe(false);
    expect(checkTransition("withdrawn", "withdraw", ["applicant"], "raison").allowed).toBe(false);
  });
});

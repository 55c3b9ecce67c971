import { describe, expect, it } from "vitest";
import { isCurrentSection, PROGRAMME_SECTIONS } from "./ProgrammeNav";

describe("programme side menu", () => {
  const current = (pathname: string) => PROGRAMME_SECTIONS.filter((section) => isCurrentSection(section, pathname)).map((section) => section.to);

  it("marks exactly one section on each page of the area", () => {
    expect(current("/programme")).toEqual(["/programme"]);
    expect(current("/programme/")).toEqual(["/programme"]);
    expect(current("/programme/vagues/1")).toEqual(["/programme/vagues"]);
    expect(current("/programme/courriers")).toEqual(["/programme/courriers"]);
    expect(current("/programme/journal")).toEqual(["/programme/journal"]);
  });

  it("does not take a longer sibling name for a sub-page", () => {
    expect(current("/programme/vaguesx")).toEqual([]);
  });
});

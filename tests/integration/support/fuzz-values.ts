import fc from "fast-check";

/**
 * What a hostile or careless client can put in a form field, as fast-check arbitraries. Each
 * form action is fuzzed with its real field names (form-fuzz-specs.ts), each field getting either
 * a plausible value of its kind or one of these.
 */

/** 100 kB and more: one of them per field is enough to find an unbounded column or a slow parser. */
export const hugeString = fc
  .tuple(fc.integer({ min: 100_000, max: 160_000 }), fc.constantFrom("a", "é", "😀", "<b>", "9", " ", "\u202e"))
  .map(([length, unit]) => unit.repeat(Math.ceil(length / unit.length)));

/** Right-to-left overrides, combining marks, emoji sequences, NUL and other controls, lone surrogates. */
export const strangeUnicode = fc.oneof(
  fc.constantFrom(
    "\u202eevil.exe\u202c",
    "\u0645\u0631\u062d\u0628\u0627 \u05e9\u05dc\u05d5\u05dd",
    "e\u0301\u0301\u0301\u0301\u0301\u0301",
    "Z\u0351\u036b\u0343\u036a\u0302\u036b\u033d\u034f\u0334",
    "👩‍👩‍👧‍👦🏳️‍🌈🇫🇷",
    "\u0000",
    "a\u0000b",
    "\u0000\u0001\u0002\u001b[31m",
    "\ud800",
    "\udfff\ud800",
    "\ufeff\u200b\u200d",
    "\u00a0\u202f\u2007",
    "Ｍａｒｉｅ",
    "ǅ ß ﬁ İ",
  ),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 40 }),
);

export const markup = fc.constantFrom(
  "<script>alert(1)</script>",
  '"><img src=x onerror=alert(1)>',
  "javascript:alert(document.cookie)",
  "<svg/onload=alert(1)>",
  "{{7*7}}${7*7}<%= 7*7 %>",
  "'; drop table users; --",
  "' or '1'='1",
  "../../../../etc/passwd",
  "%00%2e%2e%2f",
  "=HYPERLINK(\"http://evil.example\")",
  "<!--",
);

/** Negative, enormous, not-a-number, and the French way of writing numbers. */
export const oddNumber = fc.oneof(
  fc.constantFrom("-1", "-0", "0", "00", "1e309", "-1e309", "NaN", "Infinity", "-Infinity", "9007199254740993", "99999999999999999999999999"),
  fc.constantFrom("1 000,50", "1\u00a0000,50", "1\u202f000,50", "120 000,50 €", "3,14", "3.14", "1,000.50", "0x10", "1e3", " 42 ", "+7", "½", "٣"),
  fc.integer().map(String),
  fc.double().map(String),
  fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map(String),
);

export const blank = fc.constantFrom("", " ", "   ", "\t\n", "\r\n");

export const oddDate = fc.constantFrom("2026-02-30", "9999-12-31", "0000-00-00", "2026-13-01", "31/12/2026", "2026-1-1", "demain", "1970-01-01T00:00:00Z");
export const oddTime = fc.constantFrom("24:00", "12:60", "-1:00", "12:00:00", "midi", "1200", "23:59");
export const oddBoolean = fc.constantFrom("on", "off", "true", "false", "1", "0", "yes", "");

/** Any of the above, with the weights of what a fuzzer should try most often. */
export const hostileText = fc.oneof(
  { arbitrary: hugeString, weight: 1 },
  { arbitrary: strangeUnicode, weight: 3 },
  { arbitrary: markup, weight: 2 },
  { arbitrary: oddNumber, weight: 2 },
  { arbitrary: blank, weight: 1 },
  { arbitrary: fc.uuid().map(String), weight: 1 },
);

/** The kinds of value a form field holds; each has plausible values besides the hostile ones. */
export type FieldKind =
  | "text"
  | "email"
  | "password"
  | "token"
  | "amount"
  | "integer"
  | "percent"
  | "date"
  | "time"
  | "checkbox"
  | { oneOf: readonly string[] }
  | { ids: readonly string[] };

const plausible: Record<Exclude<FieldKind, object>, fc.Arbitrary<string>> = {
  text: fc.oneof(fc.constantFrom("Médicobus du Perche", "Une réponse argumentée.", "Retard de livraison du véhicule."), fc.string({ minLength: 1, maxLength: 300 })),
  email: fc.oneof(fc.emailAddress(), fc.constantFrom("marie.durand@exemple.fr", " MARIE.Durand@Exemple.FR ", "sans-arobase.fr", "a@b", "@exemple.fr")),
  password: fc.oneof(fc.string({ minLength: 12, maxLength: 40 }), fc.constantFrom("correct-horse-battery", "court", "a".repeat(201))),
  token: fc.oneof(fc.base64String({ minLength: 20, maxLength: 60 }), fc.constantFrom("x", "a".repeat(201))),
  amount: fc.oneof(fc.integer({ min: 0, max: 500_000 }).map(String), fc.constantFrom("36 600", "80 000,00", "1\u202f234,56", "0,01", "12,345")),
  integer: fc.oneof(fc.integer({ min: 0, max: 2000 }).map(String), fc.constantFrom("2", "50", "1 000")),
  percent: fc.oneof(fc.integer({ min: 0, max: 100 }).map(String), fc.constantFrom("33,5", "30 %", "50.25", "100,001")),
  date: fc.date({ min: new Date("2020-01-01"), max: new Date("2030-12-31"), noInvalidDate: true }).map((date) => date.toISOString().slice(0, 10)),
  time: fc.constantFrom("12:00", "00:00", "08:30", "18:45"),
  checkbox: fc.constantFrom("on", "true"),
};

/** A value the form itself would send for a field of this kind (which the action may still refuse). */
export function goodValueOf(kind: FieldKind): fc.Arbitrary<string> {
  return typeof kind === "string" ? plausible[kind] : "oneOf" in kind ? fc.constantFrom(...kind.oneOf) : fc.constantFrom(...kind.ids);
}

export function valueOf(kind: FieldKind): fc.Arbitrary<string> {
  const good = goodValueOf(kind);
  // Forged ids: the other dossiers' and organisations' ids, ids that exist nowhere, and malformed ones.
  const forged = fc.oneof(fc.uuid().map(String), fc.constantFrom("00000000-0000-0000-0000-000000000000", "not-a-uuid", "MB-2026-ZZZZZZ", "1", "-1"));
  return fc.oneof({ arbitrary: good, weight: 4 }, { arbitrary: hostileText, weight: 3 }, { arbitrary: forged, weight: 1 }, { arbitrary: oddDate, weight: kind === "date" ? 1 : 0 }, { arbitrary: oddTime, weight: kind === "time" ? 1 : 0 }, { arbitrary: oddBoolean, weight: kind === "checkbox" ? 1 : 0 });
}

export type FormEntries = Array<[name: string, value: string]>;

/**
 * A form around real field names. Half of the forms are the page's own with one field spoiled
 * (missing, duplicated or hostile): they get past the other fields' checks to the one that
 * matters. The other half spoil any field: each missing, present once or twice (a duplicated
 * field: conform reads it as a list), plus now and then a field the action does not know.
 */
export function formEntries(fields: Record<string, FieldKind>): fc.Arbitrary<FormEntries> {
  const names = Object.keys(fields);
  if (names.length === 0) return fc.constant([]);
  const good = fc.tuple(...names.map((name) => goodValueOf(fields[name])));
  const spoiled = fc.tuple(good, fc.nat(names.length - 1), fc.oneof(fc.constant<"missing">("missing"), fc.constant<"twice">("twice"), hostileText)).map(([values, index, spoil]): FormEntries => {
    const entries: FormEntries = names.map((name, at) => [name, values[at]]);
    if (spoil === "missing") return entries.filter((_, at) => at !== index);
    if (spoil === "twice") return [...entries, [names[index], values[(index + 1) % values.length]]];
    return entries.map(([name, value], at): [string, string] => [name, at === index ? spoil : value]);
  });
  return fc.oneof(spoiled, anyForm(fields));
}

function anyForm(fields: Record<string, FieldKind>): fc.Arbitrary<FormEntries> {
  const perField = Object.entries(fields).map(([name, kind]) =>
    fc.oneof(
      { arbitrary: fc.constant<FormEntries>([]), weight: 1 },
      { arbitrary: valueOf(kind).map((value): FormEntries => [[name, value]]), weight: 6 },
      { arbitrary: fc.tuple(valueOf(kind), valueOf(kind)).map(([a, b]): FormEntries => [[name, a], [name, b]]), weight: 1 },
    ),
  );
  const unknown = fc.oneof(
    { arbitrary: fc.constant<FormEntries>([]), weight: 6 },
    { arbitrary: fc.tuple(fc.constantFrom("__proto__", "constructor", "id", "status", "createdBy", "data[0]", "a.b.c", "x".repeat(300)), hostileText).map(([name, value]): FormEntries => [[name, value]]), weight: 1 },
  );
  return fc.tuple(fc.tuple(...perField), unknown).map(([parts, extra]) => [...parts.flat(), ...extra]);
}

/** An `intent` field: the action's real ones most of the time, otherwise a wrong or missing one. */
export function intentEntries(intents: readonly string[]): fc.Arbitrary<FormEntries> {
  return fc.oneof(
    { arbitrary: fc.constantFrom(...intents).map((intent): FormEntries => [["intent", intent]]), weight: 8 },
    { arbitrary: fc.constant<FormEntries>([]), weight: 1 },
    { arbitrary: fc.oneof(hostileText, fc.constantFrom("delete", "admin", "SUBMIT", "submit ", "goto:/admin", "goto://evil.example")).map((intent): FormEntries => [["intent", intent]]), weight: 1 },
    { arbitrary: fc.tuple(fc.constantFrom(...intents), fc.constantFrom(...intents)).map(([a, b]): FormEntries => [["intent", a], ["intent", b]]), weight: 1 },
  );
}

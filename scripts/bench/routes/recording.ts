/** One SQL statement as the portal's postgres.js client sent it during a request. */
export interface RecordedStatement {
  /** postgres.js connection id: statements of one transaction share it. */
  connection: number;
  text: string;
  params: unknown[];
  /** Milliseconds since the request started, when the statement was sent. */
  at: number;
}

export interface RecordedRequest {
  key: string;
  method: "GET" | "POST";
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** A warm-up request is sent but not recorded: the floor replays what a warm process does. */
  record: boolean;
}

export interface Recording {
  key: string;
  status: number;
  statements: RecordedStatement[];
}

/**
 * Statements sent within this time of the first of a group went out together (a Promise.all in
 * the loader): the floor sends them together too. Sequential statements are at least one round
 * trip to PostgreSQL apart, several times this.
 */
export const TOGETHER_MS = 0.05;

/** A step of the replay: a transaction (begin … commit on one connection), or statements sent together. */
export type ReplayStep = { kind: "transaction"; statements: RecordedStatement[] } | { kind: "together"; statements: RecordedStatement[] };

const isBegin = (text: string) => /^begin\b/i.test(text.trim());
const isEnd = (text: string) => /^(commit|rollback)\b/i.test(text.trim());

/** The recorded statements of one request in the shape the floor replays them. */
export function replaySteps(statements: RecordedStatement[]): ReplayStep[] {
  const steps: ReplayStep[] = [];
  for (let index = 0; index < statements.length; index++) {
    const statement = statements[index];
    if (isBegin(statement.text)) {
      const inside = [statement];
      while (++index < statements.length) {
        const next = statements[index];
        if (next.connection !== statement.connection) throw new Error(`Une requête hors transaction s'intercale dans la transaction : ${next.text.slice(0, 80)}`);
        inside.push(next);
        if (isEnd(next.text)) break;
      }
      steps.push({ kind: "transaction", statements: inside });
      continue;
    }
    const last = steps.at(-1);
    if (last?.kind === "together" && statement.at - last.statements[0].at < TOGETHER_MS) last.statements.push(statement);
    else steps.push({ kind: "together", statements: [statement] });
  }
  return steps;
}

/**
 * The autosave writes a new version each time: its statements depend on the version posted and
 * on the time of the save. From two recordings of the same save (versions v and v + 1), the
 * parameters that differ are found and named; any other difference is refused.
 */
export type Slot = { kind: "constant"; value: unknown } | { kind: "version"; offset: number } | { kind: "now" };

const isTimestamp = (value: unknown) => typeof value === "string" && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(value);

export function autosaveTemplate(first: Recording, second: Recording, versions: [number, number]) {
  if (first.statements.length !== second.statements.length) throw new Error(`${first.key} : les deux enregistrements n'ont pas les mêmes requêtes.`);
  return first.statements.map((statement, index) => {
    const other = second.statements[index];
    if (statement.text !== other.text) throw new Error(`${first.key} : requête ${index} différente d'un enregistrement à l'autre.`);
    const slots = statement.params.map((value, position): Slot => {
      const next = other.params[position];
      if (JSON.stringify(value) === JSON.stringify(next)) return { kind: "constant", value };
      if (Number(value) === versions[0] && Number(next) === versions[1]) return { kind: "version", offset: 0 };
      if (isTimestamp(value) && isTimestamp(next)) return { kind: "now" };
      throw new Error(`${first.key} : le paramètre ${position + 1} de la requête ${index} change sans explication (${String(value)} → ${String(next)}).`);
    });
    return { ...statement, slots };
  });
}

export type AutosaveTemplate = ReturnType<typeof autosaveTemplate>;

export function fillTemplate(template: AutosaveTemplate, version: number, now = new Date()): RecordedStatement[] {
  const iso = now.toISOString();
  return template.map(({ slots, ...statement }) => ({
    ...statement,
    params: slots.map((slot) => (slot.kind === "constant" ? slot.value : slot.kind === "version" ? version + slot.offset : iso)),
  }));
}

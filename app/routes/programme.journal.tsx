import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { auditActionLabel, auditEntityLabel } from "~/modules/audit/labels";
import { AUDIT_FILTER_NAMES, auditFilterOptions, countAuditEntries, listAuditEntries, parseAuditFilters, verifyAuditChain, type AuditFilters } from "~/modules/audit/queries.server";
import { requireRole } from "~/modules/auth/session.server";
import { DomainError } from "~/utils/errors";
import { formatEuros, formatInteger } from "~/utils/format";

export const meta: MetaFunction = () => [{ title: "Journal d'audit — Programme — Portail Médicobus" }];

const PATH = "/programme/journal";
const FILTER_LABELS: Record<(typeof AUDIT_FILTER_NAMES)[number], string> = {
  action: "Action",
  entityType: "Objet",
  actorId: "Auteur",
  reference: "Référence du dossier",
  from: "Du",
  to: "Au",
};
const fieldId = (name: string) => `journal-${name}`;

function readValues(searchParams: URLSearchParams) {
  const values: Partial<Record<(typeof AUDIT_FILTER_NAMES)[number], string>> = {};
  for (const name of AUDIT_FILTER_NAMES) {
    const value = searchParams.get(name)?.trim();
    if (value) values[name] = value;
  }
  return values;
}

/**
 * The audit log for the programme team: every recorded action, newest first, filtered by action,
 * object, author, dossier and dates (Paris days), a page at a time by keyset (`?avant=<id>`).
 * Bad filters answer 400 with the form and its errors. Program managers only.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "program_manager");
  const searchParams = new URL(request.url).searchParams;
  const values = readValues(searchParams);
  const before = Number(searchParams.get("avant"));
  const options = await auditFilterOptions();
  let filters: AuditFilters;
  try {
    filters = parseAuditFilters(values);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return json({ values, options, errors: { message: error.message, fields: error.fieldErrors }, page: null }, { status: 400 });
  }
  const [page, total] = await Promise.all([listAuditEntries(filters, { before: Number.isSafeInteger(before) && before > 0 ? before : null }), countAuditEntries(filters)]);
  return json({
    values,
    options,
    errors: null,
    page: {
      total,
      first: !searchParams.get("avant"),
      nextBefore: page.nextBefore,
      entries: page.entries.map((entry) => ({ ...entry, at: entry.at.toISOString(), data: entry.data as Record<string, unknown> })),
    },
  });
}

/** « Vérifier la chaîne »: the whole chain recomputed, by the function scripts/verify-audit.ts runs. */
export async function action({ request }: ActionFunctionArgs) {
  await requireRole(request, "program_manager");
  const result = await verifyAuditChain();
  return json(result.ok ? { ok: true as const, rows: result.rows } : { ok: false as const, rows: result.rows, broken: { ...result.broken, at: result.broken.at.toISOString() } });
}

const dateTime = new Intl.DateTimeFormat("fr-FR", { timeZone: "Europe/Paris", dateStyle: "short", timeStyle: "medium" });

/** A detail value as a person reads it: cents as euros, lists and objects as compact text. */
function detailText(key: string, value: unknown): string {
  if (value === null || value === undefined) return "—";
  if (typeof value === "number" && /Cents$/.test(key)) return formatEuros(value);
  if (typeof value === "boolean") return value ? "oui" : "non";
  if (typeof value === "object") return JSON.stringify(value, null, 1).replace(/\s*\n\s*/g, " ");
  return String(value);
}

function Details({ data }: { data: Record<string, unknown> }) {
  const entries = Object.entries(data ?? {});
  if (entries.length === 0) return <span className="fr-text--sm">—</span>;
  return (
    <dl className="fr-text--sm fr-mb-0">
      {entries.map(([key, value]) => (
        <div key={key}>
          <dt style={{ display: "inline", fontWeight: 700 }}>{key} : </dt>
          <dd style={{ display: "inline", margin: 0, overflowWrap: "anywhere" }}>{detailText(key, value)}</dd>
        </div>
      ))}
    </dl>
  );
}

export default function AuditJournal() {
  const { values, options, errors, page } = useLoaderData<typeof loader>();
  const verification = useActionData<typeof action>();
  const navigation = useNavigation();
  const verifying = navigation.state === "submitting" && navigation.formMethod?.toUpperCase() === "POST";
  const query = new URLSearchParams(Object.entries(values) as Array<[string, string]>);
  const olderHref = page?.nextBefore ? `${PATH}?${new URLSearchParams([...query, ["avant", String(page.nextBefore)]])}` : null;
  const exportHref = (format: "csv" | "xlsx") => `/programme/exports/journal?${new URLSearchParams([...query, ["format", format]])}`;
  const errorOf = (name: string) => errors?.fields[name]?.join(" ");
  const state = (name: string) => (errorOf(name) ? ("error" as const) : ("default" as const));

  const select = (name: "action" | "entityType" | "actorId", choices: Array<{ value: string; label: string }>, placeholder: string) => (
    <div className="fr-col-12 fr-col-md-4">
      <Select label={FILTER_LABELS[name]} state={state(name)} stateRelatedMessage={errorOf(name)} nativeSelectProps={{ id: fieldId(name), name, defaultValue: values[name] ?? "" }}>
        <option value="">{placeholder}</option>
        {choices.map((choice) => (
          <option key={choice.value} value={choice.value}>
            {choice.label}
          </option>
        ))}
      </Select>
    </div>
  );

  return (
    <>
      <h1>Journal d'audit</h1>
      <p>
        Chaque décision, écriture budgétaire, dérogation et action sensible est inscrite dans ce journal, qui ne peut être ni modifié ni effacé. Chaque ligne porte l'empreinte de la précédente :
        une ligne altérée rompt la chaîne à partir d'elle.
      </p>

      <section aria-labelledby="verification-titre" className="fr-mb-4w">
        <h2 id="verification-titre" className="fr-h5">
          Intégrité de la chaîne
        </h2>
        <Form method="post">
          <Button type="submit" priority="secondary" iconId="fr-icon-shield-line" disabled={verifying}>
            {verifying ? "Vérification en cours…" : "Vérifier la chaîne"}
          </Button>
        </Form>
        <div role="status" className="fr-mt-2w">
          {verification?.ok ? (
            <div className="fr-alert fr-alert--success fr-alert--sm">
              <p>Chaîne vérifiée : {formatInteger(verification.rows)} lignes intègres.</p>
            </div>
          ) : verification && !verification.ok ? (
            <div className="fr-alert fr-alert--error">
              <h3 className="fr-alert__title">Chaîne rompue à la ligne n° {verification.broken.id}</h3>
              <p>
                {dateTime.format(new Date(verification.broken.at))} — {auditActionLabel(verification.broken.action)} : {verification.broken.reason}. Empreinte attendue{" "}
                <code>{verification.broken.expected}</code>, enregistrée <code>{verification.broken.stored}</code>. Les {formatInteger(verification.rows)} lignes précédentes sont intègres.
              </p>
            </div>
          ) : null}
        </div>
      </section>

      {errors ? (
        <div className="fr-alert fr-alert--error fr-mb-4w" role="alert" tabIndex={-1} autoFocus>
          <h2 className="fr-alert__title">{errors.message}</h2>
          <ul>
            {Object.entries(errors.fields).map(([name, messages]) => (
              <li key={name}>
                <a href={`#${fieldId(name)}`}>
                  {FILTER_LABELS[name as keyof typeof FILTER_LABELS] ?? name} : {messages[0]}
                </a>
              </li>
            ))}
          </ul>
        </div>
      ) : null}

      <Form method="get" action={PATH} className="fr-mb-4w" aria-labelledby="journal-filtres-titre">
        <h2 id="journal-filtres-titre" className="fr-h5">
          Filtrer
        </h2>
        <div className="fr-grid-row fr-grid-row--gutters">
          {select("action", options.actions.map((value) => ({ value, label: `${auditActionLabel(value)} (${value})` })), "Toutes les actions")}
          {select("entityType", options.entityTypes.map((value) => ({ value, label: auditEntityLabel(value) })), "Tous les objets")}
          {select("actorId", options.actors.map((actor) => ({ value: actor.id, label: `${actor.name} (${actor.email})` })), "Tous les auteurs")}
          <div className="fr-col-12 fr-col-md-4">
            <Input label={FILTER_LABELS.reference} hintText="Par exemple MB-2026-7KQ2ZD" state={state("reference")} stateRelatedMessage={errorOf("reference")} nativeInputProps={{ id: fieldId("reference"), name: "reference", defaultValue: values.reference ?? "", autoComplete: "off" }} />
          </div>
          <div className="fr-col-12 fr-col-sm-6 fr-col-md-4">
            <Input label={FILTER_LABELS.from} hintText="Jour inclus, heure de Paris" state={state("from")} stateRelatedMessage={errorOf("from")} nativeInputProps={{ id: fieldId("from"), name: "from", type: "date", defaultValue: values.from ?? "" }} />
          </div>
          <div className="fr-col-12 fr-col-sm-6 fr-col-md-4">
            <Input label={FILTER_LABELS.to} hintText="Jour inclus, heure de Paris" state={state("to")} stateRelatedMessage={errorOf("to")} nativeInputProps={{ id: fieldId("to"), name: "to", type: "date", defaultValue: values.to ?? "" }} />
          </div>
        </div>
        <ul className="fr-btns-group fr-btns-group--inline-sm fr-btns-group--icon-left fr-mt-2w">
          <li>
            <Button type="submit" iconId="fr-icon-filter-line">
              Appliquer les filtres
            </Button>
          </li>
          <li>
            <Link className="fr-btn fr-btn--tertiary" to={PATH}>
              Réinitialiser les filtres
            </Link>
          </li>
        </ul>
      </Form>

      {page ? (
        <section aria-labelledby="journal-resultats">
          <h2 id="journal-resultats" className="fr-h5">
            Lignes du journal
          </h2>
          <p role="status">{page.total === 0 ? "Aucune ligne ne correspond à ces filtres." : `${formatInteger(page.total)} ligne${page.total > 1 ? "s" : ""}, des plus récentes aux plus anciennes.`}</p>
          <p>
            Ces lignes, filtres compris :{" "}
            <a className="fr-link fr-icon-download-line fr-link--icon-left" href={exportHref("csv")} download>
              Exporter le journal (CSV)
            </a>{" "}
            ·{" "}
            <a className="fr-link fr-icon-download-line fr-link--icon-left" href={exportHref("xlsx")} download>
              Exporter le journal (XLSX)
            </a>
          </p>
          {page.entries.length > 0 ? (
            <div className="fr-table">
              <div className="fr-table__wrapper">
                <div className="fr-table__container">
                  <div className="fr-table__content">
                    <table>
                      <caption>Journal d'audit{page.first ? "" : " (lignes plus anciennes)"}</caption>
                      <thead>
                        <tr>
                          <th scope="col">N°</th>
                          <th scope="col">Date et heure (Paris)</th>
                          <th scope="col">Auteur</th>
                          <th scope="col">Action</th>
                          <th scope="col">Objet</th>
                          <th scope="col">Détails</th>
                        </tr>
                      </thead>
                      <tbody>
                        {page.entries.map((entry) => (
                          <tr key={entry.id}>
                            <td>{entry.id}</td>
                            <td>{dateTime.format(new Date(entry.at))}</td>
                            <td className="fr-cell--multiline">{entry.actorName ?? (entry.actorId ? entry.actorId : "Système")}</td>
                            <td className="fr-cell--multiline">
                              {auditActionLabel(entry.action)}
                              <br />
                              <code className="fr-text--xs">{entry.action}</code>
                            </td>
                            <td className="fr-cell--multiline">
                              {auditEntityLabel(entry.entityType)}
                              {entry.entityId ? (
                                <>
                                  <br />
                                  <span className="fr-text--xs" style={{ overflowWrap: "anywhere" }}>
                                    {entry.entityId}
                                  </span>
                                </>
                              ) : null}
                            </td>
                            <td className="fr-cell--multiline">
                              <Details data={entry.data} />
                            </td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                </div>
              </div>
            </div>
          ) : null}
          <ul className="fr-btns-group fr-btns-group--inline-sm">
            {!page.first ? (
              <li>
                <Link className="fr-btn fr-btn--tertiary" to={`${PATH}${query.size > 0 ? `?${query}` : ""}`}>
                  Revenir aux lignes les plus récentes
                </Link>
              </li>
            ) : null}
            {olderHref ? (
              <li>
                <Link className="fr-btn fr-btn--secondary" to={olderHref}>
                  Lignes plus anciennes
                </Link>
              </li>
            ) : null}
          </ul>
        </section>
      ) : null}
    </>
  );
}

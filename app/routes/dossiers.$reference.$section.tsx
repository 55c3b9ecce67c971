import { json, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useLocation } from "@remix-run/react";
import { z } from "zod";
import sectionCss from "~/components/dossier/SectionForm.css?url";
import { SectionForm } from "~/components/dossier/SectionForm";
import { applyRowIntent, errorsForPage, isFormSection, rawFromData, rawFromFormData, sectionDataFromRaw, type CommuneOption, type FormSectionKey } from "~/components/dossier/SectionFormData";
import { neighbourSteps } from "~/components/dossier/SectionSteps";
import { SectionSummary } from "~/components/dossier/SectionSummary";
import type { SaveProblem } from "~/components/dossier/useAutosave";
import { SECTIONS } from "~/modules/applications/form";
import { getDossierViewForMember } from "~/modules/applications/queries.server";
import { canEditSection, saveSection } from "~/modules/applications/service.server";
import type { SessionUser } from "~/modules/auth/roles";
import { requireUser } from "~/modules/auth/session.server";
import { findCommune, searchCommunes } from "~/modules/geo/communes.server";
import { DomainError, notFound } from "~/utils/errors";
import { redirectWithToast } from "~/utils/toast.server";

/** The autosave posts JSON to this route's action (`?_data=` + this id: Remix answers with the action's data). */
const ROUTE_ID = "routes/dossiers.$reference.$section";
const MAX_QUERY_LENGTH = 100;

export const links: LinksFunction = () => [{ rel: "stylesheet", href: sectionCss }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.title ?? "Dossier"} — ${data?.reference ?? ""} — Portail Médicobus` }];

function sectionOr404(value: string | undefined): FormSectionKey {
  if (!isFormSection(value)) notFound("Cette étape du dossier n'existe pas.");
  return value;
}

/** A DomainError of the loader (the dossier of another organisation: 404) as the error page. */
function asErrorPage(error: unknown): never {
  if (error instanceof DomainError) throw json(error.message, { status: error.status });
  throw error;
}

function commune(code: string): CommuneOption | null {
  const found = findCommune(code);
  return found && { code: found.code, name: found.name, departementCode: found.departementCode, postalCodes: found.postalCodes, population: found.population };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const section = sectionOr404(params.section);
  const view = await getDossierViewForMember(user, params.reference ?? "").catch(asErrorPage);
  const query = section === "territoire" ? (new URL(request.url).searchParams.get("q") ?? "").trim().slice(0, MAX_QUERY_LENGTH) : "";
  const steps = neighbourSteps(view.dossier.reference, section);
  return json({
    reference: view.dossier.reference,
    section,
    title: SECTIONS.find((step) => step.key === section)!.title,
    step: { position: steps.position, count: steps.count },
    previous: steps.previous,
    next: steps.next!,
    editable: canEditSection(view.dossier, section),
    status: view.dossier.status,
    version: view.dossier.version,
    data: view.dossier.formData[section] ?? null,
    projectYears: view.call.rules.projectYears,
    rules: view.call.rules,
    territory: view.territory.communes.map(({ code, name, departementCode, postalCodes, population }) => ({ code, name, departementCode, postalCodes, population })),
    search: query ? { query, results: searchCommunes(query, 20).map((found) => commune(found.code)!) } : null,
  });
}

const AutosaveRequest = z.object({
  section: z.string(),
  data: z.record(z.string(), z.unknown()),
  version: z.number().int().positive(),
});

function problemOf(error: DomainError, fieldErrors = error.fieldErrors): SaveProblem {
  return { status: error.status, code: error.code, message: error.message, fieldErrors };
}

/** The autosave: JSON in, `{ version, savedAt }` or the refusal (400, 404, 409, 422) out. */
async function autosave(user: SessionUser, reference: string, section: FormSectionKey, request: Request) {
  const body = await request.json().catch(() => null);
  const parsed = AutosaveRequest.safeParse(body);
  if (!parsed.success || parsed.data.section !== section) {
    return json({ status: 400, code: "bad_request", message: "La demande d'enregistrement est illisible.", fieldErrors: {} } satisfies SaveProblem, { status: 400 });
  }
  try {
    return json(await saveSection(user, reference, parsed.data));
  } catch (error) {
    if (error instanceof DomainError) return json(problemOf(error), { status: error.status });
    throw error;
  }
}

/**
 * The same save from the form posted without JavaScript. « Enregistrer » comes back here with a
 * notice, « Étape suivante / précédente » go on; « Ajouter / Supprimer » answer the page with the
 * rows changed. A refusal re-renders the page with the values as typed and the errors (4xx).
 */
async function formPost(user: SessionUser, reference: string, section: FormSectionKey, request: Request) {
  const view = await getDossierViewForMember(user, reference).catch(asErrorPage);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "save");
  const projectYears = view.call.rules.projectYears;
  const raw = applyRowIntent(section, rawFromFormData(section, form, projectYears), intent, projectYears);
  const { data, rowsSent } = sectionDataFromRaw(section, raw);
  const communes = section === "territoire" ? (raw as { communes: Array<{ code: string }> }).communes.flatMap((row) => commune(row.code) ?? []) : [];
  const steps = neighbourSteps(view.dossier.reference, section);
  let saved: { version: number; savedAt: string };
  try {
    saved = await saveSection(user, reference, { section, data, version: Number(form.get("version")) });
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    if (error.status === 404) asErrorPage(error);
    const problem = problemOf(error, errorsForPage(section, error.fieldErrors, rowsSent));
    // The version posted, not the latest: after a refusal for staleness, posting again must not
    // write over the other tab's save.
    return json({ raw, version: Number(form.get("version")), communes, problem }, { status: error.status });
  }
  const here = `/dossiers/${encodeURIComponent(view.dossier.reference)}/${section}`;
  if (intent === "save") return redirectWithToast(here, { severity: "success", message: "Étape enregistrée." });
  const target = intent.startsWith("goto:") ? intent.slice("goto:".length) : null;
  if (target !== null) {
    // Only the step links of this page: never a URL taken as is from the form.
    const allowed = [steps.previous?.href, steps.next?.href].filter(Boolean);
    return redirect(allowed.includes(target) ? target : here);
  }
  return json({ raw, version: saved.version, communes, problem: null });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const section = sectionOr404(params.section);
  const reference = params.reference ?? "";
  const isJson = (request.headers.get("Content-Type") ?? "").startsWith("application/json");
  return isJson ? autosave(user, reference, section, request) : formPost(user, reference, section, request);
}

function readOnlyReason(status: string) {
  if (status === "changes_requested") return "Cette étape n'est pas concernée par la demande de corrections : elle n'est pas modifiable.";
  if (status === "withdrawn") return "Le dossier a été retiré : il n'est plus modifiable.";
  return "Cette étape n'est plus modifiable : le dossier a été déposé.";
}

export default function SectionPage() {
  const data = useLoaderData<typeof loader>();
  const posted = useActionData<typeof action>();
  const location = useLocation();
  const answer = posted && "raw" in posted ? posted : null;
  const section = data.section;
  const territory = answer && section === "territoire" ? answer.communes : data.territory;
  return (
    <div className="mb-section">
      <p className="fr-text--sm fr-mb-1v">
        Étape {data.step.position} sur {data.step.count}
      </p>
      <h2 className="fr-h3">{data.title}</h2>
      {data.editable ? (
        <SectionForm
          // A new form for each step (and each answer of a post without JavaScript): its state
          // starts from the server's data once, and never again, so a revalidation of the page
          // (a newer version in the loader's data) cannot replace what is being typed.
          key={answer ? `${section}-reponse-${answer.version}` : section}
          section={section}
          initialRaw={answer ? (answer.raw as ReturnType<typeof rawFromData>) : rawFromData(section, data.data as never, data.projectYears)}
          version={answer ? answer.version : data.version}
          projectYears={data.projectYears}
          rules={data.rules}
          territory={territory}
          search={data.search}
          initialProblem={answer?.problem ?? null}
          actionUrl={location.pathname}
          dataUrl={`${location.pathname}?_data=${encodeURIComponent(ROUTE_ID)}`}
          previous={data.previous}
          next={data.next}
        />
      ) : (
        <>
          <div className="fr-notice fr-notice--info fr-mb-3w">
            <div className="fr-container">
              <div className="fr-notice__body">
                <p className="fr-notice__title">{readOnlyReason(data.status)} Voici son contenu.</p>
              </div>
            </div>
          </div>
          <SectionSummary section={section} raw={rawFromData(section, data.data as never, data.projectYears)} communeNames={new Map(data.territory.map((c) => [c.code, `${c.name} (${c.postalCodes[0] ?? c.departementCode})`]))} />
          <ul className="fr-btns-group fr-btns-group--inline-md fr-btns-group--icon-left fr-mt-4w">
            {data.previous ? (
              <li>
                <Link className="fr-btn fr-btn--secondary fr-icon-arrow-left-line" to={data.previous.href}>
                  Étape précédente
                </Link>
              </li>
            ) : null}
            <li>
              <Link className="fr-btn fr-icon-arrow-right-line fr-btn--icon-right" to={data.next.href}>
                Étape suivante
              </Link>
            </li>
          </ul>
        </>
      )}
    </div>
  );
}

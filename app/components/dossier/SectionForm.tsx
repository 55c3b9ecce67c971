import { useBlocker, useNavigate, useRevalidator } from "@remix-run/react";
import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from "react";
import type { CallRules } from "~/modules/calls/schema";
import { AutosaveStatusText, AutosaveStoppedAlert } from "./AutosaveStatus";
import { CommuneSearchForm } from "./CommuneSearch";
import { SectionErrorSummary } from "./SectionErrorSummary";
import { SectionFormContext, setIn, type FieldPath } from "./SectionFields";
import { BudgetFields, PorteurFields, ProjetFields, TerritoireFields, VehiculeFields, type SectionFieldsProps } from "./SectionFieldsets";
import { errorsForPage, sectionDataFromRaw, type CommuneOption, type FormSectionKey, type SectionRaw } from "./SectionFormData";
import { useAutosave, type SaveProblem } from "./useAutosave";

export interface StepLink {
  href: string;
  title: string;
}

export interface SectionFormProps<K extends FormSectionKey> {
  section: K;
  initialRaw: SectionRaw[K];
  version: number;
  projectYears: number;
  rules: CallRules;
  /** The communes of the saved territory: their details, and the tour plan's choices. */
  territory: CommuneOption[];
  search: { query: string; results: CommuneOption[] } | null;
  /** A refusal of the server to a post made without JavaScript. */
  initialProblem: SaveProblem | null;
  /** The page's URL (the form posts there) and the URL the autosave posts JSON to. */
  actionUrl: string;
  dataUrl: string;
  previous: StepLink | null;
  next: StepLink;
}

const LEAVE_ANYWAY =
  "Certaines valeurs de cette étape ne sont pas valides et n'ont pas été enregistrées. Quitter l'étape quand même (les dernières saisies seront perdues) ?";

function withoutGroupErrors(errors: Record<string, string[]>, prefix: string) {
  return Object.fromEntries(Object.entries(errors).filter(([key]) => !key.startsWith(prefix)));
}

/**
 * One step of the dossier, editable: the section's fields, saved as the user types (useAutosave),
 * and the step buttons, which save before moving on. The form is also a plain POST form, so the
 * page works without JavaScript: each button then posts, the server saves and answers.
 */
export function SectionForm<K extends FormSectionKey>(props: SectionFormProps<K>) {
  const { section } = props;
  const [raw, setRaw] = useState(props.initialRaw);
  const current = useRef(props.initialRaw);
  const [errors, setErrors] = useState<Record<string, string[]>>(props.initialProblem?.fieldErrors ?? {});
  const [message, setMessage] = useState<string | null>(props.initialProblem && Object.keys(props.initialProblem.fieldErrors).length === 0 ? props.initialProblem.message : null);
  const [focusSummary, setFocusSummary] = useState(0);
  const summaryRef = useRef<HTMLDivElement>(null);
  const [details, setDetails] = useState(() => new Map([...props.territory, ...(props.search?.results ?? [])].map((commune) => [commune.code, commune])));
  const navigate = useNavigate();
  const leaving = useRef(false);

  const autosave = useAutosave({
    url: props.dataUrl,
    section,
    version: props.version,
    enabled: true,
    prepare: () => {
      const { data, rowsSent } = sectionDataFromRaw(section, current.current);
      return { data, pageErrors: (fieldErrors) => errorsForPage(section, fieldErrors, rowsSent) };
    },
  });
  // The hook's functions are stable; the object holding them is new at each render.
  const { status, changed, flush, saveNow, unsaved } = autosave;

  // After a save, the dossier's frame (title, « complet / à compléter » of each step) is read
  // again; the fields keep what is typed, their state is the page's own.
  const revalidator = useRevalidator();
  const revalidate = useRef(revalidator.revalidate);
  revalidate.current = revalidator.revalidate;

  useEffect(() => {
    if (status.kind === "saved") {
      setErrors({});
      setMessage(null);
      if (!unsaved()) revalidate.current();
    } else if (status.kind === "invalid") {
      setErrors(status.problem.fieldErrors);
      setMessage(Object.keys(status.problem.fieldErrors).length === 0 ? status.problem.message : null);
    }
  }, [status, unsaved]);

  // The errors arrive a render after the refusal (from the autosave's status): the focus waits
  // for the summary to be there.
  const focusPending = useRef(false);
  useEffect(() => {
    if (focusSummary > 0) focusPending.current = true;
  }, [focusSummary]);
  useEffect(() => {
    if (focusPending.current && summaryRef.current) {
      focusPending.current = false;
      summaryRef.current.focus();
    }
  });

  const update = useCallback(
    (next: SectionRaw[K]) => {
      current.current = next;
      setRaw(next);
      changed();
    },
    [changed],
  );

  const context = useMemo(
    () => ({ section, values: raw, errors, setValue: (path: FieldPath, value: unknown) => update(setIn(current.current, path, value)) }),
    [section, raw, errors, update],
  );

  const setRows = useCallback(
    (group: string, rows: unknown[]) => {
      update({ ...current.current, [group]: rows });
      // The rows' errors are numbered by position: after an edit of the list they would point
      // at the wrong rows. The next save gives them again, numbered right.
      setErrors((previous) => withoutGroupErrors(previous, `${section}-${group}-`));
    },
    [section, update],
  );

  /** After a refused attempt to save or leave: show why, focus the summary or the alert. */
  const explain = (outcome: Awaited<ReturnType<typeof flush>>) => {
    if (outcome === "invalid") setFocusSummary((n) => n + 1);
    if (outcome === "stopped") document.getElementById("enregistrement-arrete")?.focus();
  };

  const go = async (href: string) => {
    const outcome = await flush();
    // Stopped (« modifié ailleurs », submitted meanwhile): the alert said so, nothing more can be saved here.
    if (outcome === "invalid" || outcome === "offline") return explain(outcome);
    leaving.current = true;
    navigate(href);
  };

  // Any other way out of the step (the step menu, a link of the header) waits for the save too.
  const blocker = useBlocker(({ currentLocation, nextLocation }) => !leaving.current && currentLocation.pathname !== nextLocation.pathname && unsaved());
  const handling = useRef(false);
  useEffect(() => {
    if (blocker.state !== "blocked" || handling.current) return;
    handling.current = true;
    void flush().then((outcome) => {
      handling.current = false;
      if (outcome === "saved" || outcome === "stopped" || window.confirm(LEAVE_ANYWAY)) {
        leaving.current = true;
        blocker.proceed();
      } else {
        blocker.reset();
        explain(outcome);
      }
    });
    // explain only sets state and focuses: it need not be a dependency.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [blocker, flush]);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const submitter = (event.nativeEvent as SubmitEvent).submitter;
    const intent = submitter instanceof HTMLButtonElement ? submitter.value : "save";
    if (intent.startsWith("goto:")) return void go(intent.slice("goto:".length));
    void saveNow().then((outcome) => outcome !== "saved" && explain(outcome));
  };

  const fieldsProps = { raw, projectYears: props.projectYears, errors, setRows } as unknown as SectionFieldsProps<K>;
  const stopped = status.kind === "stale" || status.kind === "closed";

  return (
    <>
      <AutosaveStoppedAlert status={status} />
      <SectionErrorSummary section={section} errors={errors} message={message} summaryRef={summaryRef} autoFocus={props.initialProblem !== null} />
      <form method="post" action={props.actionUrl} noValidate onSubmit={onSubmit} aria-describedby={`${section}-aide`}>
        {/* The form's default button, first in the form: Enter in a field saves, rather than
            pressing the first « Supprimer » of the page. Keyboard users reach the visible one. */}
        <button type="submit" name="intent" value="save" className="fr-sr-only" tabIndex={-1}>
          Enregistrer
        </button>
        <input type="hidden" name="version" value={props.version} />
        <p className="fr-hint-text" id={`${section}-aide`}>
          Tous les champs sont à remplir avant le dépôt du dossier, que vous pouvez compléter en plusieurs fois.
        </p>
        <SectionFormContext.Provider value={context}>
          {/* Left enabled when saving stopped: what was typed can still be copied before reloading. */}
          <fieldset className="mb-section-fields">
            {section === "porteur" ? <PorteurFields {...(fieldsProps as unknown as SectionFieldsProps<"porteur">)} /> : null}
            {section === "territoire" ? (
              <TerritoireFields
                {...(fieldsProps as unknown as SectionFieldsProps<"territoire">)}
                details={details}
                addDetails={(commune) => setDetails((previous) => new Map(previous).set(commune.code, commune))}
                search={props.search}
              />
            ) : null}
            {section === "projet" ? <ProjetFields {...(fieldsProps as unknown as SectionFieldsProps<"projet">)} territory={props.territory} /> : null}
            {section === "vehicule" ? <VehiculeFields /> : null}
            {section === "budget" ? <BudgetFields {...(fieldsProps as unknown as SectionFieldsProps<"budget">)} rules={props.rules} /> : null}
          </fieldset>
        </SectionFormContext.Provider>
        <div className="mb-section-actions">
          <AutosaveStatusText status={status} />
          <ul className="fr-btns-group fr-btns-group--inline-md fr-btns-group--icon-left fr-mb-0">
            {props.previous ? (
              <li>
                <button type="submit" name="intent" value={`goto:${props.previous.href}`} className="fr-btn fr-btn--secondary fr-icon-arrow-left-line" aria-describedby={`${section}-precedente`}>
                  Étape précédente
                </button>
                <span className="fr-sr-only" id={`${section}-precedente`}>
                  {props.previous.title}
                </span>
              </li>
            ) : null}
            <li>
              <button type="submit" name="intent" value="save" className="fr-btn fr-btn--tertiary fr-icon-save-line" disabled={stopped}>
                Enregistrer
              </button>
            </li>
            <li>
              <button type="submit" name="intent" value={`goto:${props.next.href}`} className="fr-btn fr-icon-arrow-right-line fr-btn--icon-right" aria-describedby={`${section}-suivante`}>
                Étape suivante
              </button>
              <span className="fr-sr-only" id={`${section}-suivante`}>
                {props.next.title}
              </span>
            </li>
          </ul>
        </div>
      </form>
      {section === "territoire" ? <CommuneSearchForm action={props.actionUrl} /> : null}
    </>
  );
}

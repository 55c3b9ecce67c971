import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import {
  getFormProps,
  getInputProps,
  getSelectProps,
  useForm,
  type DefaultValue,
  type FieldMetadata,
  type FormMetadata,
  type SubmissionResult,
} from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { useNavigation } from "@remix-run/react";
import { useEffect, useRef, useState, type FormEvent, type ReactNode, type RefObject } from "react";
import type { z } from "zod";

/**
 * The forms of the portal: DSFR fields driven by conform, the same zod schema on both sides.
 * Without JavaScript the form posts and the server's answer renders the errors; with it, fields
 * are checked as they are left and the server's answer arrives without a reload. Either way a
 * failed submit shows an error summary at the top, focused, that links to each field.
 */

/** The name of the button conform submits a validation with (INTENT in @conform-to/dom, not re-exported). */
const CONFORM_INTENT = "__intent__";

export function useValidatedForm<Input extends Record<string, unknown>, Output>(options: {
  /** Stable: field ids are `${id}-${name}`, which the summary links to and the tests find. */
  id: string;
  schema: z.ZodType<Output, Input>;
  lastResult?: SubmissionResult<string[]> | null;
  defaultValue?: DefaultValue<Input>;
}) {
  const summaryRef = useRef<HTMLDivElement>(null);
  const [failedSubmits, setFailedSubmits] = useState(0);
  const [form, fields] = useForm<Input, Output, string[]>({
    id: options.id,
    lastResult: options.lastResult,
    defaultValue: options.defaultValue,
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: options.schema }),
  });
  const refusedByServer = options.lastResult?.status === "error";

  // After a refused submit, the focus goes to the summary so that it is read first. conform
  // shows the server's errors a render after the answer arrives, so the focus waits for the
  // summary to exist. (Without JavaScript, the `autofocus` attribute does it on page load.)
  const focusPending = useRef(false);
  useEffect(() => {
    if (refusedByServer) focusPending.current = true;
  }, [options.lastResult, refusedByServer]);
  useEffect(() => {
    if (failedSubmits > 0) focusPending.current = true;
  }, [failedSubmits]);
  useEffect(() => {
    if (focusPending.current && summaryRef.current) {
      focusPending.current = false;
      summaryRef.current.focus();
    }
  });

  const { onSubmit, ...formProps } = getFormProps(form);
  return {
    form,
    fields,
    /** Spread into <ErrorSummary>: the summary appears after a submit, not while a field is being typed. */
    summary: { form, summaryRef, visible: refusedByServer || failedSubmits > 0, autoFocus: refusedByServer },
    formProps: {
      ...formProps,
      onSubmit(event: FormEvent<HTMLFormElement>) {
        onSubmit(event);
        // conform prevents the submit when the form has errors; Remix's <Form> then does nothing.
        // conform also checks a field as it is left or typed by submitting the form with a hidden
        // « __intent__ » button: that is not the person submitting, so the summary stays as it is
        // (otherwise the first key typed in a field after a refusal sends the focus back up).
        const submitter = (event.nativeEvent as SubmitEvent).submitter;
        const fieldValidation = submitter instanceof HTMLButtonElement && submitter.name === CONFORM_INTENT;
        if (event.defaultPrevented && !fieldValidation) setFailedSubmits((n) => n + 1);
      },
    },
  };
}

/**
 * The DSFR error summary: an alert at the top of the form, announced (role="alert"), focusable
 * (tabIndex -1) and focused after a failed submit, listing each error as a link to its field.
 */
export function ErrorSummary<Form extends Record<string, unknown>>({
  form,
  labels,
  summaryRef,
  visible,
  autoFocus,
  title,
  children,
}: {
  form: FormMetadata<Form, string[]>;
  /** What each field is called on the page, for the links: { email: "Adresse électronique" }. */
  labels: Record<string, string>;
  summaryRef: RefObject<HTMLDivElement>;
  visible: boolean;
  autoFocus: boolean;
  title?: string;
  /** Something to do about it (« Renvoyer le lien »), under the messages. */
  children?: ReactNode;
}) {
  const formErrors = form.errors ?? [];
  const fieldErrors = Object.entries(form.allErrors).filter(([name, errors]) => name !== "" && errors.length > 0);
  if (!visible || (formErrors.length === 0 && fieldErrors.length === 0)) return null;
  const heading =
    title ??
    (fieldErrors.length > 0
      ? `Le formulaire contient ${fieldErrors.length === 1 ? "une erreur" : `${fieldErrors.length} erreurs`}`
      : "Votre demande n'a pas abouti");
  return (
    <div
      ref={summaryRef}
      id={`${form.id}-summary`}
      className="fr-alert fr-alert--error fr-mb-4w mb-error-summary"
      role="alert"
      tabIndex={-1}
      // RGAA: after a refused submit, the focus goes to the list of errors.
      autoFocus={autoFocus}
    >
      <h2 className="fr-alert__title">{heading}</h2>
      {formErrors.map((message) => (
        <p key={message}>{message}</p>
      ))}
      {fieldErrors.length > 0 ? (
        <ul className="fr-mt-1w">
          {fieldErrors.map(([name, errors]) => (
            <li key={name}>
              <a href={`#${form.id}-${name}`}>
                {labels[name] ?? name} : {errors[0]}
              </a>
            </li>
          ))}
        </ul>
      ) : null}
      {children}
    </div>
  );
}

type TextFieldType = "text" | "email" | "password" | "search" | "date" | "time";

/**
 * A DSFR input bound to a conform field: its error is the DSFR « error » state with the message
 * under the input, which the input names in aria-describedby (the DSFR component wires it).
 */
export function TextField<Form extends Record<string, unknown>>({
  field,
  label,
  hint,
  type = "text",
  autoComplete,
  inputMode,
}: {
  field: FieldMetadata<string | undefined, Form, string[]>;
  label: string;
  hint?: ReactNode;
  type?: TextFieldType;
  autoComplete?: string;
  /** The phone keyboard for amounts and counts typed as text (« 5 000 000 »). */
  inputMode?: "numeric" | "decimal";
}) {
  const { key, ...inputProps } = getInputProps(field, { type, ariaAttributes: false, value: type !== "password" });
  const errors = field.errors ?? [];
  return (
    <Input
      key={key}
      label={label}
      hintText={hint}
      state={errors.length > 0 ? "error" : "default"}
      stateRelatedMessage={errors.join(" ")}
      nativeInputProps={{
        ...inputProps,
        autoComplete,
        inputMode,
        spellCheck: type === "email" || type === "password" ? false : undefined,
        "aria-invalid": errors.length > 0 ? true : undefined,
      }}
    />
  );
}

export function SelectField<Form extends Record<string, unknown>>({
  field,
  label,
  hint,
  placeholder = "Sélectionnez une option",
  options,
}: {
  field: FieldMetadata<string | undefined, Form, string[]>;
  label: string;
  hint?: ReactNode;
  placeholder?: string;
  options: ReadonlyArray<{ value: string; label: string }>;
}) {
  const { key, ...selectProps } = getSelectProps(field, { ariaAttributes: false });
  const errors = field.errors ?? [];
  return (
    <Select
      key={key}
      label={label}
      hint={hint}
      state={errors.length > 0 ? "error" : "default"}
      stateRelatedMessage={errors.join(" ")}
      nativeSelectProps={{ ...selectProps, "aria-invalid": errors.length > 0 ? true : undefined }}
    >
      <option value="">{placeholder}</option>
      {options.map((option) => (
        <option key={option.value} value={option.value}>
          {option.label}
        </option>
      ))}
    </Select>
  );
}

/** The submit button; while the form is on its way it says so and cannot be pressed twice. */
export function SubmitButton({ children, secondary = false, formAction }: { children: string; secondary?: boolean; formAction?: string }) {
  const navigation = useNavigation();
  const pending = navigation.state === "submitting" && (formAction === undefined || navigation.formAction === formAction);
  return (
    <Button type="submit" priority={secondary ? "secondary" : "primary"} disabled={pending} nativeButtonProps={{ "aria-busy": pending || undefined }}>
      {children}
    </Button>
  );
}

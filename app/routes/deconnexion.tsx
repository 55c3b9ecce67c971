import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form } from "@remix-run/react";
import { SubmitButton } from "~/components/forms";
import { NarrowPage } from "~/components/NarrowPage";
import { endSession, getSession } from "~/modules/auth/session.server";
import { redirectWithToast } from "~/utils/toast.server";

export const meta: MetaFunction = () => [{ title: "Se déconnecter — Portail Médicobus" }];

/** A GET only asks: signing out changes state, so it takes a POST (a link or a prefetch cannot). */
export async function loader({ request }: LoaderFunctionArgs) {
  if (!(await getSession(request))) throw redirect("/");
  return json({});
}

export async function action({ request }: ActionFunctionArgs) {
  const cookie = await endSession(request);
  return redirectWithToast("/", { message: "Vous êtes déconnecté(e)." }, { headers: { "Set-Cookie": cookie } });
}

export default function SignOut() {
  return (
    <NarrowPage title="Se déconnecter" lead="Voulez-vous fermer votre session sur le Portail Médicobus ?">
      <Form method="post">
        <SubmitButton>Se déconnecter</SubmitButton>
      </Form>
    </NarrowPage>
  );
}

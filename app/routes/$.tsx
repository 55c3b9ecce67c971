import { ErrorPage } from "~/components/ErrorPage";

/** Any URL no route matches: a real 404 status with the DSFR « Page non trouvée » page. */
export function loader() {
  throw new Response(null, { status: 404 });
}

export default function NotFound() {
  return <ErrorPage status={404} />;
}

import "~/utils/zod-without-eval";
import dsfrCss from "@codegouvfr/react-dsfr/main.css?url";
import appleTouchIcon from "@codegouvfr/react-dsfr/favicon/apple-touch-icon.png?url";
import faviconSvg from "@codegouvfr/react-dsfr/favicon/favicon.svg?url";
import faviconIco from "@codegouvfr/react-dsfr/favicon/favicon.ico?url";
import { Display } from "@codegouvfr/react-dsfr/Display";
import { SkipLinks } from "@codegouvfr/react-dsfr/SkipLinks";
import { getScriptToRunAsap } from "@codegouvfr/react-dsfr/useIsDark/scriptToRunAsap";
import { json, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import {
  isRouteErrorResponse,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLoaderData,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import type { ReactNode } from "react";
import { ErrorPage } from "~/components/ErrorPage";
import { SiteFooter } from "~/components/SiteFooter";
import { SiteHeader } from "~/components/SiteHeader";
import { ToastNotice } from "~/components/ToastNotice";
import { getSession } from "~/modules/auth/session.server";
import { useNonce } from "~/utils/nonce";
import { readToast } from "~/utils/toast.server";
import appCss from "~/styles/app.css?url";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: dsfrCss },
  { rel: "stylesheet", href: appCss },
  { rel: "apple-touch-icon", href: appleTouchIcon },
  { rel: "icon", href: faviconSvg, type: "image/svg+xml" },
  { rel: "shortcut icon", href: faviconIco, type: "image/x-icon" },
];

export const meta: MetaFunction = () => [
  { title: "Portail Médicobus" },
  { name: "description", content: "Déposer, instruire et financer les projets de médicobus — appel à projets de l'État." },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const session = await getSession(request);
  const { toast, headers } = await readToast(request);
  for (const cookie of session?.cookies ?? []) headers.append("Set-Cookie", cookie);
  return json({ user: session?.user ?? null, toast }, { headers });
}

export function Layout({ children }: { children: ReactNode }) {
  // The Content-Security-Policy nonce (app/http/csp.ts): inline scripts without it do not run.
  const nonce = useNonce();
  return (
    <html lang="fr" data-fr-scheme="system" suppressHydrationWarning>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        {/* No theme-color meta here: react-dsfr replaces it at start (light/dark), and a head that
            changed under React fails hydration (#418) and re-renders the whole document. */}
        <script
          // Sets the light/dark theme before the first paint, so the page never flashes.
          nonce={nonce}
          dangerouslySetInnerHTML={{
            __html: getScriptToRunAsap({ defaultColorScheme: "system", nonce: undefined, trustedTypesPolicyName: "react-dsfr" }),
          }}
        />
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

function Page({ children }: { children: ReactNode }) {
  // The error boundary may render before (or without) the root loader's data.
  const data = useRouteLoaderData<typeof loader>("root");
  return (
    <>
      <SkipLinks
        links={[
          { label: "Contenu", anchor: "#contenu" },
          { label: "Menu", anchor: "#fr-header-main-navigation" },
          { label: "Pied de page", anchor: "#fr-footer" },
        ]}
      />
      <SiteHeader user={data?.user ?? null} />
      <main id="contenu" tabIndex={-1} role="main">
        <ToastNotice toast={data?.toast ?? null} />
        {children}
      </main>
      <SiteFooter />
      <Display />
    </>
  );
}

export default function App() {
  useLoaderData<typeof loader>();
  return (
    <Page>
      <Outlet />
    </Page>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const message = isRouteErrorResponse(error) && typeof error.data === "string" ? error.data : undefined;
  return (
    <Page>
      <ErrorPage status={status} message={status < 500 ? message : undefined} />
    </Page>
  );
}

import { createCookieSessionStorage, redirect } from "@remix-run/node";
import { z } from "zod";
import { env, isProduction } from "~/env.server";

/** A one-shot notice shown after an action (« Dossier enregistré »), carried by a flash cookie. */
const ToastSchema = z.object({
  severity: z.enum(["success", "info", "warning", "error"]).default("success"),
  title: z.string().optional(),
  message: z.string(),
});
export type Toast = z.input<typeof ToastSchema>;

const storage = createCookieSessionStorage({
  cookie: {
    name: "mb_toast",
    path: "/",
    httpOnly: true,
    sameSite: "lax",
    secure: isProduction,
    secrets: [env.SESSION_SECRET],
  },
});

export async function toastHeaders(toast: Toast, headers = new Headers()) {
  const session = await storage.getSession();
  session.flash("toast", ToastSchema.parse(toast));
  headers.append("Set-Cookie", await storage.commitSession(session));
  return headers;
}

export async function redirectWithToast(url: string, toast: Toast | string, init: ResponseInit = {}) {
  const headers = new Headers(init.headers);
  await toastHeaders(typeof toast === "string" ? { message: toast } : toast, headers);
  return redirect(url, { ...init, headers });
}

/** Reads (and consumes) the pending toast; the returned headers must be sent with the response. */
export async function readToast(request: Request) {
  const session = await storage.getSession(request.headers.get("Cookie"));
  const parsed = ToastSchema.safeParse(session.get("toast"));
  const headers = new Headers();
  if (parsed.success) headers.append("Set-Cookie", await storage.destroySession(session));
  return { toast: parsed.success ? parsed.data : null, headers };
}

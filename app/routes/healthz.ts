import { pingDatabase } from "~db/client.server";

/** 200 when the database answers, 503 otherwise (load balancers and the fault tests read it). */
export async function loader() {
  try {
    await pingDatabase();
    return Response.json({ status: "ok" }, { headers: { "Cache-Control": "no-store" } });
  } catch {
    return Response.json({ status: "database unreachable" }, { status: 503, headers: { "Cache-Control": "no-store" } });
  }
}

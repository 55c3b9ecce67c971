import type { ReactNode } from "react";

/** The layout of the account pages: one centred column, the title, an optional lead paragraph. */
export function NarrowPage({ title, lead, children }: { title: string; lead?: ReactNode; children: ReactNode }) {
  return (
    <div className="fr-container fr-my-6w">
      <div className="fr-grid-row fr-grid-row--center">
        <div className="fr-col-12 fr-col-md-8 fr-col-lg-6">
          <h1>{title}</h1>
          {lead ? <p className="fr-text--lead">{lead}</p> : null}
          {children}
        </div>
      </div>
    </div>
  );
}

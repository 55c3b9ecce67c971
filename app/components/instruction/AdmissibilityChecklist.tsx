import { fr } from "@codegouvfr/react-dsfr";

export interface ChecklistItem {
  code: string;
  label: string;
  ok: boolean;
  detail: string;
}

/**
 * The call's recevabilité checklist with what the portal computed for each item. The result is
 * written (« ✓ Conforme » / « ✗ Non conforme »): never a colour or a sign alone.
 */
export function AdmissibilityChecklist({ items }: { items: readonly ChecklistItem[] }) {
  const failing = items.filter((item) => !item.ok).length;
  return (
    <>
      <p>
        {failing === 0
          ? "Tous les points de la liste sont conformes d'après les calculs du portail."
          : `${failing === 1 ? "Un point n'est pas conforme" : `${failing} points ne sont pas conformes`} d'après les calculs du portail.`}{" "}
        Ces vérifications éclairent votre décision sans la prendre : votre motivation dit pourquoi vous la prenez.
      </p>
      <div className="fr-table fr-table--bordered fr-table--multiline">
        <div className="fr-table__wrapper">
          <div className="fr-table__container">
            <div className="fr-table__content">
              <table>
                <caption>Liste de vérification de la recevabilité</caption>
                <thead>
                  <tr>
                    <th scope="col">Point vérifié</th>
                    <th scope="col">Résultat</th>
                    <th scope="col">Ce que le portail a calculé</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((item) => (
                    <tr key={item.code}>
                      <th scope="row">{item.label}</th>
                      <td style={{ whiteSpace: "nowrap", color: item.ok ? fr.colors.decisions.text.default.success.default : fr.colors.decisions.text.default.error.default }}>
                        <span aria-hidden="true">{item.ok ? "✓" : "✗"}</span> <strong>{item.ok ? "Conforme" : "Non conforme"}</strong>
                      </td>
                      <td>{item.detail}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </div>
        </div>
      </div>
    </>
  );
}

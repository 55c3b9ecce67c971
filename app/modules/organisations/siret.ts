/**
 * A SIRET is 14 digits whose Luhn checksum is valid (INSEE rule). La Poste's establishments
 * (SIREN 356 000 000) are the documented exception: their digits sum to a multiple of 5.
 */
export function normaliseSiret(input: string) {
  return input.replace(/[\s.\-\u00a0]/g, "");
}

export function luhnValid(digits: string) {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

export type SiretCheck = { ok: true; siret: string } | { ok: false; message: string };

export function checkSiret(input: string): SiretCheck {
  const siret = normaliseSiret(input);
  if (!/^\d{14}$/.test(siret)) return { ok: false, message: "Le SIRET doit comporter exactement 14 chiffres." };
  if (siret.startsWith("356000000")) {
    const sum = [...siret].reduce((total, digit) => total + Number(digit), 0);
    if (sum % 5 === 0) return { ok: true, siret };
  } else if (luhnValid(siret)) {
    return { ok: true, siret };
  }
  return { ok: false, message: "Ce SIRET n'est pas valide : vérifiez les 14 chiffres (clé de contrôle incorrecte)." };
}

const rules = new Intl.PluralRules('en');

/** "1 use", "2 uses", "0 uses": the count with its noun in the right number (English only). */
export function countOf(n: number, one: string, other = `${one}s`): string {
  return `${n} ${rules.select(n) === 'one' ? one : other}`;
}

/** An invite's uses: "1 use", "3 uses", or against a limit "2 of 10 uses". */
export function usesText(uses: number, maxUses: number | null | undefined): string {
  return maxUses ? `${uses} of ${countOf(maxUses, 'use')}` : countOf(uses, 'use');
}

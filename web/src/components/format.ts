/** A cost in the estimate's currency, in the interface's locale. */
export function formatCost(cost: number, currency: string, locale: string): string {
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(cost);
  } catch {
    return `${cost} ${currency}`; // not an ISO 4217 code
  }
}

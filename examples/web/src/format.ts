export function formatPrice(value: number | null | undefined): string {
  return value == null ? '—' : value.toFixed(2);
}

export function formatPercent(value: number | null | undefined): string {
  return value == null ? '—' : `${value > 0 ? '+' : ''}${value.toFixed(2)}%`;
}

export function direction(value: number | null | undefined): string {
  return value == null || value === 0 ? '' : value > 0 ? 'up' : 'down';
}

/** A money amount with its currency, e.g. "10,000.00 USD". */
export function formatMoney(value: number | null | undefined, currency?: string): string {
  if (value == null) return '—';
  const text = value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return currency ? `${text} ${currency}` : text;
}

/** A fraction as a percentage: 0.0523 → "+5.23%". */
export function formatFraction(value: number | null | undefined): string {
  return value == null ? '—' : formatPercent(value * 100);
}

/** Shares: up to 6 decimals, trailing zeros dropped. */
export function formatQuantity(value: number): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: 6 });
}

export function formatPrice(value: number | null | undefined): string {
  return value == null ? '—' : value.toFixed(2);
}

export function formatPercent(value: number | null | undefined): string {
  return value == null ? '—' : `${value > 0 ? '+' : ''}${value.toFixed(2)}%`;
}

export function direction(value: number | null | undefined): string {
  return value == null || value === 0 ? '' : value > 0 ? 'up' : 'down';
}

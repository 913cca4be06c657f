declare module 'xirr' {
  /** Annual rate r with Σ amount · (1 + r)^((end − when) / 365) = 0 (Newton's method); throws when it does not converge. */
  export default function xirr(transactions: readonly { amount: number; when: Date }[], options?: { guess?: number }): number;
}

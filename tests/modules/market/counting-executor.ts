import type { SqlExecutor } from '../../../src/db/sql-executor.js';

/** An executor that records every statement sent through it, inside transactions too. */
export interface CountingExecutor extends SqlExecutor {
  readonly statements: string[];
  reset(): void;
}

function wrap(inner: SqlExecutor, log: string[]): SqlExecutor {
  return {
    kind: inner.kind,
    query: (text, params) => (log.push(text), inner.query(text, params)),
    exec: (sql) => (log.push(sql), inner.exec(sql)),
    transaction: (fn) => inner.transaction((tx) => fn(wrap(tx, log))),
    copyFrom: (table, columns, text) => (log.push(`COPY ${table}`), inner.copyFrom(table, columns, text)),
    close: () => inner.close(),
  } as SqlExecutor;
}

export function countingExecutor(inner: SqlExecutor): CountingExecutor {
  const statements: string[] = [];
  return Object.assign(wrap(inner, statements), {
    statements,
    reset: () => void (statements.length = 0),
  });
}

/** "PARTITIONS", "SELECT", "INSERT MINUTE", "DELETE" …: what each statement is, for readable assertions. */
export function kinds(statements: readonly string[]): string[] {
  return statements.map((s) => {
    if (/ensure_stock_price_partitions/.test(s)) return 'PARTITIONS';
    const first = s.trim().split(/\s+/)[0]!.toUpperCase();
    const interval = /'(MINUTE|HOUR|DAY)'::candle_interval/.exec(s)?.[1];
    if (/^\s*(WITH[\s\S]*?\()?\s*INSERT INTO/.test(s)) return `INSERT ${interval}`;
    return first;
  });
}

import type { SqlExecutor } from '../../src/db/sql-executor.js';

/**
 * A database schema as plain data, read either from a live database's catalog
 * (readCatalog) or from a Prisma schema (see tests/db/schema-matches-migrations
 * .test.ts), so that the two can be compared with toEqual.
 *
 * Types are written as Postgres's format_type() prints them ("character
 * varying(10)", "numeric(18,6)", "timestamp(3) with time zone", "text[]").
 * Defaults are reduced to what they mean: "autoincrement()", "now()", or the
 * literal value without quotes and casts ("USD", "0", "true", "{}").
 * Index columns carry " DESC" when descending.
 */
export interface ColumnShape {
  type: string;
  nullable: boolean;
  default: string | null;
}

export interface IndexShape {
  name: string;
  columns: string[];
}

export interface ForeignKeyShape {
  name: string;
  columns: string[];
  references: { table: string; columns: string[] };
  onDelete: string;
  onUpdate: string;
}

export interface TableShape {
  columns: Record<string, ColumnShape>;
  primaryKey: IndexShape | null;
  /** Unique indexes other than the primary key, sorted by name. */
  uniqueIndexes: IndexShape[];
  /** Non-unique indexes, sorted by name. */
  indexes: IndexShape[];
  /** Sorted by name. */
  foreignKeys: ForeignKeyShape[];
}

export interface SchemaShape {
  tables: Record<string, TableShape>;
  /** Enum type name -> labels in declaration order. */
  enums: Record<string, string[]>;
}

export interface PartitionShape {
  name: string;
  /** As pg_get_expr prints it: "DEFAULT" or "FOR VALUES FROM (...) TO (...)". */
  bound: string;
}

/** Tables of the current schema that are not partitions of another table. */
const TOP_LEVEL_TABLES = `
  SELECT c.oid, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition`;

/** The names of columns `attnums` of table `rel`, in key order, as text[]. */
const columnNames = (attnums: string, rel: string) => `ARRAY(
    SELECT a.attname::text FROM unnest(${attnums}::int2[]) WITH ORDINALITY AS k(attnum, ord)
    JOIN pg_attribute a ON a.attrelid = ${rel} AND a.attnum = k.attnum ORDER BY k.ord)`;

const REFERENTIAL_ACTIONS: Record<string, string> = {
  a: 'NO ACTION',
  r: 'RESTRICT',
  c: 'CASCADE',
  n: 'SET NULL',
  d: 'SET DEFAULT',
};

/** Reduces a column default as pg_get_expr prints it to the form described above. */
export function normalizeDefault(expression: string | null): string | null {
  if (expression === null) return null;
  if (/^nextval\(/.test(expression)) return 'autoincrement()';
  if (/^(CURRENT_TIMESTAMP|now\(\))$/i.test(expression)) return 'now()';
  const literal = /^'((?:[^']|'')*)'::[\w\s."[\]()]+$/.exec(expression);
  if (literal) return literal[1].replaceAll("''", "'");
  return expression;
}

/** Reads every top-level table (with columns, keys, indexes, foreign keys) and enum of the current schema. */
export async function readCatalog(sql: SqlExecutor): Promise<SchemaShape> {
  const tables = await sql.query<{ relname: string }>(`${TOP_LEVEL_TABLES} ORDER BY c.relname`);
  const shape: SchemaShape = { tables: {}, enums: {} };
  for (const { relname } of tables) {
    shape.tables[relname] = { columns: {}, primaryKey: null, uniqueIndexes: [], indexes: [], foreignKeys: [] };
  }

  const columns = await sql.query<{ table_name: string; column_name: string; type: string; nullable: boolean; default_expression: string | null }>(`
    SELECT t.relname AS table_name, a.attname::text AS column_name, format_type(a.atttypid, a.atttypmod) AS type,
           NOT a.attnotnull AS nullable, pg_get_expr(d.adbin, d.adrelid) AS default_expression
    FROM (${TOP_LEVEL_TABLES}) t
    JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum > 0 AND NOT a.attisdropped
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    ORDER BY t.relname, a.attnum`);
  for (const c of columns) {
    shape.tables[c.table_name].columns[c.column_name] = {
      type: c.type,
      nullable: c.nullable,
      default: normalizeDefault(c.default_expression),
    };
  }

  const indexes = await sql.query<{ table_name: string; name: string; is_primary: boolean; is_unique: boolean; is_partial: boolean; columns: string[] }>(`
    SELECT t.relname AS table_name, i.relname AS name, x.indisprimary AS is_primary, x.indisunique AS is_unique,
           x.indpred IS NOT NULL AS is_partial,
           ARRAY(
             SELECT coalesce(a.attname::text, '(expression)')
                    || CASE WHEN (x.indoption[k.ord - 1] & 1) = 1 THEN ' DESC' ELSE '' END
             FROM unnest(x.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
             LEFT JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum AND k.attnum > 0
             ORDER BY k.ord) AS columns
    FROM (${TOP_LEVEL_TABLES}) t
    JOIN pg_index x ON x.indrelid = t.oid
    JOIN pg_class i ON i.oid = x.indexrelid
    ORDER BY i.relname`);
  for (const index of indexes) {
    const table = shape.tables[index.table_name];
    const entry: IndexShape = { name: index.is_partial ? `${index.name} (partial)` : index.name, columns: index.columns };
    if (index.is_primary) table.primaryKey = entry;
    else (index.is_unique ? table.uniqueIndexes : table.indexes).push(entry);
  }

  const foreignKeys = await sql.query<{
    table_name: string; name: string; columns: string[]; referenced_table: string;
    referenced_columns: string[]; on_delete: string; on_update: string;
  }>(`
    SELECT t.relname AS table_name, con.conname::text AS name, ${columnNames('con.conkey', 'con.conrelid')} AS columns,
           r.relname AS referenced_table, ${columnNames('con.confkey', 'con.confrelid')} AS referenced_columns,
           con.confdeltype::text AS on_delete, con.confupdtype::text AS on_update
    FROM (${TOP_LEVEL_TABLES}) t
    -- conparentid = 0: a key referencing a partitioned table also gets one clone per partition; only the declared one counts.
    JOIN pg_constraint con ON con.conrelid = t.oid AND con.contype = 'f' AND con.conparentid = 0
    JOIN pg_class r ON r.oid = con.confrelid
    ORDER BY con.conname`);
  for (const fk of foreignKeys) {
    shape.tables[fk.table_name].foreignKeys.push({
      name: fk.name,
      columns: fk.columns,
      references: { table: fk.referenced_table, columns: fk.referenced_columns },
      onDelete: REFERENTIAL_ACTIONS[fk.on_delete],
      onUpdate: REFERENTIAL_ACTIONS[fk.on_update],
    });
  }

  const enums = await sql.query<{ name: string; labels: string[] }>(`
    SELECT t.typname::text AS name, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels
    FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace JOIN pg_enum e ON e.enumtypid = t.oid
    WHERE n.nspname = current_schema()
    GROUP BY t.typname ORDER BY t.typname`);
  for (const { name, labels } of enums) shape.enums[name] = labels;
  return shape;
}

/** How a table is partitioned ("RANGE (ts)"), or null when it is not. */
export async function readPartitionKey(sql: SqlExecutor, table: string): Promise<string | null> {
  const rows = await sql.query<{ key: string }>(
    `SELECT pg_get_partkeydef(c.oid) AS key FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = current_schema() AND c.relname = $1 AND c.relkind = 'p'`,
    [table],
  );
  return rows[0]?.key ?? null;
}

/** The partitions of a partitioned table, sorted by name. */
export async function readPartitions(sql: SqlExecutor, table: string): Promise<PartitionShape[]> {
  return sql.query<PartitionShape>(
    `SELECT c.relname::text AS name, pg_get_expr(c.relpartbound, c.oid) AS bound
     FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     JOIN pg_class p ON p.oid = i.inhparent JOIN pg_namespace n ON n.oid = p.relnamespace
     WHERE n.nspname = current_schema() AND p.relname = $1
     ORDER BY c.relname`,
    [table],
  );
}

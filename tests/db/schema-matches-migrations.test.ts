import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import internals from '@prisma/internals';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT, type DatabaseName } from '../../src/paths.js';
import {
  readCatalog,
  readPartitionKey,
  readPartitions,
  type ForeignKeyShape,
  type IndexShape,
  type SchemaShape,
  type TableShape,
} from '../support/catalog.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';

// Proves that the hand-written SQL migrations (prisma/<db>/migrations) build
// exactly the database each Prisma schema describes, as `prisma migrate`
// would have: same tables, columns, types, nullability, defaults, keys,
// indexes (with Prisma's default names), foreign keys and enums.

const { getDMMF } = internals;
type Datamodel = Awaited<ReturnType<typeof getDMMF>>['datamodel'];
type Model = Datamodel['models'][number];
type Field = Model['fields'][number];

/** Prisma's default type for each scalar without @db.*, as format_type() prints it. */
const SCALAR_TYPES: Record<string, string> = {
  String: 'text',
  Int: 'integer',
  BigInt: 'bigint',
  Boolean: 'boolean',
  Float: 'double precision',
  Decimal: 'numeric(65,30)',
  DateTime: 'timestamp(3) without time zone',
  Json: 'jsonb',
  Bytes: 'bytea',
};

/** @db.<name>(args) as format_type() prints it. */
const NATIVE_TYPES: Record<string, (args: string[]) => string> = {
  Text: () => 'text',
  VarChar: ([n]) => (n ? `character varying(${n})` : 'character varying'),
  Char: ([n]) => `character(${n ?? 1})`,
  Uuid: () => 'uuid',
  Decimal: ([p, s]) => (p ? `numeric(${p},${s ?? 0})` : 'numeric'),
  Timestamptz: ([p]) => (p ? `timestamp(${p}) with time zone` : 'timestamp with time zone'),
  Timestamp: ([p]) => (p ? `timestamp(${p}) without time zone` : 'timestamp without time zone'),
  Date: () => 'date',
  SmallInt: () => 'smallint',
  Integer: () => 'integer',
  BigInt: () => 'bigint',
  Real: () => 'real',
  DoublePrecision: () => 'double precision',
  JsonB: () => 'jsonb',
  Json: () => 'json',
};

/** Prisma's referential actions as Postgres names them. */
const ACTIONS: Record<string, string> = {
  Cascade: 'CASCADE',
  Restrict: 'RESTRICT',
  NoAction: 'NO ACTION',
  SetNull: 'SET NULL',
  SetDefault: 'SET DEFAULT',
};

/** Defaults Prisma fills in on the client, so the database has none. */
const CLIENT_SIDE_DEFAULTS = new Set(['uuid', 'cuid', 'nanoid', 'ulid']);

const MAX_IDENTIFIER_LENGTH = 63;

function constraintName(table: string, columns: string[], suffix: string, explicit?: string | null): string {
  if (explicit) return explicit;
  const name = `${[table, ...columns].join('_')}_${suffix}`;
  // Prisma shortens long default names; rather than mirror its rule here, ask for an explicit map:.
  if (name.length > MAX_IDENTIFIER_LENGTH) {
    throw new Error(`Default name ${name} is longer than ${MAX_IDENTIFIER_LENGTH}: give it map: "..." in the schema`);
  }
  return name;
}

function columnName(field: Field): string {
  return field.dbName ?? field.name;
}

function expectedType(field: Field, datamodel: Datamodel): string {
  let type: string;
  if (field.kind === 'enum') {
    const enumeration = datamodel.enums.find((e) => e.name === field.type)!;
    type = enumeration.dbName ?? enumeration.name;
  } else if (field.nativeType) {
    const [name, args] = field.nativeType as [string, string[]];
    const render = NATIVE_TYPES[name];
    if (!render) throw new Error(`Add @db.${name} to NATIVE_TYPES in this test`);
    type = render(args);
  } else {
    type = SCALAR_TYPES[field.type];
    if (!type) throw new Error(`Add ${field.type} to SCALAR_TYPES in this test`);
  }
  return field.isList ? `${type}[]` : type;
}

function expectedDefault(field: Field): string | null {
  const value = field.default as unknown;
  if (value === undefined || value === null) return null;
  if (Array.isArray(value)) return `{${value.join(',')}}`;
  if (typeof value !== 'object') return String(value);
  const { name, args } = value as { name: string; args: unknown[] };
  if (CLIENT_SIDE_DEFAULTS.has(name)) return null;
  if (name === 'dbgenerated') return String(args[0]);
  return `${name}()`;
}

function expectedTable(model: Model, datamodel: Datamodel): TableShape {
  const table = model.dbName ?? model.name;
  const scalars = model.fields.filter((f) => f.kind === 'scalar' || f.kind === 'enum');
  const columnOf = (fieldName: string) => columnName(scalars.find((f) => f.name === fieldName)!);
  const shape: TableShape = { columns: {}, primaryKey: null, uniqueIndexes: [], indexes: [], foreignKeys: [] };

  for (const field of scalars) {
    shape.columns[columnName(field)] = {
      type: expectedType(field, datamodel),
      // Scalar lists are nullable columns: Prisma emits "TEXT[]" without NOT NULL.
      nullable: !field.isRequired || field.isList,
      default: expectedDefault(field),
    };
  }

  for (const index of datamodel.indexes.filter((i) => i.model === model.name)) {
    const plainColumns = index.fields.map((f) => columnOf(f.name));
    const columns = index.fields.map((f) => `${columnOf(f.name)}${f.sortOrder === 'desc' ? ' DESC' : ''}`);
    const explicit = (index as { dbName?: string | null }).dbName;
    if (index.type === 'id') {
      shape.primaryKey = { name: explicit ?? `${table}_pkey`, columns };
    } else if (index.type === 'unique') {
      shape.uniqueIndexes.push({ name: constraintName(table, plainColumns, 'key', explicit), columns });
    } else if (index.type === 'normal') {
      shape.indexes.push({ name: constraintName(table, plainColumns, 'idx', explicit), columns });
    } else {
      throw new Error(`Teach this test about ${index.type} indexes (${model.name})`);
    }
  }

  for (const relation of model.fields.filter((f) => f.kind === 'object' && f.relationFromFields?.length)) {
    const target = datamodel.models.find((m) => m.name === relation.type)!;
    const targetColumn = (name: string) => columnName(target.fields.find((f) => f.name === name)!);
    const columns = relation.relationFromFields!.map(columnOf);
    const fk: ForeignKeyShape = {
      name: constraintName(table, columns, 'fkey'),
      columns,
      references: { table: target.dbName ?? target.name, columns: relation.relationToFields!.map(targetColumn) },
      // Prisma's defaults: SetNull for an optional relation, Restrict for a required one; Cascade on update.
      onDelete: ACTIONS[relation.relationOnDelete ?? (relation.isRequired ? 'Restrict' : 'SetNull')],
      onUpdate: ACTIONS[(relation as { relationOnUpdate?: string }).relationOnUpdate ?? 'Cascade'],
    };
    shape.foreignKeys.push(fk);
  }

  const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
  shape.uniqueIndexes.sort(byName);
  shape.indexes.sort(byName);
  shape.foreignKeys.sort(byName);
  return shape;
}

/** What the Prisma schema of `database` says the migrated database must contain. */
async function expectedSchema(database: DatabaseName): Promise<SchemaShape> {
  const datamodel = readFileSync(join(PROJECT_ROOT, 'prisma', database, 'schema.prisma'), 'utf8');
  const dmmf = await getDMMF({ datamodel });
  const shape: SchemaShape = { tables: {}, enums: {} };
  for (const model of dmmf.datamodel.models) {
    shape.tables[model.dbName ?? model.name] = expectedTable(model, dmmf.datamodel);
  }
  for (const enumeration of dmmf.datamodel.enums) {
    shape.enums[enumeration.dbName ?? enumeration.name] = enumeration.values.map((v) => v.dbName ?? v.name);
  }
  return shape;
}

/** Tables a migrated database holds beside the models' tables. */
const MIGRATOR_TABLES = ['_prisma_migrations'];

describe.each(['stock', 'user'] as const)('the migrated %s database', (database) => {
  let db: TestDatabase;
  let actual: SchemaShape;
  let expected: SchemaShape;

  beforeAll(async () => {
    db = await openTestDatabase(database);
    [actual, expected] = await Promise.all([readCatalog(db.sql), expectedSchema(database)]);
  }, 60_000);

  afterAll(async () => {
    await db?.close();
  });

  it('has a table for every model and no other table', () => {
    const tables = Object.keys(actual.tables).filter((name) => !MIGRATOR_TABLES.includes(name));
    expect(tables.sort()).toEqual(Object.keys(expected.tables).sort());
  });

  it('has every enum with the same values in the same order', () => {
    expect(actual.enums).toEqual(expected.enums);
  });

  it('gives every table the columns, types, nullability, defaults, keys, indexes and foreign keys of its model', () => {
    for (const [table, shape] of Object.entries(expected.tables)) {
      expect(actual.tables[table], `table ${table}`).toEqual(shape);
    }
  });
});

describe('the stock_price table', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await openTestDatabase('stock');
  }, 60_000);

  afterAll(async () => {
    await db?.close();
  });

  const monthName = (date: Date, monthsAhead: number) => {
    const month = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + monthsAhead, 1));
    return `stock_price_y${month.getUTCFullYear()}m${String(month.getUTCMonth() + 1).padStart(2, '0')}`;
  };

  it('is range-partitioned by month on ts, with a default partition and the current and next three months', async () => {
    expect(await readPartitionKey(db.sql, 'stock_price')).toBe('RANGE (ts)');
    const partitions = await readPartitions(db.sql, 'stock_price');
    expect(partitions).toContainEqual({ name: 'stock_price_default', bound: 'DEFAULT' });
    for (const { name } of partitions) expect(name).toMatch(/^stock_price_(default|y\d{4}m\d{2})$/);
    const now = new Date();
    const names = partitions.map((p) => p.name);
    for (const ahead of [0, 1, 2, 3]) expect(names).toContain(monthName(now, ahead));
  });

  it('gets a monthly partition that takes over the rows the default partition held for that month', async () => {
    const insert = `INSERT INTO stock_price (symbol, "interval", ts, open, high, low, close)
                    VALUES ($1, 'DAY', $2, 1, 1, 1, 1)`;
    const rows = ['2019-12-31T23:59:59.999Z', '2020-01-01T00:00:00.000Z', '2020-01-31T23:59:59.999Z', '2020-02-01T00:00:00.000Z'];
    for (const ts of rows) await db.sql.query(insert, ['TEST', ts]);
    const testRows = `FROM stock_price WHERE symbol = 'TEST'`;

    const [{ created }] = await db.sql.query<{ created: number }>(
      `SELECT ensure_stock_price_partitions('2020-01-10T00:00:00Z', '2020-01-20T00:00:00Z') AS created`,
    );
    expect(created).toBe(1);
    const placed = await db.sql.query<{ part: string }>(`SELECT tableoid::regclass::text AS part ${testRows} ORDER BY ts`);
    expect(placed.map((row) => row.part)).toEqual([
      'stock_price_default',
      'stock_price_y2020m01',
      'stock_price_y2020m01',
      'stock_price_default',
    ]);

    const [{ again }] = await db.sql.query<{ again: number }>(
      `SELECT ensure_stock_price_partitions('2020-01-01T00:00:00Z', '2020-01-31T00:00:00Z') AS again`,
    );
    expect(again).toBe(0);
    expect(await db.sql.query(`SELECT count(*)::int AS n ${testRows}`)).toEqual([{ n: rows.length }]);
    await expect(db.sql.query(insert, ['TEST', '2020-01-01T00:00:00.000Z'])).rejects.toThrow(/duplicate key/);
  });
});

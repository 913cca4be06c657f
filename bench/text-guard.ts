// What the NUL/surrogate argument check costs per query, wired two ways: by
// guardTextArguments (only fields with arguments are wrapped) or as a
// type-graphql globalMiddleware (every field of every row goes through
// type-graphql's async middleware dispatcher). 1000 rows x 8 scalar fields,
// in-process graphql execute, no I/O, rounds interleaved.   npm run bench:text-guard
import { execute, parse, type GraphQLSchema } from 'graphql';
import { Arg, buildSchema, Field, Float, ObjectType, Query, Resolver, Int, type MiddlewareFn } from '../src/graphql/type-graphql.js';
import { assertTextArguments, guardTextArguments } from '../src/graphql/text-input.js';
import { interleaved, IN_SUITE, medianSpread, ratioSpread, reportRows, type BenchRow } from './report.js';

@ObjectType()
class Row {
  @Field(() => String) a!: string; @Field(() => String) b!: string; @Field(() => String) c!: string; @Field(() => String) d!: string;
  @Field(() => Float) e!: number; @Field(() => Float) f!: number; @Field(() => Float) g!: number; @Field(() => Boolean) h!: boolean;
}
const rows = Array.from({ length: 1000 }, (_, i) => ({ a: `A${i}`, b: 'b', c: 'c', d: 'd', e: i, f: i, g: i, h: true }));
@Resolver()
class R {
  @Query(() => [Row]) rows(@Arg('search', () => String, { nullable: true }) _s: string | null, @Arg('first', () => Int, { nullable: true }) _f: number | null): Row[] { return rows as Row[]; }
}
const checkArgs: MiddlewareFn = ({ args }, next) => { if (Object.keys(args).length) assertTextArguments(args); return next(); };
const doc = parse(`{ rows(search: "abc", first: 10) { a b c d e f g h } }`);
const QUERIES = IN_SUITE ? 20 : 100;
const ROUNDS = IN_SUITE ? 3 : 5;
/** Milliseconds per 1000-row query over QUERIES runs, after 10 unmeasured. */
async function msPerQuery(schema: GraphQLSchema): Promise<number> {
  for (let i = 0; i < 10; i++) await execute({ schema, document: doc });
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < QUERIES; i++) await execute({ schema, document: doc });
  return Number(process.hrtime.bigint() - t0) / 1e6 / QUERIES;
}
const plain = await buildSchema({ resolvers: [R], validate: false });
const guarded = guardTextArguments(await buildSchema({ resolvers: [R], validate: false }));
const mw = await buildSchema({ resolvers: [R], validate: false, globalMiddlewares: [checkArgs] });
const rounds = await interleaved(ROUNDS, { plain: () => msPerQuery(plain), guarded: () => msPerQuery(guarded), middleware: () => msPerQuery(mw) });

const ms = (value: number) => `${value.toFixed(2)} ms`;
console.log(`\nms per 1000-row query, ${ROUNDS} interleaved rounds of ${QUERIES} queries (median, min-max)\n`);
console.log('| wiring | ms per query | ratio to no guard |\n|---|---|---|');
const benchRows: BenchRow[] = [];
for (const [key, what] of [['guarded', 'guardTextArguments (fields with arguments wrapped)'], ['middleware', 'type-graphql globalMiddlewares (every field)']] as const) {
  const value = medianSpread(rounds[key]);
  const ratio = ratioSpread(rounds[key], rounds.plain);
  console.log(`| ${what} | ${ms(value.median)} (${ms(value.min)}-${ms(value.max)}) | ${ratio.median.toFixed(2)}x |`);
  benchRows.push({
    id: `text-guard.${key}`, what: `text argument check, ${what}, per 1000-row query`, value: ms(value.median),
    baseline: `no check ${ms(medianSpread(rounds.plain).median)}`, ratio: ratio.median, spread: [ratio.min, ratio.max],
  });
}
console.log(`| no guard | ${ms(medianSpread(rounds.plain).median)} | 1.00x |`);
reportRows(benchRows);

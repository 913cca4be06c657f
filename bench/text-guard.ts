// What the NUL/surrogate argument check costs per query, wired two ways: by
// guardTextArguments (only fields with arguments are wrapped) or as a
// type-graphql globalMiddleware (every field of every row goes through
// type-graphql's async middleware dispatcher). 1000 rows x 8 scalar fields,
// in-process graphql execute, no I/O.   npx tsx bench/text-guard.ts
import { execute, parse } from 'graphql';
import { Arg, buildSchema, Field, Float, ObjectType, Query, Resolver, Int, type MiddlewareFn } from '../src/graphql/type-graphql.js';
import { assertTextArguments, guardTextArguments } from '../src/graphql/text-input.js';

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
async function bench(name: string, schema: any) {
  for (let i = 0; i < 30; i++) await execute({ schema, document: doc });
  const n = 200; const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await execute({ schema, document: doc });
  console.log(name, (Number(process.hrtime.bigint() - t0) / 1e6 / n).toFixed(2), 'ms per 1000-row query');
}
const plain = await buildSchema({ resolvers: [R], validate: false });
const guarded = guardTextArguments(await buildSchema({ resolvers: [R], validate: false }));
const mw = await buildSchema({ resolvers: [R], validate: false, globalMiddlewares: [checkArgs] });
for (let k = 0; k < 2; k++) { await bench('no guard          ', plain); await bench('guardTextArguments', guarded); await bench('globalMiddlewares ', mw); }

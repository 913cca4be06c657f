import {
  defaultFieldResolver,
  isObjectType,
  type GraphQLField,
  type GraphQLFieldResolver,
  type GraphQLSchema,
} from 'graphql';
import { BadUserInputError } from './errors.js';

// PostgreSQL cannot store U+0000 in text (error 22021, which reached clients as
// INTERNAL_SERVER_ERROR), and a lone surrogate is not text at all: it cannot be
// encoded as UTF-8 and is mangled into U+FFFD on the way to the database.
// In a `u` regex \p{Cs} matches only lone surrogates: a valid pair is one astral code point.
const BAD_TEXT = /[\u0000\p{Cs}]/u;

/** Where in the arguments a string is: `input.symbols[2]`, the way parseInput names fields. */
function describe(path: readonly (string | number)[]): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : `${out ? '.' : ''}${key}`;
  return out;
}

function badText(value: string): string | null {
  if (!BAD_TEXT.test(value)) return null;
  return value.includes('\u0000')
    ? 'must not contain NUL characters (\\u0000)'
    : 'must be valid Unicode text (it contains an unpaired UTF-16 surrogate)';
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * The first string anywhere in `value` (nested input objects and lists) that
 * is not storable text, as a BAD_USER_INPUT naming its path; null when all are.
 * Values of custom scalars (a Date from DateTime) are not plain objects and are skipped.
 */
export function findBadText(value: unknown, path: (string | number)[]): BadUserInputError | null {
  if (typeof value === 'string') {
    const problem = badText(value);
    if (!problem) return null;
    const at = describe(path);
    return new BadUserInputError(`${at}: ${problem}`, at);
  }
  if (value === null || typeof value !== 'object') return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const error = findBadText(value[i], [...path, i]);
      if (error) return error;
    }
    return null;
  }
  if (!isPlainObject(value)) return null;
  for (const key of Object.keys(value)) {
    const error = findBadText(value[key], [...path, key]);
    if (error) return error;
  }
  return null;
}

/** Checks every argument of one field (args as graphql-js coerced them, from literals and variables alike). */
export function assertTextArguments(args: Record<string, unknown>): void {
  for (const name of Object.keys(args)) {
    const error = findBadText(args[name], [name]);
    if (error) throw error;
  }
}

function guarded<T extends GraphQLFieldResolver<unknown, unknown>>(resolver: T): T {
  return function checkTextThenResolve(this: unknown, source, args, context, info) {
    assertTextArguments(args);
    return resolver.call(this, source, args, context, info);
  } as T;
}

/**
 * Rejects NUL characters and lone surrogates in every string argument of the
 * schema, before any resolver runs, on HTTP and websocket alike.
 *
 * Done once on the built schema rather than as a type-graphql globalMiddleware:
 * type-graphql runs a global middleware (through an async dispatcher, one
 * promise per field) on every field of every object, arguments or not, and not
 * on a subscription's `subscribe`. Here only fields that declare arguments are
 * wrapped (a few dozen), their `subscribe` included; every other field keeps
 * its resolver untouched and costs nothing. Mutates and returns `schema`.
 */
export function guardTextArguments(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields()) as GraphQLField<unknown, unknown>[]) {
      if (field.args.length === 0) continue;
      field.resolve = guarded(field.resolve ?? defaultFieldResolver);
      if (field.subscribe) field.subscribe = guarded(field.subscribe);
    }
  }
  return schema;
}

import { z } from 'zod';
import type { Context } from '../../composition/context.js';
import { requireViewer } from '../../graphql/auth.js';
import { Arg, Ctx, ID, Mutation, Resolver } from '../../graphql/type-graphql.js';
import { parseInput } from '../../graphql/validate.js';
import { ImportReport } from './import.type.js';
import { MAX_IMPORT_BYTES, MAX_IMPORT_ROWS } from './import.validation.js';
import { idSchema } from './portfolio.validation.js';

const importArgsSchema = z.object({
  portfolioId: idSchema,
  // Bytes are checked exactly by the parser; this stops a far larger string before any work.
  csv: z.string().max(MAX_IMPORT_BYTES, { message: `must be at most ${MAX_IMPORT_BYTES} bytes (${MAX_IMPORT_ROWS} rows) per import` }),
  dryRun: z.boolean().nullish().transform((value) => value ?? false),
  strict: z.boolean().nullish().transform((value) => value ?? false),
});

@Resolver()
export class ImportResolver {
  @Mutation(() => ImportReport, {
    description:
      `Imports a broker CSV (date, symbol, side BUY|SELL|DIVIDEND|FEE|DEPOSIT|WITHDRAWAL, quantity, price, fee, currency, optional amount; ` +
      `at most ${MAX_IMPORT_ROWS} rows and ${MAX_IMPORT_BYTES} bytes; pass it as a variable). The good lines land in one transaction and ` +
      'every other line is reported with its line number; strict: nothing lands if any line fails; dryRun: nothing lands, the report says what would.',
  })
  importActivities(
    @Arg('portfolioId', () => ID) portfolioId: string,
    @Arg('csv', () => String) csv: string,
    @Arg('dryRun', () => Boolean, { nullable: true, defaultValue: false }) dryRun: boolean | null,
    @Arg('strict', () => Boolean, { nullable: true, defaultValue: false }) strict: boolean | null,
    @Ctx() ctx: Context,
  ): Promise<ImportReport> {
    const viewer = requireViewer(ctx);
    return ctx.services.imports.importActivities(viewer, parseInput(importArgsSchema, { portfolioId, csv, dryRun, strict }));
  }
}

import type { UserClient } from '../../db/database.js';
import { isRecordNotFound } from '../../db/errors.js';
import { NotFoundError } from '../../graphql/errors.js';
import type { StockConnection } from '../stock/stock.connection.js';
import type { ScreenerLoaders } from './screener.loaders.js';
import { toCustomScreener } from './screener.mapper.js';
import type { ScreenerService } from './screener.service.js';
import type { CustomScreener } from './screener.type.js';
import { type CustomScreenerArgs, type ResolvedCriteria, type ResultsArgs } from './screener.validation.js';

type Transaction = Parameters<Parameters<UserClient['$transaction']>[0]>[0];

function notFound(id: string): NotFoundError {
  return new NotFoundError(`No custom screener ${id}`);
}

/**
 * Screeners saved by users (user DB). Every read and write is scoped by the
 * owner's account id in the WHERE clause, so another user's screener is
 * indistinguishable from one that does not exist.
 */
export class CustomScreenerService {
  constructor(
    private readonly userDb: UserClient,
    private readonly loaders: ScreenerLoaders,
    private readonly screeners: ScreenerService,
  ) {}

  async list(accountId: string): Promise<CustomScreener[]> {
    const rows = await this.userDb.customScreener.findMany({
      where: { accountId },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
    return rows.map(toCustomScreener);
  }

  async get(accountId: string, id: string): Promise<CustomScreener> {
    const row = await this.userDb.customScreener.findFirst({ where: { id, accountId } });
    if (!row) throw notFound(id);
    return toCustomScreener(row);
  }

  async create(accountId: string, input: CustomScreenerArgs): Promise<CustomScreener> {
    // Checked against the stock DB before anything is written: a bad criterion writes nothing.
    const criteria = await this.screeners.resolveInput(input);
    const screener = await this.userDb.$transaction(async (tx) => {
      const row = await tx.customScreener.create({
        data: { accountId, name: input.name, description: input.description },
      });
      await this.writeCriteria(tx, row.id, criteria);
      return row;
    });
    this.primeCriteria(screener.id, criteria);
    return toCustomScreener(screener);
  }

  async update(accountId: string, id: string, input: CustomScreenerArgs): Promise<CustomScreener> {
    const criteria = await this.screeners.resolveInput(input);
    const screener = await this.userDb.$transaction(async (tx) => {
      let row;
      try {
        row = await tx.customScreener.update({
          where: { id, accountId },
          data: { name: input.name, description: input.description },
        });
      } catch (error) {
        if (isRecordNotFound(error)) throw notFound(id);
        throw error;
      }
      await tx.customScreenerNumeric.deleteMany({ where: { screenerId: id } });
      await tx.customScreenerCategorical.deleteMany({ where: { screenerId: id } });
      await this.writeCriteria(tx, id, criteria);
      return row;
    });
    this.primeCriteria(id, criteria);
    return toCustomScreener(screener);
  }

  async delete(accountId: string, id: string): Promise<boolean> {
    // Criteria go with it (ON DELETE CASCADE).
    const { count } = await this.userDb.customScreener.deleteMany({ where: { id, accountId } });
    if (count === 0) throw notFound(id);
    return true;
  }

  private async writeCriteria(tx: Transaction, screenerId: string, criteria: ResolvedCriteria): Promise<void> {
    const numeric = criteria.numeric.map((c, position) => ({
      screenerId,
      position,
      numericFilterId: c.filter.id,
      min: c.min,
      max: c.max,
    }));
    const categorical = criteria.categorical.map((c, position) => ({
      screenerId,
      position,
      categoricalFilterId: c.filter.id,
      values: c.values,
    }));
    if (numeric.length > 0) await tx.customScreenerNumeric.createMany({ data: numeric });
    if (categorical.length > 0) await tx.customScreenerCategorical.createMany({ data: categorical });
  }

  /** What was just written, so the mutation's answer does not read it back (replacing anything loaded before). */
  private primeCriteria(screenerId: string, criteria: ResolvedCriteria): void {
    const numeric = criteria.numeric.map((c) => ({ filterId: c.filter.id, min: c.min, max: c.max }));
    const categorical = criteria.categorical.map((c) => ({ filterId: c.filter.id, values: c.values }));
    this.loaders.numericCriteriaByScreenerId.clear(screenerId).prime(screenerId, numeric);
    this.loaders.categoricalCriteriaByScreenerId.clear(screenerId).prime(screenerId, categorical);
  }

  numericCriteria(screener: CustomScreener) {
    return this.loaders.numericCriteriaByScreenerId.load(screener.id);
  }

  categoricalCriteria(screener: CustomScreener) {
    return this.loaders.categoricalCriteriaByScreenerId.load(screener.id);
  }

  async results(screener: CustomScreener, page: ResultsArgs): Promise<StockConnection> {
    const [numeric, categorical] = await Promise.all([this.numericCriteria(screener), this.categoricalCriteria(screener)]);
    return this.screeners.run(await this.screeners.storedCriteria(numeric, categorical), page);
  }
}

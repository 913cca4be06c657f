import type { UserClient } from '../../db/database.js';
import type { Viewer } from '../../graphql/auth.js';
import { NotFoundError } from '../../graphql/errors.js';
import type { PortfolioLoaders } from './portfolio.loaders.js';
import type { Portfolio } from './portfolio.type.js';

function toPortfolio(row: { id: string; accountId: string; name: string; baseCurrency: string; allowShort: boolean; createdAt: Date }): Portfolio {
  return { ...row, baseCurrency: row.baseCurrency.trim() };
}

/** Portfolios, scoped to the viewer: another user's id behaves exactly like an unknown one (NOT_FOUND). */
export class PortfolioService {
  constructor(
    private readonly db: UserClient,
    private readonly loaders: PortfolioLoaders,
  ) {}

  async list(viewer: Viewer): Promise<Portfolio[]> {
    const rows = await this.db.portfolio.findMany({ where: { accountId: viewer.accountId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
    return rows.map(toPortfolio);
  }

  async get(viewer: Viewer, id: string): Promise<Portfolio> {
    const row = await this.loaders.portfolioById.load(id);
    if (!row || row.accountId !== viewer.accountId) throw new NotFoundError(`No portfolio ${id}`);
    return toPortfolio(row);
  }

  /** A fresh read after a write (the per-request loader may hold an older answer). */
  async reload(viewer: Viewer, id: string): Promise<Portfolio> {
    this.loaders.portfolioById.clear(id);
    this.loaders.stateById.clear(id);
    this.loaders.valuationById.clear({ id, baseCurrency: '' });
    return this.get(viewer, id);
  }

  async create(viewer: Viewer, input: { name: string; baseCurrency: string; allowShort: boolean }): Promise<Portfolio> {
    const row = await this.db.portfolio.create({ data: { accountId: viewer.accountId, ...input } });
    return toPortfolio(row);
  }
}

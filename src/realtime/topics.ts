/** Bus topics and cache keys of the live path, in one place so producers and consumers agree. */
export const priceTopic = (symbol: string) => `price:${symbol}`;
export const indicatorTopic = (symbol: string) => `indicator:${symbol}`;

export const quoteCacheKey = (symbol: string) => `quote:${symbol}`;
export const indicatorsCacheKey = (symbol: string) => `indicators:${symbol}`;

/** How long a cached quote and cached indicators stay valid. */
export const QUOTE_TTL_SECONDS = 300;
export const INDICATORS_TTL_SECONDS = 600;

/** Status and fill changes of one portfolio's paper orders (orderUpdated). */
export const orderTopic = (portfolioId: string) => `orders:${portfolioId}`;
/** Fired after a commit changed a portfolio's books (fill, trade, cash, import), so live values are recomputed. */
export const portfolioTopic = (portfolioId: string) => `portfolio:${portfolioId}`;

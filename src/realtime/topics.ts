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

/** A scanner run finished (scanCompleted; alerts on SCAN). Payload: ScanCompletedEvent. */
export const scanTopic = (timeframe: 'DAILY' | 'WEEKLY') => `scan:${timeframe}`;
export interface ScanCompletedEvent {
  timeframe: 'DAILY' | 'WEEKLY';
  /** ISO-8601. */
  scannedAt: string;
  /** Every (kind, symbol) the run found, kind as in the ScanKind enum. */
  hits: { kind: string; symbol: string }[];
}
/** A symbol's sentiment summary changed (sentimentUpdated; alerts on SENTIMENT_SWING). Payload: SentimentUpdatedEvent. */
export const sentimentTopic = (symbol: string) => `sentiment:${symbol}`;
export interface SentimentUpdatedEvent {
  symbol: string;
  window: 'ONE_DAY' | 'SEVEN_DAYS' | 'THIRTY_DAYS';
  /** -1..1 */
  score: number;
  previousScore: number | null;
  label: 'POSITIVE' | 'NEUTRAL' | 'NEGATIVE';
  articleCount: number;
}
/** A symbol's best prediction was replaced (predictionUpdated; strategies following a model). Payload: { symbol, modelId }. */
export const predictionTopic = (symbol: string) => `prediction:${symbol}`;
/** An alert of this user fired (alertTriggered). */
export const alertTopic = (userId: string) => `alerts:${userId}`;

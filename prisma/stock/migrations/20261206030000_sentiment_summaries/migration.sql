-- Stored sentiment summaries (src/modules/sentiment): a row with no article_id is the mean score of a symbol's
-- articles over one window (ONE_DAY, SEVEN_DAYS, THIRTY_DAYS) at ts, with how many articles it averaged. The newest
-- row of a (symbol, window) is the score the next refresh compares against.
ALTER TABLE "sentiment" ADD COLUMN "summary_window" VARCHAR(20);
ALTER TABLE "sentiment" ADD COLUMN "article_count" INTEGER;

CREATE INDEX "sentiment_symbol_summary_window_ts_idx" ON "sentiment"("symbol", "summary_window", "ts" DESC);

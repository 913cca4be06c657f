-- Engineered features (issue 13 part 4) and the model registry with its predictions (part 5).

-- CreateTable
CREATE TABLE "feature_engineered_data" (
    "symbol" VARCHAR(10) NOT NULL,
    "ts" TIMESTAMPTZ(3) NOT NULL,
    "feature_version" INTEGER NOT NULL,
    "return_1" DOUBLE PRECISION,
    "return_5" DOUBLE PRECISION,
    "return_20" DOUBLE PRECISION,
    "volatility_20" DOUBLE PRECISION,
    "rsi14" DOUBLE PRECISION,
    "close_sma20" DOUBLE PRECISION,
    "close_sma50" DOUBLE PRECISION,
    "sma50_sma200" DOUBLE PRECISION,
    "bollinger_position" DOUBLE PRECISION,
    "macd" DOUBLE PRECISION,
    "macd_signal" DOUBLE PRECISION,
    "macd_histogram" DOUBLE PRECISION,
    "atr14" DOUBLE PRECISION,
    "volume_z20" DOUBLE PRECISION,
    "lag_return_1" DOUBLE PRECISION,
    "lag_return_2" DOUBLE PRECISION,
    "lag_return_3" DOUBLE PRECISION,
    "lag_return_4" DOUBLE PRECISION,
    "lag_return_5" DOUBLE PRECISION,
    "computed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "feature_engineered_data_pkey" PRIMARY KEY ("symbol","ts","feature_version")
);

-- CreateIndex
CREATE INDEX "feature_engineered_data_symbol_feature_version_ts_idx" ON "feature_engineered_data"("symbol", "feature_version", "ts" DESC);

-- The model and prediction tables of the initial migration were never written to; replaced by the registry's shape.
DROP TABLE "prediction";
DROP TABLE "model";

-- CreateEnum
CREATE TYPE "model_status" AS ENUM ('ACTIVE', 'DEPRECATED');

-- CreateTable
CREATE TABLE "model" (
    "id" SERIAL NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "version" VARCHAR(50) NOT NULL,
    "type" VARCHAR(50) NOT NULL,
    "parameters" JSONB NOT NULL DEFAULT '{}',
    "metrics" JSONB NOT NULL DEFAULT '{}',
    "artifact_path" VARCHAR(500) NOT NULL,
    "status" "model_status" NOT NULL DEFAULT 'ACTIVE',
    "trained_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "model_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "prediction" (
    "id" BIGSERIAL NOT NULL,
    "model_id" INTEGER NOT NULL,
    "symbol" VARCHAR(10) NOT NULL,
    "horizon" INTEGER NOT NULL,
    "as_of" TIMESTAMPTZ(3) NOT NULL,
    "base_price" DECIMAL(18,6) NOT NULL,
    "target_price" DECIMAL(18,6) NOT NULL,
    "low" DECIMAL(18,6) NOT NULL,
    "high" DECIMAL(18,6) NOT NULL,
    "direction" VARCHAR(4) NOT NULL,
    "confidence" DECIMAL(6,5) NOT NULL,
    "features_used" JSONB NOT NULL DEFAULT '[]',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "prediction_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "model_name_version_key" ON "model"("name", "version");

-- CreateIndex
CREATE INDEX "model_status_idx" ON "model"("status");

-- CreateIndex
CREATE INDEX "prediction_symbol_model_id_horizon_created_at_idx" ON "prediction"("symbol", "model_id", "horizon", "created_at" DESC);

-- CreateIndex
CREATE INDEX "prediction_created_at_idx" ON "prediction"("created_at");

-- AddForeignKey
ALTER TABLE "prediction" ADD CONSTRAINT "prediction_model_id_fkey" FOREIGN KEY ("model_id") REFERENCES "model"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- CreateMaterializedView
-- Not Prisma-generated (Prisma has no materialized views). One row per symbol over every stored feature row; the unique
-- index on symbol is what lets REFRESH MATERIALIZED VIEW CONCURRENTLY run (the hourly features-summary job; checked
-- 2026-12-02: CONCURRENTLY works on PGlite too, so both database kinds use it).
CREATE MATERIALIZED VIEW "mv_features_dashboard_summary" AS
SELECT "symbol",
       max("ts") AS "latest_ts",
       count(*)::bigint AS "record_count",
       max("feature_version") AS "latest_version",
       (count("rsi14")::double precision / count(*)) AS "rsi_coverage",
       (count("sma50_sma200")::double precision / count(*)) AS "ma_coverage"
FROM "feature_engineered_data"
GROUP BY "symbol";

CREATE UNIQUE INDEX "mv_features_dashboard_summary_symbol_key" ON "mv_features_dashboard_summary"("symbol");

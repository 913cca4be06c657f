-- Alerts (issue 13, part 7).
--
-- armed / last_fired_at are the cross-process guard: an evaluator fires an alert only through
-- UPDATE ... WHERE armed AND (cooldown passed) RETURNING, so N processes observing the same tick fire it once.
-- interest_id links the PRICE alert that mirrors a user_stock_potential.target_price (removed with it).

-- CreateEnum
CREATE TYPE "alert_condition" AS ENUM ('PRICE_ABOVE', 'PRICE_BELOW', 'PERCENT_MOVE', 'RSI_ABOVE', 'RSI_BELOW', 'VOLUME_SPIKE', 'SCAN', 'SCREENER_ENTER', 'SCREENER_LEAVE', 'SENTIMENT_SWING');

-- CreateTable
CREATE TABLE "alert" (
    "id" UUID NOT NULL,
    "account_id" UUID NOT NULL,
    "stock_symbol" VARCHAR(10) NOT NULL,
    "condition" "alert_condition" NOT NULL,
    "threshold" DOUBLE PRECISION,
    "scan_kind" VARCHAR(40),
    "screener_id" UUID,
    "cooldown_seconds" INTEGER NOT NULL DEFAULT 0,
    "armed" BOOLEAN NOT NULL DEFAULT true,
    "last_fired_at" TIMESTAMPTZ(3),
    "interest_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "alert_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alert_event" (
    "id" UUID NOT NULL,
    "alert_id" UUID NOT NULL,
    "account_id" UUID NOT NULL,
    "stock_symbol" VARCHAR(10) NOT NULL,
    "condition" "alert_condition" NOT NULL,
    "value" DOUBLE PRECISION,
    "fired_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "alert_event_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "alert_account_id_idx" ON "alert"("account_id");

-- CreateIndex
CREATE UNIQUE INDEX "alert_interest_id_key" ON "alert"("interest_id");

-- CreateIndex
CREATE INDEX "alert_event_account_id_fired_at_id_idx" ON "alert_event"("account_id", "fired_at" DESC, "id" DESC);

-- AddForeignKey
ALTER TABLE "alert" ADD CONSTRAINT "alert_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alert" ADD CONSTRAINT "alert_screener_id_fkey" FOREIGN KEY ("screener_id") REFERENCES "custom_screener"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alert" ADD CONSTRAINT "alert_interest_id_fkey" FOREIGN KEY ("interest_id") REFERENCES "user_stock_potential"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alert_event" ADD CONSTRAINT "alert_event_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- CreateTable
CREATE TABLE "indicator_state" (
    "symbol" VARCHAR(10) NOT NULL,
    "interval" "candle_interval" NOT NULL,
    "state" JSONB NOT NULL,
    "as_of" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "indicator_state_pkey" PRIMARY KEY ("symbol","interval")
);

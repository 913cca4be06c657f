-- Asset class of a row in "stock": equities, exchange-traded funds and FX pairs.
-- FX pairs (EURUSD: US dollars per euro) are rows of their own with DAY candles
-- in stock_price, so the feed ticks them like stocks and FX conversion reads
-- their latest close; every stock listing leaves asset_class = 'FX' out.
-- CreateEnum
CREATE TYPE "asset_class" AS ENUM ('EQUITY', 'ETF', 'FX');

-- AlterTable: every existing row is a listed company.
ALTER TABLE "stock" ADD COLUMN     "asset_class" "asset_class" NOT NULL DEFAULT 'EQUITY';

-- CreateIndex
CREATE INDEX "stock_asset_class_idx" ON "stock"("asset_class");

-- AlterTable: fundamentals a screener filters on (pe_ratio and dividend_yield already exist).
ALTER TABLE "stock" ADD COLUMN     "eps" DECIMAL(12,4),
ADD COLUMN     "beta" DECIMAL(8,4),
ADD COLUMN     "description" VARCHAR(2000),
ADD COLUMN     "website" VARCHAR(300);

-- AlterTable
ALTER TABLE "Endpoint" ADD COLUMN     "disableOnGone" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "requireHttps" BOOLEAN NOT NULL DEFAULT false;

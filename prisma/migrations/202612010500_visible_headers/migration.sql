-- AlterTable
ALTER TABLE "Endpoint" ADD COLUMN     "visibleHeaders" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- AlterTable
ALTER TABLE "Membership" ADD COLUMN     "selectedAt" TIMESTAMP(3);

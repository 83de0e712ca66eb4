-- AlterTable
ALTER TABLE "Workspace" ADD COLUMN     "portal" JSONB NOT NULL DEFAULT '{}';

-- AlterTable
ALTER TABLE "Endpoint" ADD COLUMN     "account" TEXT;

-- CreateTable
CREATE TABLE "PortalLink" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "account" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "readOnly" BOOLEAN NOT NULL DEFAULT false,
    "eventTypes" TEXT[],
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PortalLink_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "PortalLink_tokenHash_key" ON "PortalLink"("tokenHash");

-- CreateIndex
CREATE INDEX "PortalLink_workspaceId_account_idx" ON "PortalLink"("workspaceId", "account");

-- CreateIndex
CREATE INDEX "Endpoint_workspaceId_account_idx" ON "Endpoint"("workspaceId", "account");

-- AddForeignKey
ALTER TABLE "PortalLink" ADD CONSTRAINT "PortalLink_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

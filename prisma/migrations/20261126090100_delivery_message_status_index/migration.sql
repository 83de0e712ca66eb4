-- CreateIndex
CREATE INDEX "Delivery_messageId_status_idx" ON "Delivery"("messageId", "status");


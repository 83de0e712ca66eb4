import type { getMessage, listMessages } from "@/lib/features/messages/queries";

// Shapes of GET /api/v1/messages and /api/v1/messages/:id (the same service verbs the pages call).
export type MessagePage = Awaited<ReturnType<typeof listMessages>>;
export type MessageListItem = MessagePage["data"][number];
export type MessageDetail = Awaited<ReturnType<typeof getMessage>>;
export type DeliveryDetail = MessageDetail["deliveries"][number];
export type AttemptDetail = DeliveryDetail["attempts"][number];

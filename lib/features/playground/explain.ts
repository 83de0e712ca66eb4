import "server-only";
import type { ServiceContext } from "@/lib/context";
import { db } from "@/lib/db/client";
import { explainMatch, type MatchReason } from "@/lib/delivery/filter";
import type { Filter } from "@/lib/delivery/schemas";
import { errors } from "@/lib/errors";

export type EndpointExplanation = {
  endpointId: string;
  title: string;
  url: string;
  enabled: boolean;
  matched: boolean;
  reasons: MatchReason[];
  /** The delivery publish created for this endpoint, if it matched: its status as created, and as read just now. */
  delivery: { id: string; status: string; current?: string } | null;
};

/**
 * For every endpoint of the workspace: would it receive this message, and why
 * (explainMatch's reasons, all checks listed), next to the delivery publish created.
 * Matched endpoints come first so the answer to "who got it?" is on top.
 */
export async function explainMessage(ctx: ServiceContext, messageId: string): Promise<EndpointExplanation[]> {
  const message = await db().message.findFirst({
    where: { id: messageId, workspaceId: ctx.workspaceId },
    select: { eventType: true, account: true, body: true, deliveries: { select: { id: true, endpointId: true, status: true } } },
  });
  if (!message) throw errors.notFound("Message");
  const endpoints = await db().endpoint.findMany({
    where: { workspaceId: ctx.workspaceId },
    select: { id: true, title: true, url: true, enabled: true, account: true, eventTypes: true, filter: true },
    orderBy: { createdAt: "desc" },
  });
  const payload = JSON.parse(message.body) as unknown;
  const explanations = endpoints.map((endpoint): EndpointExplanation => {
    const { matched, reasons } = explainMatch(
      { account: endpoint.account, eventTypes: endpoint.eventTypes, filter: endpoint.filter as Filter },
      { eventType: message.eventType, account: message.account, payload },
    );
    const delivery = message.deliveries.find((candidate) => candidate.endpointId === endpoint.id);
    return {
      endpointId: endpoint.id,
      title: endpoint.title,
      url: endpoint.url,
      enabled: endpoint.enabled,
      matched,
      reasons,
      delivery: delivery ? { id: delivery.id, status: delivery.status } : null,
    };
  });
  return [...explanations.filter((entry) => entry.matched), ...explanations.filter((entry) => !entry.matched)];
}

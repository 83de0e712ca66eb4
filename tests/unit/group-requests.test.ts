import { describe, expect, it } from "vitest";
import { DELIVERIES_PER_REQUEST, deliveryRequested } from "@/inngest/client";
import { groupRequests } from "@/lib/delivery/requests";

const request = (deliveryId: string, endpointId: string, round: string, extra: { attempt?: number; retryAt?: string; backlog?: boolean; traceparent?: string } = {}) =>
  deliveryRequested.create({ deliveryId, endpointId, ...extra }, { id: `${deliveryId}:${round}` });
const members = (event: { data: { deliveryId: string; more?: string[] } }) => [event.data.deliveryId, ...(event.data.more ?? [])];

describe("groupRequests", () => {
  it("makes one event per endpoint, position, instant, backlog flag and trace, of at most DELIVERIES_PER_REQUEST", () => {
    const at = "2026-12-03T06:00:00.000Z";
    const events = [
      ...Array.from({ length: 10 }, (_, n) => request(`dlv_a${n}`, "ep_a", "initial", { attempt: 1 })),
      request("dlv_b0", "ep_b", "initial", { attempt: 1 }),
      request("dlv_a_retry", "ep_a", "initial", { attempt: 2 }),
      request("dlv_a_due", "ep_a", "initial", { attempt: 1, retryAt: at }),
      request("dlv_a_poke", "ep_a", "initial", { attempt: 1, backlog: true }),
      request("dlv_a_traced", "ep_a", "initial", { attempt: 1, traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" }),
    ];
    const grouped = groupRequests(events);
    expect(grouped.map(members)).toEqual([
      ["dlv_a0", "dlv_a1", "dlv_a2", "dlv_a3"],
      ["dlv_a4", "dlv_a5", "dlv_a6", "dlv_a7"],
      ["dlv_a8", "dlv_a9"],
      ["dlv_b0"],
      ["dlv_a_retry"],
      ["dlv_a_due"],
      ["dlv_a_poke"],
      ["dlv_a_traced"],
    ]);
    expect(Math.max(...grouped.map((event) => members(event).length))).toBe(DELIVERIES_PER_REQUEST);
    for (const event of grouped) {
      const original = events.find((one) => one.data.deliveryId === event.data.deliveryId)!;
      expect({ ...event.data, more: undefined }).toEqual({ ...original.data, more: undefined });
    }
  });

  it("keeps a lone request's id, and names a group by its first request and all its deliveries", () => {
    const [lone] = groupRequests([request("dlv_1", "ep", "sweep-1")]);
    expect(lone!.id).toBe("dlv_1:sweep-1");
    const first = groupRequests(["dlv_1", "dlv_2", "dlv_3"].map((id) => request(id, "ep", "recover-run")));
    const again = groupRequests(["dlv_1", "dlv_2", "dlv_3"].map((id) => request(id, "ep", "recover-run")));
    // A replayed step that finds dlv_1 again beside deliveries new to the round: a new event, not a repeat.
    const other = groupRequests(["dlv_1", "dlv_4", "dlv_5"].map((id) => request(id, "ep", "recover-run")));
    expect(first[0]!.id).toMatch(/^dlv_1:recover-run:[A-Za-z0-9_-]{16}$/);
    expect(again[0]!.id).toBe(first[0]!.id);
    expect(other[0]!.id).not.toBe(first[0]!.id);
  });
});

import { Card } from "@/components/ui/card";
import type { EndpointDto } from "@/lib/features/endpoints/service";
import { EventChips } from "../event-chips";
import { describeRetryPolicy, RETRY_PRESET_LABELS, SCHEME_LABELS } from "../format";
import { signatureHeaderNames } from "@/lib/delivery/signature-headers";

const OP_WORDS: Record<string, string> = { eq: "=", neq: "≠", gt: ">", gte: "≥", lt: "<", lte: "≤", in: "in", nin: "not in", exists: "exists:", contains: "contains" };

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="grid gap-1 py-2.5 sm:grid-cols-[9rem_1fr]">
      <dt className="text-sm text-zinc-500">{label}</dt>
      <dd className="min-w-0 text-sm">{children}</dd>
    </div>
  );
}

/** What the endpoint does, in one glance (the edit form holds the details). */
export function ConfigCard({ endpoint }: { endpoint: EndpointDto }) {
  const accounts = endpoint.filter.accounts ?? [];
  const rules = endpoint.filter.rules ?? [];
  const headerNames = signatureHeaderNames(endpoint.signature);
  return (
    <Card title="Configuration">
      <dl className="-my-2.5 divide-y divide-zinc-100">
        <Row label="Events">
          <EventChips eventTypes={endpoint.eventTypes} max={12} />
        </Row>
        <Row label="Filters">
          {accounts.length === 0 && rules.length === 0 ? (
            <span className="text-zinc-500">None — every event of those types</span>
          ) : (
            <ul className="space-y-1">
              {accounts.length > 0 && (
                <li>
                  account in <span className="font-mono">{accounts.join(", ")}</span>
                </li>
              )}
              {rules.map((rule, index) => (
                <li key={index} className="font-mono text-[13px]">
                  {rule.path} {OP_WORDS[rule.op]} {rule.value === undefined ? "" : JSON.stringify(rule.value)}
                </li>
              ))}
            </ul>
          )}
        </Row>
        <Row label="Signing">
          {SCHEME_LABELS[endpoint.signature.scheme]}
          {headerNames[0] && endpoint.signature.scheme !== "standard" && (
            <span className="text-zinc-500">
              {" "}
              · header <span className="font-mono text-zinc-800">{headerNames[0]}</span>
            </span>
          )}
          {endpoint.signature.scheme === "body-secret" && (
            <span className="text-zinc-500">
              {" "}
              · field <span className="font-mono text-zinc-800">{endpoint.signature.field ?? "secret"}</span>
            </span>
          )}
          {endpoint.signature.userAgent && (
            <span className="block text-zinc-500">
              User agent <span className="font-mono text-zinc-800">{endpoint.signature.userAgent}</span>
            </span>
          )}
        </Row>
        <Row label="Retries">
          {RETRY_PRESET_LABELS[endpoint.retryPolicy.preset]}
          <span className="block text-zinc-500">{describeRetryPolicy(endpoint.retryPolicy)}</span>
        </Row>
        <Row label="Timeout">{endpoint.timeoutMs / 1000} s</Row>
        <Row label="Custom headers">
          {Object.keys(endpoint.headers).length === 0 ? (
            <span className="text-zinc-500">None</span>
          ) : (
            <span className="font-mono text-[13px]">{Object.keys(endpoint.headers).join(", ")}</span>
          )}
        </Row>
        <Row label="Auto-disable">
          After {endpoint.failureThreshold} failed deliveries in a row
          <span className="text-zinc-500"> · now {endpoint.consecutiveFailures}</span>
        </Row>
      </dl>
    </Card>
  );
}

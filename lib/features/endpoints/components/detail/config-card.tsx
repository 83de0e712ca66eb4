import { Card } from "@/components/ui/card";
import { useEndpointOps } from "../../api/ops";
import type { EndpointDto } from "@/lib/features/endpoints/service";
import { EventChips } from "../event-chips";
import { describeRetryPolicy, formatDelay, RETRY_PRESET_LABELS, SCHEME_LABELS } from "../format";
import { policyJitters, policyMaxDelay } from "@/lib/delivery/policy";
import { TIMESTAMPED_SCHEMES, type FilterRule } from "@/lib/delivery/schemas";
import { signatureHeaderNames } from "@/lib/delivery/signature-headers";

const OP_WORDS: Record<string, string> = { eq: "=", neq: "≠", gt: ">", gte: "≥", lt: "<", lte: "≤", in: "in", nin: "not in", exists: "exists:", contains: "contains" };

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="grid grid-cols-1 gap-1 py-2.5 sm:grid-cols-[9rem_1fr]">
      <dt className="text-sm text-zinc-500">{label}</dt>
      <dd className="min-w-0 text-sm">{children}</dd>
    </div>
  );
}

function Conditions({ accounts, rules }: { accounts: string[]; rules: FilterRule[] }) {
  return (
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
  );
}

/** What the endpoint does, in one glance (the edit form holds the details). */
export function ConfigCard({ endpoint }: { endpoint: EndpointDto }) {
  const { portal } = useEndpointOps();
  const accounts = endpoint.filter.accounts ?? [];
  const rules = endpoint.filter.rules ?? [];
  const perEvent = Object.entries(endpoint.filter.events ?? {});
  const headerNames = signatureHeaderNames(endpoint.signature);
  const policy = endpoint.retryPolicy;
  const maxDelay = policyMaxDelay(policy);
  return (
    <Card title="Configuration">
      <dl className="-my-2.5 divide-y divide-zinc-100">
        <Row label="Events">
          <EventChips eventTypes={endpoint.eventTypes} max={12} />
        </Row>
        <Row label="Filters">
          {accounts.length === 0 && rules.length === 0 && perEvent.length === 0 ? (
            <span className="text-zinc-500">None — every event of those types</span>
          ) : (
            <>
              <Conditions accounts={accounts} rules={rules} />
              {perEvent.map(([eventType, own]) => (
                <div key={eventType} className="mt-2">
                  <span className="text-zinc-500">
                    Only for <span className="font-mono text-zinc-800">{eventType}</span>:
                  </span>
                  <Conditions accounts={own.accounts ?? []} rules={own.rules ?? []} />
                </div>
              ))}
            </>
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
          {TIMESTAMPED_SCHEMES.has(endpoint.signature.scheme) && (
            <span className="block text-zinc-500">
              Timestamp: {endpoint.signature.timestamp === "event" ? "event time (same on every retry)" : "attempt time"}
            </span>
          )}
          <span className="block text-zinc-500">
            {endpoint.signature.hooklineHeaders === false
              ? portal
                ? "No extra headers or user agent"
                : "No Hookline headers or user agent"
              : portal
                ? "With event type and attempt number headers"
                : "With Hookline's own headers (x-hookline-*)"}
          </span>
        </Row>
        <Row label="Retries">
          {RETRY_PRESET_LABELS[endpoint.retryPolicy.preset]}
          <span className="block text-zinc-500">{describeRetryPolicy(policy)}</span>
          {policy.preset !== "none" && (
            <span className="block text-zinc-500">
              {policyJitters(policy) ? "±20 % jitter" : "No jitter"} ·{" "}
              {maxDelay ? `at most ${formatDelay(maxDelay)} between attempts, Retry-After included` : "Retry-After honoured up to 24 h"}
            </span>
          )}
        </Row>
        <Row label="Timeout">{endpoint.timeoutMs / 1000} s</Row>
        <Row label="HTTPS">{endpoint.requireHttps ? "Required (http:// and invalid certificates refused)" : "Not required"}</Row>
        <Row label="Custom headers">
          {Object.keys(endpoint.headers).length === 0 ? (
            <span className="text-zinc-500">None</span>
          ) : (
            <span className="font-mono text-[13px]">
              {Object.keys(endpoint.headers)
                .map((name) => (endpoint.secretHeaders.includes(name) ? `${name} (secret)` : name))
                .join(", ")}
            </span>
          )}
        </Row>
        <Row label="Auto-disable">
          After {endpoint.failureThreshold} failed deliveries in a row
          <span className="text-zinc-500"> · now {endpoint.consecutiveFailures}</span>
          <span className="block text-zinc-500">{endpoint.disableOnGone ? "410 Gone disables at once" : "410 Gone counts as one more failure"}</span>
        </Row>
      </dl>
    </Card>
  );
}

import { Mail } from "lucide-react";
import Link from "next/link";
import { CodeBlock } from "@/components/ui/code";
import { CopyButton } from "@/components/ui/copy-button";

/** The "no messages yet" state: how an application publishes its first event. */
export function PublishHelp({ origin }: { origin: string }) {
  const curl = [
    `curl -X POST ${origin}/api/v1/messages \\`,
    `  -H "Authorization: Bearer hk_…" \\`,
    `  -H "Content-Type: application/json" \\`,
    `  -d '{"eventType": "call:completed", "account": "acc_1", "payload": {"call_id": "call_123", "account": "acc_1", "duration": 45}}'`,
  ].join("\n");
  return (
    <div className="rounded-xl border border-dashed border-zinc-300 bg-white px-6 py-10">
      <div className="mx-auto max-w-2xl text-center">
        <span className="mx-auto mb-4 flex size-11 items-center justify-center rounded-full bg-brand-50">
          <Mail className="size-5 text-brand-600" aria-hidden />
        </span>
        <h2 className="text-base font-semibold">No messages yet</h2>
        <p className="mt-1.5 text-sm text-zinc-600">
          A message is one event your application published. Hookline stores it exactly as sent and delivers it to every endpoint
          that subscribes to its event type. Publish one with an API key from{" "}
          <Link href="/settings" className="font-medium text-brand-700 hover:underline">
            Settings
          </Link>
          , or fire a sample from the{" "}
          <Link href="/playground" className="font-medium text-brand-700 hover:underline">
            Playground
          </Link>
          .
        </p>
      </div>
      <div className="mx-auto mt-6 max-w-2xl text-left">
        <div className="mb-2 flex items-center justify-between">
          <span className="text-xs font-medium text-zinc-500">Publish with curl</span>
          <CopyButton value={curl} />
        </div>
        <CodeBlock label="Publish with curl" className="whitespace-pre-wrap">{curl}</CodeBlock>
      </div>
    </div>
  );
}

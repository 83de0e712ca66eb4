"use client";

import { Lock } from "lucide-react";
import { AttemptsCard } from "@/lib/features/endpoints/components/detail/attempts-card";
import { ConfigCard } from "@/lib/features/endpoints/components/detail/config-card";
import { EndpointHeader } from "@/lib/features/endpoints/components/detail/endpoint-header";
import { RecoverCard } from "@/lib/features/endpoints/components/detail/recover-card";
import { SecretCard } from "@/lib/features/endpoints/components/detail/secret-card";
import { SendTestPanel } from "@/lib/features/endpoints/components/detail/send-test-panel";
import type { CatalogEventType } from "@/lib/features/endpoints/types";
import { Card } from "@/components/ui/card";
import type { EndpointDto } from "@/lib/features/endpoints/service";

export function EndpointDetail({ endpoint, canWrite, catalog }: { endpoint: EndpointDto; canWrite: boolean; catalog: CatalogEventType[] }) {
  return (
    <>
      <EndpointHeader endpoint={endpoint} canWrite={canWrite} />
      <div className="grid grid-cols-1 items-start gap-6 lg:grid-cols-[minmax(0,1fr)_22rem] xl:grid-cols-[minmax(0,1fr)_24rem]">
        <div className="min-w-0 space-y-6">
          <AttemptsCard endpointId={endpoint.id} canWrite={canWrite} />
          {canWrite && <RecoverCard endpointId={endpoint.id} />}
          <ConfigCard endpoint={endpoint} />
          <SecretCard endpointId={endpoint.id} signature={endpoint.signature} canWrite={canWrite} />
        </div>
        <div className="min-w-0">
          {canWrite ? (
            <SendTestPanel endpointId={endpoint.id} eventTypes={endpoint.eventTypes} catalog={catalog} />
          ) : (
            <Card title="Send test">
              <p className="flex items-start gap-2 text-sm text-zinc-600">
                <Lock className="mt-0.5 size-4 shrink-0 text-zinc-500" aria-hidden />
                Viewers can read this endpoint&apos;s history but cannot send tests, resend or change it.
              </p>
            </Card>
          )}
        </div>
      </div>
    </>
  );
}

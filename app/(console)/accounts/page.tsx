import { Users } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { cn } from "@/components/ui/cn";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { RelativeTime } from "@/components/ui/time";
import { requireSessionContext } from "@/lib/auth/session";
import { hasRole } from "@/lib/context";
import { OpenPortalButton } from "@/lib/features/accounts/components/open-portal-button";
import { listAccounts } from "@/lib/features/accounts/queries";

export const metadata: Metadata = { title: "Accounts" };

export default async function AccountsPage() {
  const ctx = await requireSessionContext();
  const accounts = await listAccounts(ctx);
  const canWrite = hasRole(ctx, "ADMIN");
  return (
    <>
      <PageHeader
        title="Accounts"
        description="Your customers, by the account key your app publishes with: the endpoints they own, how deliveries to them went, and their portal."
      />
      {accounts.length === 0 ? (
        <EmptyState icon={Users} title="No accounts yet">
          An account appears once an endpoint belongs to it or your app publishes a message with its <code className="font-mono">account</code>.
          Give each customer their own endpoints with a portal link: <code className="font-mono">POST /api/v1/accounts/acc_1/portal</code>.
        </EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-xl bg-white shadow-sm ring-1 ring-zinc-200">
          <table className="w-full min-w-[680px] text-left text-sm">
            <thead className="border-b border-zinc-200 bg-zinc-50/70 text-xs font-medium text-zinc-500">
              <tr>
                <th scope="col" className="px-4 py-2.5 font-medium">Account</th>
                <th scope="col" className="px-4 py-2.5 font-medium">Endpoints</th>
                <th scope="col" className="px-4 py-2.5 font-medium">Success (24 h)</th>
                <th scope="col" className="px-4 py-2.5 font-medium">Last failure</th>
                <th scope="col" className="px-4 py-2.5 font-medium"><span className="sr-only">Portal</span></th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100">
              {accounts.map((account) => {
                const percent = account.successRate24h === null ? null : Math.round(account.successRate24h * 1000) / 10;
                return (
                  <tr key={account.account} className="align-top">
                    <td className="px-4 py-3 font-mono text-xs text-zinc-900">{account.account}</td>
                    <td className="px-4 py-3">
                      <Link href={`/endpoints?account=${encodeURIComponent(account.account)}`} className="text-brand-700 tabular-nums hover:underline">
                        {account.endpoints} endpoint{account.endpoints === 1 ? "" : "s"}
                      </Link>
                    </td>
                    <td className="px-4 py-3">
                      {percent === null ? (
                        <span className="text-zinc-400">No attempts</span>
                      ) : (
                        <span className={cn("font-medium tabular-nums", percent >= 99 ? "text-emerald-700" : percent >= 90 ? "text-amber-700" : "text-red-700")}>
                          {percent}% <span className="font-normal text-zinc-500">of {account.attempts24h}</span>
                        </span>
                      )}
                    </td>
                    <td className="px-4 py-3 text-zinc-600">
                      {account.lastFailure ? (
                        <Link href={`/endpoints/${account.lastFailure.endpointId}`} className="hover:underline">
                          <RelativeTime iso={account.lastFailure.at} />
                          <span className="block text-xs text-zinc-500">
                            {account.lastFailure.responseStatus ? `HTTP ${account.lastFailure.responseStatus}` : (account.lastFailure.errorCode ?? "Failed")}
                          </span>
                        </Link>
                      ) : (
                        <span className="text-zinc-400">None</span>
                      )}
                    </td>
                    <td className="px-4 py-3 text-right">
                      <OpenPortalButton account={account.account} disabled={!canWrite} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

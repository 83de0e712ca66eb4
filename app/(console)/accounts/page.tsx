import { Users } from "lucide-react";
import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requireSessionContext } from "@/lib/auth/session";
import { hasRole } from "@/lib/context";
import { AccountsTable } from "@/lib/features/accounts/components/accounts-table";
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
        <AccountsTable accounts={accounts} canWrite={canWrite} />
      )}
    </>
  );
}

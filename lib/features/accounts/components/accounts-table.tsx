import Link from "next/link";
import { SuccessRate } from "@/components/ui/success-rate";
import { Table, Td, type TableColumn } from "@/components/ui/table";
import { RelativeTime } from "@/components/ui/time";
import type { AccountSummary } from "../queries";
import { OpenPortalButton } from "./open-portal-button";
import { RevokePortalLinksButton } from "./revoke-portal-links-button";

const COLUMNS: TableColumn[] = ["Account", "Endpoints", "Success (24 h)", "Last failure", { label: "Portal", hidden: true }];

/** One row per account: its endpoints, how deliveries to them went in the last 24 h, and its portal. */
export function AccountsTable({ accounts, canWrite }: { accounts: AccountSummary[]; canWrite: boolean }) {
  return (
    <Table label="Accounts" columns={COLUMNS} minWidth={680}>
      {accounts.map((account) => (
        <tr key={account.account} className="align-top">
          <Td className="font-mono text-xs text-zinc-900">{account.account}</Td>
          <Td>
            <Link href={`/endpoints?account=${encodeURIComponent(account.account)}`} className="text-brand-700 tabular-nums hover:underline">
              {account.endpoints} endpoint{account.endpoints === 1 ? "" : "s"}
            </Link>
          </Td>
          <Td>
            <SuccessRate rate={account.successRate24h} attempts={account.attempts24h} />
          </Td>
          <Td className="text-zinc-600">
            {account.lastFailure ? (
              <Link href={`/endpoints/${account.lastFailure.endpointId}`} className="hover:underline">
                <RelativeTime iso={account.lastFailure.at} />
                <span className="block text-xs text-zinc-500">
                  {account.lastFailure.responseStatus ? `HTTP ${account.lastFailure.responseStatus}` : (account.lastFailure.errorCode ?? "Failed")}
                </span>
              </Link>
            ) : (
              <span className="text-zinc-500">None</span>
            )}
          </Td>
          <Td className="text-right">
            <div className="flex flex-wrap justify-end gap-1">
              <OpenPortalButton account={account.account} disabled={!canWrite} />
              {account.openLinks > 0 && canWrite && <RevokePortalLinksButton account={account.account} open={account.openLinks} />}
            </div>
          </Td>
        </tr>
      ))}
    </Table>
  );
}

import type { Metadata } from "next";
import { ApiReference } from "@/lib/features/api-reference/components/api-reference";
import { PageHeader } from "@/components/ui/page-header";
import { requireSessionContext } from "@/lib/auth/session";

export const metadata: Metadata = { title: "API reference" };

export default async function Page() {
  await requireSessionContext();
  return (
    <>
      <PageHeader
        title="API reference"
        description="Every /api/v1 route with its body, answers, errors and examples, from /api/v1/openapi.json. Try a request with an API key from Settings."
      />
      <ApiReference />
    </>
  );
}

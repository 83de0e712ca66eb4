import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { needsSetup } from "@/lib/features/sign-in/service";
import { ensureSetupToken } from "@/lib/features/sign-in/setup-token";
import { SetupForm } from "@/lib/features/sign-in/components/setup-form";

export const metadata: Metadata = { title: "Set up" };
export const dynamic = "force-dynamic";

export default async function SetupPage() {
  if (!(await needsSetup())) redirect("/login");
  ensureSetupToken(); // started without the launcher: the token is generated and printed now

  return <SetupForm />;
}

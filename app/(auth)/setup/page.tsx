import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { needsSetup } from "@/lib/features/sign-in/service";
import { SetupForm } from "@/lib/features/sign-in/components/setup-form";

export const metadata: Metadata = { title: "Set up" };
export const dynamic = "force-dynamic";

export default async function SetupPage() {
  if (!(await needsSetup())) redirect("/login");
  return <SetupForm />;
}

import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { Suspense } from "react";
import { getSessionContext } from "@/lib/auth/session";
import { needsSetup } from "@/lib/features/sign-in/service";
import { LoginForm } from "@/lib/features/sign-in/components/login-form";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

export default async function LoginPage() {
  if (await needsSetup()) redirect("/setup");
  if (await getSessionContext()) redirect("/");
  return (
    <Suspense>
      <LoginForm />
    </Suspense>
  );
}

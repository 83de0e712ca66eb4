"use client";

import { signIn } from "next-auth/react";
import { useRouter, useSearchParams } from "next/navigation";
import { useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";

export function LoginForm() {
  const router = useRouter();
  const searchParams = useSearchParams();
  const [error, setError] = useState<string>();
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(undefined);
    const result = await signIn("credentials", {
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
      redirect: false,
    });
    if (result?.ok) {
      const target = searchParams.get("callbackUrl");
      // Only same-site paths: a login link must not bounce people to another site.
      router.replace(target?.startsWith("/") && !target.startsWith("//") ? target : "/");
      router.refresh();
      return;
    }
    setPending(false);
    // A rate limit or lockout (HTTP 429) carries its own message: show it as it is.
    const message =
      result?.error === "CredentialsSignin"
        ? "Wrong email or password."
        : result?.status === 429 && result.error
          ? result.error
          : "Sign-in failed. Try again in a moment.";
    setError(message);
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4">
      <div>
        <h1 className="text-lg font-semibold">Sign in</h1>
        <p className="mt-1 text-sm text-zinc-600">to your Hookline console</p>
      </div>
      {error && <Alert tone="error">{error}</Alert>}
      <Field label="Email" name="email" type="email" autoComplete="email" required autoFocus />
      <Field label="Password" name="password" type="password" autoComplete="current-password" required />
      <Button type="submit" className="w-full" pending={pending}>
        Sign in
      </Button>
    </form>
  );
}

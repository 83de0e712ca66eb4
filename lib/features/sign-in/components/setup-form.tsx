"use client";

import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useActionState, useEffect, useRef } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { setupAction, type SetupState } from "../actions";

export function SetupForm() {
  const router = useRouter();
  const password = useRef("");
  const [state, action, pending] = useActionState<SetupState, FormData>(async (previous, form) => {
    password.current = String(form.get("password") ?? "");
    return setupAction(previous, form);
  }, {});

  // Sign the new admin straight in: nobody wants to type the password twice.
  useEffect(() => {
    if (!state.ok || !state.email) return;
    void signIn("credentials", { email: state.email, password: password.current, redirect: false }).then((result) => {
      router.replace(result?.ok ? "/" : "/login");
      router.refresh();
    });
  }, [state, router]);

  return (
    <form action={action} className="space-y-4" noValidate>
      <div>
        <h1 className="text-lg font-semibold">Create the first admin</h1>
        <p className="mt-1 text-sm text-zinc-600">This account owns the installation. You can invite others later.</p>
      </div>
      {state.message && <Alert tone="error">{state.message}</Alert>}
      <Field
        label="Setup token"
        name="setupToken"
        autoComplete="off"
        spellCheck={false}
        required
        hint="Printed on the server's console when it started (also in the setup-token file of its data dir)."
        error={state.fieldErrors?.setupToken?.[0]}
      />
      <Field
        label="Email"
        name="email"
        type="email"
        autoComplete="email"
        required
        defaultValue={state.values?.email}
        error={state.fieldErrors?.email?.[0]}
      />
      <Field
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        minLength={12}
        hint="At least 12 characters."
        error={state.fieldErrors?.password?.[0]}
      />
      <Field
        label="Workspace name"
        name="workspaceName"
        defaultValue={state.values?.workspaceName ?? "My workspace"}
        required
        error={state.fieldErrors?.workspaceName?.[0]}
      />
      <Button type="submit" className="w-full" pending={pending || state.ok}>
        {state.ok ? "Signing you in…" : "Create admin and sign in"}
      </Button>
    </form>
  );
}

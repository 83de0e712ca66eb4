import { DoorOpen } from "lucide-react";
import Link from "next/link";
import { SignOutButton } from "@/components/shell/sign-out-button";
import { buttonClasses } from "@/components/ui/link-button";

/** The page for a signed-in person who belongs to no workspace any more. */
export function NoWorkspace({ email }: { email: string | null }) {
  return (
    <div className="text-center">
      <span className="mx-auto flex size-11 items-center justify-center rounded-full bg-zinc-100 text-zinc-600">
        <DoorOpen className="size-5" aria-hidden />
      </span>
      <h1 className="mt-4 text-lg font-semibold text-zinc-900">You are not in any workspace</h1>
      <p className="mt-2 text-sm text-zinc-600">
        {email ? (
          <>
            You are signed in as <span className="font-medium text-zinc-800">{email}</span>, but no workspace on this Hookline has you as a member
            any more.
          </>
        ) : (
          <>This account no longer exists on this Hookline.</>
        )}{" "}
        Ask an owner of a workspace to add you again, then reload this page.
      </p>
      <div className="mt-6 flex flex-col gap-2">
        <Link href="/" className={buttonClasses("primary", "md", "w-full")}>
          Try again
        </Link>
        <SignOutButton className={buttonClasses("secondary", "md", "w-full")}>Sign out</SignOutButton>
      </div>
    </div>
  );
}

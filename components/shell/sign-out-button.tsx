"use client";

import { LogOut } from "lucide-react";
import { signOut } from "next-auth/react";
import type { ButtonHTMLAttributes } from "react";

/** Ends the session and returns to the login page. */
export function SignOutButton({ children = "Sign out", ...props }: ButtonHTMLAttributes<HTMLButtonElement>) {
  return (
    <button type="button" onClick={() => void signOut({ callbackUrl: "/login" })} {...props}>
      <LogOut className="size-4" aria-hidden /> {children}
    </button>
  );
}

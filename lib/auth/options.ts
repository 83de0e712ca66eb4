import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { db } from "@/lib/db/client";
import { dataDir, env } from "@/lib/env";
import { loadLocalSecrets } from "@/lib/local-secrets";
import { verifyPassword } from "@/lib/auth/password";
import { clearLoginFailures, recordLoginFailure } from "@/lib/auth/login-limits";

// A real hash of a random string: unknown emails cost as much as wrong passwords,
// so response time does not tell which emails have accounts.
const DUMMY_HASH = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$T8WkzTeNdXmYtDXEp1Jq7o4cUFj2Zb3VfT9h8ENd0Ho";

export function authSecret(): string {
  return env().NEXTAUTH_SECRET ?? loadLocalSecrets(dataDir()).authSecret;
}

export const authOptions: NextAuthOptions = {
  secret: authSecret(),
  session: { strategy: "jwt", maxAge: 7 * 24 * 3600 },
  pages: { signIn: "/login" },
  providers: [
    CredentialsProvider({
      name: "Email and password",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials) {
        const email = credentials?.email?.trim().toLowerCase();
        const password = credentials?.password ?? "";
        if (!email || !password) return null;
        const user = await db().user.findUnique({ where: { email }, omit: { passwordHash: false } });
        const ok = await verifyPassword(user?.passwordHash ?? DUMMY_HASH, password);
        if (!user || !ok) {
          await recordLoginFailure(email); // unknown emails too: no hint which ones have accounts
          return null;
        }
        await clearLoginFailures(email);
        return { id: user.id, email: user.email, name: user.name };
      },
    }),
  ],
  callbacks: {
    jwt({ token, user }) {
      if (user) token.uid = user.id;
      return token;
    },
    session({ session, token }) {
      if (session.user && typeof token.uid === "string") (session.user as { id?: string }).id = token.uid;
      return session;
    },
  },
};

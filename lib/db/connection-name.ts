/**
 * A connection string whose own `application_name` is dropped, so that the name a pool gives its
 * connections wins (`pg` lets the URL's parameters override the options). Hookline names its
 * connections to tell live processes from dead ones: the local engine's leases
 * (inngest/engine/store.ts) and the delivery workers' claims (lib/delivery/attempt.ts) count only
 * while a connection carries their owner's name. A hosting provider's URL that names the
 * application would otherwise make every live process look dead.
 */
export function withoutApplicationName(connectionString: string): string {
  if (!/[?&]application_name=/.test(connectionString)) return connectionString;
  try {
    const url = new URL(connectionString);
    url.searchParams.delete("application_name");
    return url.toString();
  } catch {
    return connectionString;
  }
}

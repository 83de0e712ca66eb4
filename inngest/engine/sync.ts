import { signRequestBody, type InProcessHandler } from "./protocol";

/**
 * What `inngest dev -u <url>` does: PUT the app's serve URL, which makes the
 * SDK register its functions with the server it is configured for (the
 * engine, through INNGEST_BASE_URL). Retried while the app is still starting.
 */
export class SyncRefusedError extends Error {}

export async function syncApp(serveUrl: string, options: { timeoutMs?: number; log?: (line: string) => void } = {}): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  let last = "no answer";
  for (let delay = 100; ; delay = Math.min(delay * 2, 2000)) {
    try {
      const res = await fetch(serveUrl, { method: "PUT", signal: AbortSignal.timeout(30_000) });
      const text = await res.text();
      if (res.ok) return;
      last = `HTTP ${res.status}: ${messageOf(text)}`;
      // 400 is the engine refusing a function config: retrying cannot help.
      if (res.status === 400) throw new SyncRefusedError(`sync of ${serveUrl} refused: ${messageOf(text)}`);
    } catch (error) {
      if (error instanceof SyncRefusedError) throw error;
      last = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() + delay > deadline) throw new Error(`could not sync ${serveUrl}: ${last}`);
    if (delay === 100) options.log?.(`engine: waiting for ${serveUrl} (${last})`);
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}

function messageOf(text: string): string {
  try {
    const body = JSON.parse(text) as { message?: unknown; error?: unknown };
    return String(body.message ?? body.error ?? text);
  } catch {
    return text.slice(0, 500);
  }
}

/**
 * In-band sync of a serve handler running in this process (the delivery worker):
 * a signed `PUT` with `x-inngest-sync-kind: in_band`, as Inngest Cloud syncs;
 * the reply body is the app's configuration. Nothing travels over the network.
 */
export async function syncInProcess(
  handler: InProcessHandler,
  serveUrl: string,
  signingKey: string,
): Promise<{ appId: string; url: string; sdk?: string; functions: unknown }> {
  const body = { url: serveUrl };
  const response = await handler(
    new Request(serveUrl, {
      method: "PUT",
      headers: {
        "content-type": "application/json",
        host: new URL(serveUrl).host,
        "x-inngest-sync-kind": "in_band",
        "x-inngest-signature": signRequestBody(body, signingKey),
      },
      body: JSON.stringify(body),
    }),
  );
  const text = await response.text();
  if (!response.ok) throw new Error(`in-process sync of ${serveUrl} failed: HTTP ${response.status}: ${messageOf(text)}`);
  const config = JSON.parse(text) as { app_id: string; url: string; sdk?: string; functions: unknown };
  return { appId: config.app_id, url: config.url, sdk: config.sdk, functions: config.functions };
}

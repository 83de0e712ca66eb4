/**
 * Import first, before anything that loads the Inngest client: no executor for these tests.
 * With no Inngest configuration at all the SDK is in cloud mode without an event key, so
 * publish's inngest.send fails at once (no network) and is logged; the tests drive the
 * attempt core themselves. Also a throwaway key for the secret box.
 */
for (const name of ["INNGEST_DEV", "INNGEST_BASE_URL", "INNGEST_EVENT_KEY", "INNGEST_SIGNING_KEY"]) delete process.env[name];
process.env.HOOKLINE_ENCRYPTION_KEY = Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(32))).toString("base64");

import crypto from "node:crypto";

// Receiver-side checks written from the seed documents alone; none imports Hookline's signing code.

/** Seed 001's Node.js snippet, verbatim apart from types (in its Express handler `payload` is the raw Buffer). */
export function verifyWebhookSignature(payload: Buffer, signature: string, secret: string) {
  const expectedSignature = crypto
    .createHmac('sha256', secret)
    .update(payload as unknown as string, 'utf8')
    .digest('hex');

  const receivedSignature = signature.replace('sha256=', '');

  return crypto.timingSafeEqual(
    Buffer.from(expectedSignature, 'hex'),
    Buffer.from(receivedSignature, 'hex')
  );
}

/** Seed 002: `X-CALLTRACKING-SIGNATURE` = hex HMAC-SHA1 of the raw body with the signature key. */
export function verifyCallTracking(payload: Buffer, signature: string, secret: string): boolean {
  const expected = crypto.createHmac("sha1", secret).update(payload).digest();
  const received = Buffer.from(signature, "hex");
  return received.length === expected.length && crypto.timingSafeEqual(received, expected);
}

import type { SignatureConfig } from "@/lib/delivery/schemas";
import { signatureHeaderNames } from "@/lib/delivery/signature-headers";

// Receiver-side verification for each scheme, written against what lib/delivery/sign.ts sends.
// The HMAC schemes use the whole secret string ("whsec_…") as UTF-8 key bytes; Standard Webhooks
// decodes the base64 after "whsec_" (the libraries do that themselves).

export type Snippets = { node: string; python: string; note?: string };

/** `secretVar`: the environment variable the snippets read the secret from. */
export function verifySnippets(signature: SignatureConfig, secretVar = "HOOKLINE_SECRET"): Snippets {
  return renameSecret(snippetsFor(signature), secretVar);
}

function renameSecret(snippets: Snippets, secretVar: string): Snippets {
  if (secretVar === "HOOKLINE_SECRET") return snippets;
  const rename = (text: string) => text.replaceAll("HOOKLINE_SECRET", secretVar);
  return { ...snippets, node: rename(snippets.node), python: rename(snippets.python) };
}

function snippetsFor(signature: SignatureConfig): Snippets {
  const [header] = signatureHeaderNames(signature);
  switch (signature.scheme) {
    case "standard":
      return {
        note: "Standard Webhooks: the standardwebhooks (or svix) package checks the signature and rejects timestamps older than 5 minutes.",
        node: `// npm install standardwebhooks
import { Webhook } from "standardwebhooks";

const wh = new Webhook(process.env.HOOKLINE_SECRET); // "whsec_…"

// Express: app.post("/webhooks", express.raw({ type: "application/json" }), handler)
export function handler(req, res) {
  let payload;
  try {
    payload = wh.verify(req.body.toString("utf8"), {
      "webhook-id": req.get("webhook-id"),
      "webhook-timestamp": req.get("webhook-timestamp"),
      "webhook-signature": req.get("webhook-signature"),
    });
  } catch {
    return res.status(400).send("invalid signature");
  }
  // payload is the parsed event; webhook-id is stable across retries (deduplicate on it)
  res.sendStatus(204);
}`,
        python: `# pip install standardwebhooks
import os
from flask import Flask, request
from standardwebhooks.webhooks import Webhook

wh = Webhook(os.environ["HOOKLINE_SECRET"])  # "whsec_…"
app = Flask(__name__)

@app.post("/webhooks")
def webhooks():
    try:
        payload = wh.verify(request.get_data(), request.headers)
    except Exception:
        return "invalid signature", 400
    # payload is the parsed event; webhook-id is stable across retries (deduplicate on it)
    return "", 204`,
      };
    case "hmac-sha256":
      return hexHmac(header, "sha256", "sha256=", `The ${header} header is "sha256=" followed by the hex HMAC-SHA256 of the raw body (GitHub's format; @octokit/webhooks-methods verifies it too).`);
    case "hmac-sha1":
      return hexHmac(header, "sha1", "", `The ${header} header is the hex HMAC-SHA1 of the raw body.`);
    case "stripe":
      return {
        note: `The ${header} header is t=<unix time>,v1=<hex HMAC-SHA256 of "t.body">, as Stripe sends it (stripe.webhooks.constructEvent accepts it too). During a rotation it carries two v1 values.`,
        node: `import { createHmac, timingSafeEqual } from "node:crypto";

const secret = process.env.HOOKLINE_SECRET; // the whole "whsec_…" string is the key
const TOLERANCE_SECONDS = 300;

// rawBody: the request body exactly as received (a string or Buffer), before any JSON parsing
export function verify(rawBody, signatureHeader) {
  const pairs = (signatureHeader ?? "").split(",").map((part) => part.split("="));
  const t = pairs.find(([key]) => key === "t")?.[1];
  const signatures = pairs.filter(([key]) => key === "v1").map(([, value]) => value);
  if (!t || Math.abs(Date.now() / 1000 - Number(t)) > TOLERANCE_SECONDS) return false;
  const expected = Buffer.from(createHmac("sha256", secret).update(\`\${t}.\${rawBody}\`).digest("hex"));
  return signatures.some((value) => value.length === expected.length && timingSafeEqual(Buffer.from(value), expected));
}

// Express: if (!verify(req.body, req.get("${header}"))) return res.status(400).end();`,
        python: `import hashlib, hmac, os, time
from flask import Flask, request, abort

SECRET = os.environ["HOOKLINE_SECRET"].encode()  # the whole "whsec_…" string is the key
TOLERANCE_SECONDS = 300
app = Flask(__name__)

def verify(raw_body: bytes, signature_header: str | None) -> bool:
    pairs = [part.split("=", 1) for part in (signature_header or "").split(",") if "=" in part]
    t = next((value for key, value in pairs if key == "t"), None)
    signatures = [value for key, value in pairs if key == "v1"]
    if t is None or abs(time.time() - int(t)) > TOLERANCE_SECONDS:
        return False
    expected = hmac.new(SECRET, t.encode() + b"." + raw_body, hashlib.sha256).hexdigest()
    return any(hmac.compare_digest(expected, value) for value in signatures)

@app.post("/webhooks")
def webhooks():
    if not verify(request.get_data(), request.headers.get("${header}")):
        abort(400)
    return "", 204`,
      };
    case "body-secret": {
      const field = signature.field ?? "secret";
      return {
        note: `No signature header: the secret itself arrives as the top-level "${field}" field of the JSON body. Compare it in constant time, and accept only https.`,
        node: `import { timingSafeEqual } from "node:crypto";

const secret = process.env.HOOKLINE_SECRET;

export function verify(body /* the parsed JSON */) {
  const given = Buffer.from(typeof body?.${/^[A-Za-z_$][\w$]*$/.test(field) ? field : `[${JSON.stringify(field)}]`} === "string" ? body${/^[A-Za-z_$][\w$]*$/.test(field) ? `.${field}` : `[${JSON.stringify(field)}]`} : "");
  return given.length === secret.length && timingSafeEqual(given, Buffer.from(secret));
}

// Express: app.post("/webhooks", express.json(), (req, res) => {
//   if (!verify(req.body)) return res.status(401).end();
//   const { ${/^[A-Za-z_$][\w$]*$/.test(field) ? field : "_secret"}: _, ...event } = req.body;  // …
// });`,
        python: `import hmac, os
from flask import Flask, request, abort

SECRET = os.environ["HOOKLINE_SECRET"]
app = Flask(__name__)

@app.post("/webhooks")
def webhooks():
    body = request.get_json()
    given = body.pop(${JSON.stringify(field)}, "") if isinstance(body, dict) else ""
    if not isinstance(given, str) or not hmac.compare_digest(given, SECRET):
        abort(401)
    # body is now the event without the secret
    return "", 204`,
      };
    }
    case "none":
      return {
        note: "Unsigned: the request carries no signature, so there is nothing to verify. If the receiver can check a shared token, add it as a custom header (e.g. Authorization: Bearer …) and compare it in constant time.",
        node: `import { timingSafeEqual } from "node:crypto";

// Only if you added a custom header such as "Authorization: Bearer <token>" to the endpoint.
const expected = Buffer.from("Bearer " + process.env.WEBHOOK_TOKEN);

export function verify(authorizationHeader) {
  const given = Buffer.from(authorizationHeader ?? "");
  return given.length === expected.length && timingSafeEqual(given, expected);
}`,
        python: `import hmac, os

# Only if you added a custom header such as "Authorization: Bearer <token>" to the endpoint.
EXPECTED = "Bearer " + os.environ["WEBHOOK_TOKEN"]

def verify(authorization_header: str | None) -> bool:
    return hmac.compare_digest(EXPECTED, authorization_header or "")`,
      };
  }
}

/** A header holding the hex HMAC of the raw body (optionally prefixed), keyed by the whole secret string. */
function hexHmac(header: string | undefined, algorithm: "sha256" | "sha1", prefix: string, note: string): Snippets {
  const prepend = prefix ? `${JSON.stringify(prefix)} + ` : ""; // the same literal in both languages
  return {
    note,
    node: `import { createHmac, timingSafeEqual } from "node:crypto";

const secret = process.env.HOOKLINE_SECRET; // the whole "whsec_…" string is the key

// rawBody: the request body exactly as received (a Buffer), before any JSON parsing
export function verify(rawBody, signatureHeader) {
  const expected = ${prepend}createHmac("${algorithm}", secret).update(rawBody).digest("hex");
  const given = Buffer.from(signatureHeader ?? "");
  return given.length === expected.length && timingSafeEqual(given, Buffer.from(expected));
}

// Express: app.post("/webhooks", express.raw({ type: "application/json" }), (req, res) => {
//   if (!verify(req.body, req.get("${header}"))) return res.status(401).end();
//   const event = JSON.parse(req.body);  // …
// });`,
    python: `import hashlib, hmac, os
from flask import Flask, request, abort

SECRET = os.environ["HOOKLINE_SECRET"].encode()  # the whole "whsec_…" string is the key
app = Flask(__name__)

def verify(raw_body: bytes, signature_header: str | None) -> bool:
    expected = ${prepend}hmac.new(SECRET, raw_body, hashlib.${algorithm}).hexdigest()
    return hmac.compare_digest(expected, signature_header or "")

@app.post("/webhooks")
def webhooks():
    if not verify(request.get_data(), request.headers.get("${header}")):
        abort(401)
    event = request.get_json()
    return "", 204`,
  };
}

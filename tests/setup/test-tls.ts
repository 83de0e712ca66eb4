import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * Certificates for loopback HTTPS receivers: a throwaway CA that the test processes trust
 * (NODE_EXTRA_CA_CERTS, read by each worker when it starts, so it is set here before they fork)
 * with a certificate for 127.0.0.1/localhost, and a self-signed one that must be refused.
 * Hookline itself never turns certificate checks off; a test that needs a "valid" certificate
 * gets one the same way a private CA would issue it.
 */
export default function setup() {
  const dir = path.resolve(`data/test-tls-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const openssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
  const san = "subjectAltName=IP:127.0.0.1,DNS:localhost";
  openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=Hookline test CA");
  openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1");
  writeFileSync(path.join(dir, "server.ext"), `${san}\n`);
  openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile", "server.ext");
  openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "self.key", "-out", "self.pem", "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", san);
  process.env.NODE_EXTRA_CA_CERTS = path.join(dir, "ca.pem");
  process.env.HOOKLINE_TEST_TLS_DIR = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}

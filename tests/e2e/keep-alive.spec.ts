import http from "node:http";
import { expect, test } from "@playwright/test";

/** One request on `agent`, with whether it went over a socket an earlier request had left open. */
function get(agent: http.Agent, url: string) {
  return new Promise<{ status: number; reused: boolean }>((resolve, reject) => {
    const request = http.get(url, { agent }, (response) => {
      response.resume();
      response.on("end", () => resolve({ status: response.statusCode ?? 0, reused: request.reusedSocket }));
    });
    request.on("error", reject);
  });
}

// A product's app publishes through a keep-alive client that may sit idle between bursts. A server
// that closes idle connections after Node's default 5 s races such a client: a request written on
// a socket the server is just closing fails with a reset ("socket hang up"), and the app cannot
// tell whether it was stored. `npm start` keeps idle connections for 65 s (longer than the 60 s of
// common proxies and load balancers in front of it), so a client idle for 6 s reuses its socket.
test("keeps an idle keep-alive connection open past Node's default 5 s", async ({ baseURL }) => {
  test.setTimeout(30_000);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const first = await get(agent, `${baseURL}/api/health`);
    expect(first).toEqual({ status: 200, reused: false });
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    const second = await get(agent, `${baseURL}/api/health`);
    expect(second).toEqual({ status: 200, reused: true });
  } finally {
    agent.destroy();
  }
});

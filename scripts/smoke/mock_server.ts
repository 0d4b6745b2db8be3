/**
 * A scripted mock model API on 127.0.0.1 for driving real agent CLIs offline.
 *
 * One server speaks Anthropic Messages, OpenAI Responses, OpenAI Chat Completions and Gemini
 * `generateContent`/`streamGenerateContent`, records every request (headers without
 * credentials, parsed JSON body) in memory and, optionally, to a JSONL file, and answers
 * according to a {@linkcode MockScript}: plain text, or shell tool calls (several in one reply
 * when scripted so) in the wire's native tool-call shape so that the CLI runs real tools and
 * sends their results back.
 *
 * The mock is strict by default: every request is checked against the rules real APIs enforce
 * (`api_rules.ts`); a request that breaks one is answered like the real API would (HTTP 400 in
 * the wire's error shape, naming the rule ids and paths) and its violations are recorded.
 *
 * @module
 */

import { apiErrorBody, checkRequest, type Violation } from "./api_rules.ts";
import { historyFromWire, isInjectedReminder, type Turn, type Wire } from "./history.ts";
import {
  type EncodedReply,
  encodeReply,
  minimalJsonForSchema,
  type MockReply,
  pickShellTool,
  pickTool,
  type ShellToolCall,
} from "./wire_replies.ts";

/** Whether a request was a conversation turn, a side request, or something unrecognized. */
export type RequestKind = "turn" | "side" | "other";

/** One request the mock received, and what it answered. */
export interface RecordedRequest {
  /** 1-based arrival order. */
  seq: number;
  /** ISO time of arrival. */
  time: string;
  /** HTTP method. */
  method: string;
  /** URL path. */
  path: string;
  /** Query parameters (an API key parameter is removed). */
  query: Record<string, string>;
  /** Request headers without credentials. */
  headers: Record<string, string>;
  /** Parsed JSON body, or the raw text when it is not JSON, or `null` when empty. */
  body: unknown;
  /** The wire protocol recognized from the path, if any. */
  wire?: Wire;
  /** Turn, side request (title, router, quota, token count) or other. */
  kind: RequestKind;
  /** HTTP status answered. */
  status: number;
  /** For turns: the scripted reply that was sent (tool calls in reply order). */
  reply?: { text: string; toolCalls?: ShellToolCall[]; reasoning?: string };
  /**
   * For model requests: the API rules the request breaks (`api_rules.ts`), empty when a real
   * API would accept it. Recorded in strict and lenient mode alike.
   */
  violations?: Violation[];
}

/** What a script sees for each turn request. */
export interface ScriptContext {
  /** The wire protocol of the request. */
  wire: Wire;
  /** The request's conversation, normalized. */
  history: Turn[];
  /** The raw parsed body. */
  body: unknown;
  /** 0-based index of this turn among the turns this server answered. */
  turnIndex: number;
}

/** Decides the reply to a turn request. */
export type MockScript = (context: ScriptContext) => MockReply;

/** Options for {@linkcode startMockServer}. */
export interface MockServerOptions {
  /** Reply script for turns. @default {@linkcode defaultScript} */
  script?: MockScript;
  /** Append every recorded request as one JSON line to this file. */
  logPath?: string;
  /** Model name echoed in replies. @default "mock-model" */
  model?: string;
  /**
   * Answer requests that break an API rule with HTTP 400, as the real API would. Off, they are
   * answered normally (violations are still recorded). Debugging aid; the environment variable
   * `CASR_MOCK_STRICT=0` turns it off too.
   *
   * @default {true}
   */
  strict?: boolean;
  /**
   * The text of a side request's reply (a compaction summary), or `undefined` for the usual
   * side reply. @default none
   */
  sideText?: (context: ScriptContext) => string | undefined;
}

/** A running mock server. */
export interface MockServer {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** The bound port. */
  port: number;
  /** Every request so far, in arrival order. */
  requests: RecordedRequest[];
  /** Only the conversation-turn requests. */
  turns(): RecordedRequest[];
  /** Stops the server and flushes the log. */
  close(): Promise<void>;
}

/** The prompt phrase the default script turns into a shell tool call. */
export const SHELL_TRIGGER = /run the shell command `([^`]+)`/i;

/**
 * The default reply script: when the newest user turn asks to "run the shell command
 * \`...\`", answer with a short text plus that shell tool call; otherwise (including right
 * after a tool result) answer with plain text `OK from mock #<n>`. Injected reminder turns
 * after the newest turn are skipped.
 *
 * @param context The turn request.
 * @returns The reply.
 */
export function defaultScript(context: ScriptContext): MockReply {
  const last = context.history.findLast((turn) => !isInjectedReminder(turn));
  const n = context.turnIndex + 1;
  if (last?.role === "user") {
    const match = SHELL_TRIGGER.exec(last.text);
    if (match?.[1] !== undefined) {
      return { text: `Mock #${n}: running \`${match[1]}\` now.`, shellCommands: [match[1]] };
    }
  }
  if (last?.role === "tool") {
    return { text: `OK from mock #${n}: the command finished.` };
  }
  return { text: `OK from mock #${n}` };
}

const SECRET_HEADERS = new Set([
  "authorization",
  "x-api-key",
  "x-goog-api-key",
  "api-key",
  "cookie",
  "proxy-authorization",
]);

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function wireOf(method: string, path: string): Wire | undefined {
  if (method !== "POST") return undefined;
  if (/\/messages(\/count_tokens)?$/.test(path)) return "anthropic";
  if (path.endsWith("/responses")) return "responses";
  if (path.endsWith("/chat/completions")) return "chat";
  if (/:(stream)?generateContent$/i.test(path)) return "gemini";
  return undefined;
}

function geminiJsonSchema(body: unknown): unknown {
  if (!isObject(body) || !isObject(body.generationConfig)) return undefined;
  const config = body.generationConfig;
  if (config.responseJsonSchema !== undefined) return config.responseJsonSchema;
  if (config.responseSchema !== undefined) return config.responseSchema;
  if (config.responseMimeType === "application/json") return {};
  return undefined;
}

function hasTools(wire: Wire, body: unknown): boolean {
  if (!isObject(body)) return false;
  if (Array.isArray(body.tools) && body.tools.length > 0) return true;
  if (wire === "responses" && Array.isArray(body.input)) {
    return body.input.some((item) => isObject(item) && item.type === "additional_tools");
  }
  return false;
}

/**
 * Qwen Code's "managed memory" extraction: after a turn it replays the conversation with a
 * final user message starting like this and offers tools; it is not a conversation turn.
 */
const QWEN_MEMORY_REQUEST = /^Managed memory has /;

/** Classifies a model request as the conversation turn or a side request. */
function classify(wire: Wire, path: string, body: unknown): RequestKind {
  if (path.endsWith("/count_tokens")) return "side";
  if (wire === "gemini" && geminiJsonSchema(body) !== undefined) return "side";
  const last = historyFromWire(wire, body).at(-1);
  if (last?.role === "user" && QWEN_MEMORY_REQUEST.test(last.text.trimStart())) return "side";
  return hasTools(wire, body) ? "turn" : "side";
}

function isStreaming(wire: Wire, path: string, query: URLSearchParams, body: unknown): boolean {
  if (wire === "gemini") return path.includes(":streamGenerateContent") || query.has("alt");
  return isObject(body) && body.stream === true;
}

/** A request body: parsed JSON (or the text, or `null`), the raw text, and whether it was UTF-8. */
interface Body {
  value: unknown;
  raw: string;
  utf8: boolean;
}

async function readBody(request: Request): Promise<Body> {
  let stream = request.body;
  if (stream === null) return { value: null, raw: "", utf8: true };
  const encoding = request.headers.get("content-encoding")?.toLowerCase();
  if (encoding === "gzip" || encoding === "deflate") {
    stream = stream.pipeThrough(new DecompressionStream(encoding));
  }
  const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
  let raw: string;
  let utf8 = true;
  try {
    raw = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    raw = new TextDecoder().decode(bytes);
    utf8 = false;
  }
  if (raw === "") return { value: null, raw, utf8 };
  try {
    return { value: JSON.parse(raw), raw, utf8 };
  } catch {
    return { value: raw, raw, utf8 };
  }
}

function strictFromEnv(): boolean {
  try {
    return Deno.env.get("CASR_MOCK_STRICT") !== "0";
  } catch {
    return true; // no env permission: the default
  }
}

function json(status: number, value: unknown): Response {
  return new Response(JSON.stringify(value), {
    status,
    headers: { "content-type": "application/json" },
  });
}

function encoded(reply: EncodedReply): Response {
  return new Response(reply.body, {
    status: 200,
    headers: {
      "content-type": reply.contentType,
      "cache-control": "no-cache",
      "request-id": `req_mock_${crypto.randomUUID()}`,
      "x-request-id": crypto.randomUUID(),
    },
  });
}

/**
 * Starts the mock on 127.0.0.1 on a random free port.
 *
 * @param options Script, log file and model name.
 * @returns The running server.
 * @example Start, use and stop the mock
 * ```ts ignore
 * const mock = await startMockServer({ logPath: "/tmp/requests.jsonl" });
 * // point a CLI at mock.url ...
 * console.log(mock.turns().length);
 * await mock.close();
 * ```
 */
export function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  const script = options.script ?? defaultScript;
  const model = options.model ?? "mock-model";
  const strict = options.strict ?? strictFromEnv();
  const requests: RecordedRequest[] = [];
  let turnCount = 0;
  // Ids must not repeat across servers: a resumed session mixes replies of two mock runs, and
  // readers merge assistant records by message id.
  const token = crypto.randomUUID().slice(0, 8);
  let logChain: Promise<void> = Promise.resolve();

  const record = (entry: RecordedRequest): void => {
    requests.push(entry);
    const logPath = options.logPath;
    if (logPath !== undefined) {
      const line = JSON.stringify(entry) + "\n";
      logChain = logChain.then(() => Deno.writeTextFile(logPath, line, { append: true }));
    }
  };

  const handler = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    const query: Record<string, string> = {};
    for (const [key, value] of url.searchParams) if (key !== "key") query[key] = value;
    const headers: Record<string, string> = {};
    for (const [key, value] of request.headers) {
      if (!SECRET_HEADERS.has(key.toLowerCase())) headers[key] = value;
    }
    const received = await readBody(request);
    const body = received.value;
    const entry: RecordedRequest = {
      seq: requests.length + 1,
      time: new Date().toISOString(),
      method: request.method,
      path: url.pathname,
      query,
      headers,
      body,
      kind: "other",
      status: 200,
    };

    // WebSocket attempts (codex's Responses transport): refuse at once so the client falls
    // back to HTTP instead of retrying.
    if (request.headers.get("upgrade")?.toLowerCase() === "websocket") {
      entry.status = 426;
      record(entry);
      return json(426, { error: { message: "Upgrade Required: use HTTP", type: "mock" } });
    }

    const wire = wireOf(request.method, url.pathname);
    if (wire === undefined) {
      if (request.method === "GET" || request.method === "HEAD") {
        record(entry);
        return json(
          200,
          /models/.test(url.pathname) ? { object: "list", data: [], models: [] } : {},
        );
      }
      entry.status = 404;
      record(entry);
      return json(404, { error: { message: `Mock has no route ${url.pathname}`, type: "mock" } });
    }
    entry.wire = wire;
    entry.kind = classify(wire, url.pathname, body);
    entry.violations = checkRequest(wire, { body, raw: received.raw, utf8: received.utf8 });
    if (strict && entry.violations.length > 0) {
      entry.status = 400;
      record(entry);
      return json(400, apiErrorBody(wire, entry.violations));
    }
    const stream = isStreaming(wire, url.pathname, url.searchParams, body);
    const idSuffix = `${token}_${entry.seq}`;

    if (url.pathname.endsWith("/count_tokens")) {
      record(entry);
      return json(200, { input_tokens: 12 });
    }
    if (entry.kind === "side") {
      const schema = wire === "gemini" ? geminiJsonSchema(body) : undefined;
      const history = historyFromWire(wire, body);
      const text = schema !== undefined
        ? JSON.stringify(minimalJsonForSchema(schema))
        : options.sideText?.({ wire, history, body, turnIndex: turnCount }) ?? "Mock side reply";
      record(entry);
      return encoded(encodeReply(wire, text, { model, stream, idSuffix }));
    }

    const history = historyFromWire(wire, body);
    const reply = script({ wire, history, body, turnIndex: turnCount });
    turnCount += 1;
    const commands = reply.shellCommands ?? [];
    const toolCalls = commands.flatMap((command, i) => {
      // One call keeps the plain id; several get letter suffixes ("_7a", "_7b"), never "_7_1":
      // Claude Code reads "<id>_<digits>" as a part of batched call <id>.
      const letter = commands.length === 1 ? "" : String.fromCharCode(97 + i);
      const call = pickShellTool(wire, body, command, `call_mock_${token}_${entry.seq}${letter}`);
      return call === undefined ? [] : [call];
    });
    for (const spec of reply.tools ?? []) {
      const letter = String.fromCharCode(97 + toolCalls.length);
      const call = pickTool(wire, body, spec, `call_mock_${token}_${entry.seq}${letter}`);
      if (call !== undefined) toolCalls.push(call);
    }
    if (toolCalls.length > 1 && commands.length === 1) {
      // Letter suffixes on every id once the reply holds several calls.
      toolCalls[0] = { ...toolCalls[0] as ShellToolCall, id: `call_mock_${token}_${entry.seq}a` };
    }
    entry.reply = toolCalls.length === 0 ? { text: reply.text } : { text: reply.text, toolCalls };
    if (reply.reasoning !== undefined) entry.reply.reasoning = reply.reasoning;
    record(entry);
    const { reasoning, inputTokens, compaction } = reply;
    const encodeOptions = {
      model,
      stream,
      toolCalls,
      idSuffix,
      reasoning,
      inputTokens,
      compaction,
    };
    return encoded(encodeReply(wire, reply.text, encodeOptions));
  };

  return new Promise((resolve) => {
    const server = Deno.serve({
      hostname: "127.0.0.1",
      port: 0,
      onListen: () => {},
    }, handler);
    const addr = server.addr;
    const url = `http://127.0.0.1:${addr.port}`;
    resolve({
      url,
      port: addr.port,
      requests,
      turns: () => requests.filter((entry) => entry.kind === "turn"),
      close: async () => {
        await server.shutdown();
        await logChain;
      },
    });
  });
}

/**
 * Generates a realistic, deterministic home for benchmarks: Claude Code, Codex
 * and Gemini CLI sessions shaped like the genuine fixtures in `fixtures/`
 * (their records are the templates), with heavy-tailed sizes, many workspaces
 * (unicode and >200-character paths included), months of timestamps, tool
 * calls with long outputs and a few malformed lines.
 *
 * Usage: `deno task corpus [--sessions N] [--out DIR] [--seed S] [--huge] [--huge-mb M]`
 *
 * The same flags always give the same bytes (file mtimes included). `--huge`
 * adds one Claude Code session of about 100 MB (`--huge-mb`) and prints its id.
 * Write corpora under /tmp, never into the repository.
 *
 * @module
 */
import { createHash } from "node:crypto";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { projectKey } from "../src/providers/claude_code/paths.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const KB = 1024;
const MB = 1024 * 1024;
/** Every generated session ends before this instant (2026-11-30 UTC). */
const END = Date.UTC(2026, 10, 30, 18, 0, 0);
/** Sessions span about eight months. */
const SPAN = 240 * 24 * 3600 * 1000;

// ---------------------------------------------------------------------------
// Seeded randomness

/** A small, fast, seeded PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;

function int(r: Rand, lo: number, hi: number): number {
  return lo + Math.floor(r() * (hi - lo + 1));
}

function pick<T>(r: Rand, items: readonly T[]): T {
  return items[Math.floor(r() * items.length)] as T;
}

function uuid(r: Rand): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(r() * 16).toString(16)).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${
    "89ab"[Math.floor(r() * 4)]
  }${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * A heavy-tailed session size: most between 20 KB and 2 MB (skewed small), about
 * one in 700 between 20 and 100 MB.
 */
function sessionSize(r: Rand): number {
  if (r() < 1 / 700) return int(r, 20 * MB, 100 * MB);
  return Math.round(20 * KB * Math.pow(100, Math.pow(r(), 1.6)));
}

// ---------------------------------------------------------------------------
// Text

const WORDS = (
  "the a to of and in is it for on that with this as be are at by from or an not we you " +
  "function return const let import export async await error file test build run type " +
  "session provider reader writer list cache index stream buffer parse json line record " +
  "héllo wörld naïve café résumé 日本語 中文 한국어 Ελληνικά русский ✓ — → 🚀"
).split(" ");

/** A deterministic block of prose, sliced for every text field (cheap and varied). */
function textPool(r: Rand, bytes: number): string {
  const parts: string[] = [];
  let n = 0;
  while (n < bytes) {
    const w = pick(r, WORDS);
    parts.push(w);
    n += w.length + 1;
    if (r() < 0.08) parts.push(r() < 0.3 ? "\n\n" : ".");
  }
  return parts.join(" ");
}

const OUTPUT_LINES = [
  "src/providers/claude_code/list.ts:42:  const head = await readHead(path, PEEK_BYTES);",
  "  ✓ readSession() keeps tool calls in order (3ms)",
  "error[E0308]: mismatched types --> src/main.rs:12:5 expected `u32`, found `&str`",
  "drwxr-xr-x  5 dev dev  4096 Nov  3 10:21 node_modules",
  "npm WARN deprecated inflight@1.0.6: This module is not supported",
  "  at Object.<anonymous> (/home/dev/app/index.js:17:11)",
  "Compiling casr v0.1.0 (/home/dev/src/casr)",
  '{"level":"info","msg":"request finished","status":200,"ms":14}',
  "diff --git a/src/lib.ts b/src/lib.ts\n@@ -1,4 +1,6 @@\n-import x\n+import y",
];

function outputPool(r: Rand, bytes: number): string {
  const lines: string[] = [];
  let n = 0;
  while (n < bytes) {
    const l = pick(r, OUTPUT_LINES) + (r() < 0.2 ? ` ${int(r, 0, 99999)}` : "");
    lines.push(l);
    n += l.length + 1;
  }
  return lines.join("\n");
}

/** Slices of the pools. */
class Texts {
  readonly prose: string;
  readonly output: string;
  constructor(r: Rand) {
    this.prose = textPool(r, 512 * KB);
    this.output = outputPool(r, 2 * MB);
  }
  text(r: Rand, length: number): string {
    let start = Math.max(0, Math.floor(r() * (this.prose.length - length - 1)));
    start = this.prose.indexOf(" ", start) + 1;
    const text = this.prose.slice(start, start + length).trim();
    return text === "" ? "ok" : text[0]!.toUpperCase() + text.slice(1);
  }
  out(r: Rand, length: number): string {
    const n = Math.min(length, this.output.length - 1);
    const start = Math.floor(r() * (this.output.length - n));
    return this.output.slice(start, start + n);
  }
}

/** A tool output length: usually short, sometimes hundreds of KB. */
function outputLength(r: Rand, budget: number): number {
  const x = r();
  const n = x < 0.6
    ? int(r, 50, 2 * KB)
    : x < 0.93
    ? int(r, 2 * KB, 30 * KB)
    : int(r, 30 * KB, 400 * KB);
  return Math.max(20, Math.min(n, Math.floor(budget * 0.6)));
}

// ---------------------------------------------------------------------------
// Workspaces

function workspaces(r: Rand, count: number): string[] {
  const users = ["dev", "ana", "jörg", "mei", "sam"];
  const roots = ["/home/%u/src", "/Users/%u/Projects", "/home/%u/work/clients", "/srv/repos"];
  const names = [
    "api",
    "web-app",
    "casr",
    "infra",
    "ml-pipeline",
    "docs",
    "проект-сайт",
    "código-fuente",
    "日本語プロジェクト",
    "café_menu",
    "data.v2",
    "my repo (copy)",
    "🚀-launch",
  ];
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const base = pick(r, roots).replace("%u", pick(r, users));
    let ws = `${base}/${pick(r, names)}-${i}`;
    if (r() < 0.08) {
      // monorepo packages nested deep enough for >200-character paths
      const segs = ["packages", "services", "internal", "very-long-directory-name-for-a-feature"];
      while (ws.length < 210 + int(r, 0, 60)) ws += `/${pick(r, segs)}-${int(r, 0, 9)}`;
    }
    out.push(ws);
  }
  return out;
}

/** Zipf-like choice: a few workspaces hold most sessions. */
function pickWorkspace(r: Rand, list: readonly string[]): string {
  const i = Math.floor(Math.pow(r(), 2.2) * list.length);
  return list[Math.min(i, list.length - 1)] as string;
}

// ---------------------------------------------------------------------------
// Fixture templates

async function fixtureLines(rel: string): Promise<string[]> {
  const text = await Deno.readTextFile(path.join(ROOT, "fixtures", rel));
  return text.split("\n").filter((l) => l.trim() !== "");
}

// deno-lint-ignore no-explicit-any
type Json = any;

function iso(t: number): string {
  return new Date(t).toISOString();
}

/** A session being written: lines, byte count, clock. */
class Out {
  lines: string[] = [];
  bytes = 0;
  constructor(public t: number) {}
  push(line: string): void {
    this.lines.push(line);
    this.bytes += line.length + 1; // close enough (non-ASCII is rare in bulk)
  }
  rec(value: unknown): void {
    this.push(JSON.stringify(value));
  }
  tick(r: Rand, maxMs = 40_000): number {
    this.t += int(r, 200, maxMs);
    return this.t;
  }
}

/** Replaces every occurrence of each key by its value (keys are unique placeholders). */
function fill(template: string, values: Record<string, string>): string {
  let s = template;
  for (const [k, v] of Object.entries(values)) s = s.split(k).join(v);
  return s;
}

/** Cuts a line in half: what a crash mid-write leaves. */
function cut(line: string): string {
  return line.slice(0, Math.max(10, Math.floor(line.length / 2)));
}

// ---------------------------------------------------------------------------
// Claude Code

interface Claude {
  queue: Json;
  user: Json;
  assistantText: Json;
  assistantTool: Json;
  toolResult: Json;
  lastPrompt: Json;
  costState: string;
  /** The ~75 KB of attachment and api-request records after the first prompt. */
  metadata: string[];
  snapshot: string;
  apiRequest: string;
}

async function claudeTemplates(): Promise<Claude> {
  const lines = await fixtureLines(
    "claude-code/.claude/projects/-tmp-casr-fixture-project/c05dd679-a238-474d-9df3-fc8a8e16d4b6.jsonl",
  );
  const SID = "c05dd679-a238-474d-9df3-fc8a8e16d4b6";
  const at = (i: number): string => lines[i - 1] as string;
  const generic = (line: string): string =>
    line.split(SID).join("__SID__").split("/tmp/casr-fixture-project").join("__CWD__")
      .replace(/"parentUuid":"[0-9a-f-]{36}"/, '"parentUuid":"__PARENT__"')
      .replace(/"uuid":"[0-9a-f-]{36}"/, '"uuid":"__UUID__"')
      .replace(/"timestamp":"[^"]+"/g, '"timestamp":"__TS__"');
  return {
    queue: JSON.parse(at(1)),
    user: JSON.parse(at(3)),
    assistantText: JSON.parse(at(19)),
    assistantTool: JSON.parse(at(20)),
    toolResult: JSON.parse(at(23)),
    lastPrompt: JSON.parse(at(21)),
    costState: generic(at(29)),
    metadata: [4, 5, 6, 7, 8, 10, 11, 12, 13, 14, 15, 16, 17, 18].map((i) => generic(at(i))),
    snapshot: generic(at(24)),
    apiRequest: generic(at(25)),
  };
}

function claudeSession(
  tpl: Claude,
  r: Rand,
  tx: Texts,
  o: { id: string; cwd: string; start: number; target: number; malformed: boolean },
): Out {
  const out = new Out(o.start);
  let parent: string | null = null;
  const chain = (rec: Json): Json => {
    rec.parentUuid = parent;
    rec.uuid = uuid(r);
    rec.timestamp = iso(out.t);
    rec.cwd = o.cwd;
    rec.sessionId = o.id;
    parent = rec.uuid;
    return rec;
  };
  const raw = (template: string): void => {
    const u = uuid(r);
    out.push(
      fill(template, {
        __SID__: o.id,
        __CWD__: JSON.stringify(o.cwd).slice(1, -1),
        __PARENT__: parent ?? "",
        __UUID__: u,
        __TS__: iso(out.t),
      }),
    );
    if (template.includes("__UUID__")) parent = u;
  };
  const prompt = (text: string): void => {
    out.push(
      JSON.stringify({
        ...tpl.queue,
        timestamp: iso(out.tick(r, 2000)),
        sessionId: o.id,
        content: text,
      }),
    );
    const u = chain(structuredClone(tpl.user));
    u.message.content = text;
    u.promptId = uuid(r);
    out.rec(u);
  };
  prompt(tx.text(r, int(r, 30, 600)));
  for (const m of tpl.metadata) raw(m);
  if (r() < 0.3) out.rec({ type: "custom-title", customTitle: tx.text(r, 40), sessionId: o.id });
  let turn = 0;
  while (turn === 0 || out.bytes < o.target) {
    turn++;
    out.tick(r);
    const a = chain(structuredClone(tpl.assistantText));
    a.message.id = `msg_${uuid(r).slice(0, 8)}`;
    a.message.content = [{ type: "text", text: tx.text(r, int(r, 20, 1500)) }];
    out.rec(a);
    const calls = r() < 0.15 ? 2 : 1;
    const ids: string[] = [];
    for (let c = 0; c < calls; c++) {
      const t = chain(structuredClone(tpl.assistantTool));
      const callId = `toolu_${uuid(r).replaceAll("-", "").slice(0, 24)}`;
      ids.push(callId);
      t.message.id = a.message.id;
      t.message.content = [{
        type: "tool_use",
        id: callId,
        name: pick(r, ["Bash", "Read", "Grep", "Edit"]),
        input: { command: tx.out(r, int(r, 10, 120)), description: tx.text(r, 30) },
      }];
      out.rec(t);
    }
    out.rec({ ...tpl.lastPrompt, leafUuid: parent, sessionId: o.id });
    for (const callId of ids) {
      out.tick(r, 90_000);
      const result = tx.out(r, outputLength(r, o.target - out.bytes));
      const u = chain(structuredClone(tpl.toolResult));
      u.message.content = [{
        tool_use_id: callId,
        type: "tool_result",
        content: result,
        is_error: r() < 0.05,
      }];
      u.toolUseResult = { stdout: result, stderr: "", interrupted: false, isImage: false };
      u.sourceToolAssistantUUID = parent;
      out.rec(u);
    }
    if (r() < 0.05) raw(tpl.snapshot);
    raw(tpl.apiRequest);
    out.tick(r);
    const reply = chain(structuredClone(tpl.assistantText));
    reply.message.content = [{ type: "text", text: tx.text(r, int(r, 40, 3000)) }];
    out.rec(reply);
    raw(tpl.costState);
    if (o.malformed && turn === 3) out.push(cut(JSON.stringify(reply)));
    if (r() < 0.08) out.rec({ type: "ai-title", aiTitle: tx.text(r, 50), sessionId: o.id });
    if (r() < 0.35 && out.bytes < o.target) {
      out.tick(r, 3_600_000);
      prompt(tx.text(r, int(r, 20, 800)));
    }
  }
  out.rec({ type: "mode", mode: "normal", sessionId: o.id });
  if (o.malformed && r() < 0.5) out.push(cut(out.lines[out.lines.length - 2] as string));
  return out;
}

// ---------------------------------------------------------------------------
// Codex

interface Codex {
  meta: Json;
  preamble: string[];
  turnContext: Json;
  user: Json;
  userEvent: string;
  assistant: Json;
  call: Json;
  usage: string;
  output: Json;
  tokenCount: string;
  complete: string;
}

async function codexTemplates(): Promise<Codex> {
  const lines = await fixtureLines(
    "codex/.codex/sessions/2026/12/01/rollout-2026-12-01T20-15-32-01a2333f-8e5e-70a0-a12b-079a032961ae.jsonl",
  );
  const ID = "01a2333f-8e5e-70a0-a12b-079a032961ae";
  const at = (i: number): string => lines[i - 1] as string;
  const generic = (line: string): string =>
    line.split(ID).join("__SID__").split("/tmp/casr-fixture-project").join("__CWD__")
      .replace(/"timestamp":"[^"]+"/, '"timestamp":"__TS__"')
      .replace(/"ordinal":\d+/, '"ordinal":__ORD__');
  return {
    meta: JSON.parse(at(1)),
    preamble: [2, 3, 4, 5, 6, 7, 8, 9].map((i) => generic(at(i))),
    turnContext: JSON.parse(at(10)),
    user: JSON.parse(at(12)),
    userEvent: generic(at(13)),
    assistant: JSON.parse(at(15)),
    call: JSON.parse(at(16)),
    usage: generic(at(17)),
    output: JSON.parse(at(19)),
    tokenCount: generic(at(20)),
    complete: generic(at(25)),
  };
}

function codexSession(
  tpl: Codex,
  r: Rand,
  tx: Texts,
  o: { id: string; cwd: string; start: number; target: number; malformed: boolean },
): Out {
  const out = new Out(o.start);
  let ordinal = 0;
  const env = (type: string, payload: unknown): unknown => ({
    timestamp: iso(out.t),
    ordinal: ordinal++,
    type,
    payload,
  });
  const raw = (template: string): void =>
    out.push(fill(template, {
      __SID__: o.id,
      __CWD__: JSON.stringify(o.cwd).slice(1, -1),
      __TS__: iso(out.t),
      __ORD__: String(ordinal++),
    }));
  const meta = structuredClone(tpl.meta);
  meta.timestamp = iso(out.t);
  meta.payload = { ...meta.payload, id: o.id, session_id: o.id, timestamp: iso(out.t), cwd: o.cwd };
  out.rec({ ...meta, ordinal: ordinal++ });
  for (const p of tpl.preamble) raw(p);
  // Real turn_context lines carry the whole instruction set: several KB to tens of KB.
  const instructions = tx.text(r, int(r, 4 * KB, 40 * KB));
  let turn = 0;
  while (turn === 0 || out.bytes < o.target) {
    turn++;
    out.tick(r, turn === 1 ? 2000 : 3_600_000);
    out.rec(
      env("turn_context", {
        ...tpl.turnContext.payload,
        cwd: o.cwd,
        user_instructions: instructions,
      }),
    );
    const u = structuredClone(tpl.user.payload);
    u.id = `msg_${uuid(r)}`;
    u.content = [{ type: "input_text", text: tx.text(r, int(r, 30, 800)) }];
    out.rec(env("response_item", u));
    raw(tpl.userEvent);
    const steps = int(r, 1, 4);
    for (let s = 0; s < steps && out.bytes < o.target; s++) {
      out.tick(r);
      const a = structuredClone(tpl.assistant.payload);
      a.id = `msg_${uuid(r)}`;
      a.content = [{ type: "output_text", text: tx.text(r, int(r, 20, 1200)), annotations: [] }];
      out.rec(env("response_item", a));
      const callId = `call_${uuid(r).replaceAll("-", "").slice(0, 24)}`;
      const c = structuredClone(tpl.call.payload);
      c.id = `ctc_${uuid(r)}`;
      c.call_id = callId;
      c.input = `const r = await tools.exec_command({ cmd: ${JSON.stringify(tx.out(r, 60))} });`;
      out.rec(env("response_item", c));
      raw(tpl.usage);
      out.tick(r, 90_000);
      const res = structuredClone(tpl.output.payload);
      res.id = `ctco_${uuid(r)}`;
      res.call_id = callId;
      res.output = [{ type: "input_text", text: tx.out(r, outputLength(r, o.target - out.bytes)) }];
      out.rec(env("response_item", res));
      raw(tpl.tokenCount);
    }
    out.tick(r);
    const a = structuredClone(tpl.assistant.payload);
    a.id = `msg_${uuid(r)}`;
    a.content = [{ type: "output_text", text: tx.text(r, int(r, 40, 2500)), annotations: [] }];
    out.rec(env("response_item", a));
    raw(tpl.complete);
    if (o.malformed && turn === 2) out.push(cut(out.lines[out.lines.length - 3] as string));
  }
  return out;
}

// ---------------------------------------------------------------------------
// Gemini CLI

interface Gemini {
  context: Json;
  user: Json;
  gemini: Json;
  geminiTools: Json;
  response: Json;
}

async function geminiTemplates(): Promise<Gemini> {
  const lines = await fixtureLines(
    "gemini-cli/.gemini/tmp/casr-fixture-project/chats/session-2026-12-01T20-33-1578a398.jsonl",
  );
  const at = (i: number): Json => JSON.parse(lines[i - 1] as string);
  return { context: at(2), user: at(3), gemini: at(5), geminiTools: at(7), response: at(8) };
}

function geminiSession(
  tpl: Gemini,
  r: Rand,
  tx: Texts,
  o: { id: string; cwd: string; start: number; target: number; malformed: boolean },
): Out {
  const out = new Out(o.start);
  const header = {
    sessionId: o.id,
    projectHash: createHash("sha256").update(o.cwd).digest("hex"),
    startTime: iso(out.t),
    lastUpdated: iso(out.t),
    kind: "main",
  };
  out.rec(header);
  const ctx = structuredClone(tpl.context);
  ctx.$set.messages[0].timestamp = iso(out.t);
  ctx.$set.messages[0].content[0].text = ctx.$set.messages[0].content[0].text.split(
    "/tmp/casr-fixture-project",
  ).join(o.cwd);
  ctx.$set.lastUpdated = iso(out.t);
  out.rec(ctx);
  const touch = (): void => out.rec({ $set: { lastUpdated: iso(out.t) } });
  let turn = 0;
  while (turn === 0 || out.bytes < o.target) {
    turn++;
    out.tick(r, turn === 1 ? 2000 : 3_600_000);
    out.rec({
      ...tpl.user,
      id: uuid(r),
      timestamp: iso(out.t),
      content: [{ text: tx.text(r, int(r, 30, 800)) }],
    });
    touch();
    out.tick(r);
    const g = {
      ...tpl.gemini,
      id: uuid(r),
      timestamp: iso(out.t),
      content: tx.text(r, int(r, 20, 1200)),
    };
    out.rec(g);
    touch();
    const calls = r() < 0.2 ? 2 : 1;
    const toolCalls: Json[] = [];
    const responses: Json[] = [];
    for (let c = 0; c < calls; c++) {
      const callId = `run_shell_command__call_${uuid(r).slice(0, 13)}`;
      const output = tx.out(r, outputLength(r, o.target - out.bytes));
      const fr = {
        functionResponse: { id: callId, name: "run_shell_command", response: { output } },
      };
      const call = structuredClone(tpl.geminiTools.toolCalls[0]);
      Object.assign(call, {
        id: callId,
        args: { command: tx.out(r, 60) },
        result: [fr],
        resultDisplay: output.slice(0, 2000),
        timestamp: iso(out.t),
      });
      toolCalls.push(call);
      responses.push(fr);
    }
    out.tick(r, 90_000);
    out.rec({ ...g, toolCalls });
    out.rec({ ...tpl.response, id: uuid(r), timestamp: iso(out.t), content: responses });
    touch();
    out.tick(r);
    out.rec({
      ...tpl.gemini,
      id: uuid(r),
      timestamp: iso(out.t),
      content: tx.text(r, int(r, 40, 2500)),
    });
    touch();
    if (o.malformed && turn === 2) out.push(cut(out.lines[out.lines.length - 2] as string));
  }
  return out;
}

// ---------------------------------------------------------------------------
// Main

/** Options for {@linkcode generateCorpus}. */
export interface GenerateCorpusOptions {
  /** How many sessions in all (split about 50/30/20 between Claude, Codex and Gemini). */
  sessions: number;
  /** The home directory to fill (created). */
  out: string;
  /** The seed. */
  seed: number;
  /** Also write one Claude Code session of `hugeMb` MB. */
  huge?: boolean;
  /** The huge session's size in MB. */
  hugeMb?: number;
  /** Progress lines on stderr. */
  verbose?: boolean;
}

/** What {@linkcode generateCorpus} wrote. */
export interface CorpusInfo {
  /** Sessions per provider. */
  counts: Record<string, number>;
  /** Bytes written. */
  bytes: number;
  /** The huge session's id, when asked for. */
  hugeId?: string;
}

const THREAD_WORDS = ["Fix", "Refactor", "Review", "Speed up", "Document", "Test", "Port", "Debug"];

/**
 * Codex's `session_index.jsonl` for the given sessions: about half of them
 * named, as a user who names threads now and then leaves it, in the order they
 * were started (the file is append-only). Chosen by id, not by the corpus's
 * random stream, so adding it changed no session file.
 *
 * @param sessions Each Codex session's id and start time (epoch ms).
 * @returns The file's text.
 */
export function codexThreadIndex(sessions: readonly (readonly [string, number])[]): string {
  return [...sessions].sort((a, b) => a[1] - b[1])
    .filter(([id]) => parseInt(id.slice(0, 2), 16) < 128)
    .map(([id, start]) => {
      const word = THREAD_WORDS[parseInt(id.slice(2, 3), 16) % THREAD_WORDS.length];
      return JSON.stringify({
        id,
        thread_name: `${word} ${id.slice(0, 6)}`,
        updated_at: new Date(start).toISOString(),
      }) + "\n";
    }).join("");
}

/**
 * Writes a corpus: `<out>/.claude`, `<out>/.codex` (with a `session_index.jsonl`
 * naming about half of its threads) and `<out>/.gemini`.
 *
 * @param options What to write.
 * @returns Counts and bytes.
 */
export async function generateCorpus(options: GenerateCorpusOptions): Promise<CorpusInfo> {
  const r = rng(options.seed);
  const tx = new Texts(rng(options.seed ^ 0x5eed));
  const [claude, codex, gemini] = await Promise.all([
    claudeTemplates(),
    codexTemplates(),
    geminiTemplates(),
  ]);
  const wsList = workspaces(r, Math.max(8, Math.round(Math.sqrt(options.sessions) * 4)));
  const home = path.resolve(options.out);
  const counts: Record<string, number> = { "claude-code": 0, codex: 0, "gemini-cli": 0 };
  const geminiProjects = new Map<string, string>();
  const codexStarts: [id: string, start: number][] = [];
  let bytes = 0;
  const madeDirs = new Set<string>();
  const write = async (file: string, o: Out): Promise<void> => {
    const dir = path.dirname(file);
    if (!madeDirs.has(dir)) {
      await Deno.mkdir(dir, { recursive: true });
      madeDirs.add(dir);
    }
    const text = o.lines.join("\n") + "\n";
    await Deno.writeTextFile(file, text);
    const mtime = new Date(o.t);
    await Deno.utime(file, mtime, mtime);
    bytes += text.length;
  };
  const one = async (kind: string, target: number, id: string): Promise<void> => {
    const cwd = pickWorkspace(r, wsList);
    const start = END - Math.floor(r() * SPAN);
    const malformed = r() < 0.02;
    const opts = { id, cwd, start, target, malformed };
    if (kind === "claude-code") {
      const o = claudeSession(claude, r, tx, opts);
      await write(path.join(home, ".claude", "projects", projectKey(cwd), `${id}.jsonl`), o);
    } else if (kind === "codex") {
      const o = codexSession(codex, r, tx, opts);
      const d = new Date(start);
      const p2 = (n: number): string => String(n).padStart(2, "0");
      const [y, mo, da] = [d.getUTCFullYear(), p2(d.getUTCMonth() + 1), p2(d.getUTCDate())];
      const stamp = `${y}-${mo}-${da}T${p2(d.getUTCHours())}-${p2(d.getUTCMinutes())}-${
        p2(d.getUTCSeconds())
      }`;
      const file = path.join(
        home,
        ".codex",
        "sessions",
        `${y}`,
        mo,
        da,
        `rollout-${stamp}-${id}.jsonl`,
      );
      await write(file, o);
      codexStarts.push([id, start]);
    } else {
      let slug = geminiProjects.get(cwd);
      if (slug === undefined) {
        const base = path.basename(cwd).toLowerCase().replace(/[^a-z0-9]/g, "-").replace(/-+/g, "-")
          .replace(/^-|-$/g, "") || "project";
        slug = `${base}-${geminiProjects.size}`;
        geminiProjects.set(cwd, slug);
        const dir = path.join(home, ".gemini", "tmp", slug);
        await Deno.mkdir(dir, { recursive: true });
        await Deno.writeTextFile(path.join(dir, ".project_root"), cwd);
      }
      const o = geminiSession(gemini, r, tx, opts);
      const stamp = iso(start).slice(0, 16).replace(":", "-");
      await write(
        path.join(
          home,
          ".gemini",
          "tmp",
          slug,
          "chats",
          `session-${stamp}-${id.slice(0, 8)}.jsonl`,
        ),
        o,
      );
    }
    counts[kind] = (counts[kind] ?? 0) + 1;
  };
  for (let i = 0; i < options.sessions; i++) {
    const x = r();
    const kind = x < 0.5 ? "claude-code" : x < 0.8 ? "codex" : "gemini-cli";
    await one(kind, sessionSize(r), uuid(r));
    if (options.verbose && (i + 1) % 500 === 0) {
      console.error(`  ${i + 1}/${options.sessions} sessions, ${(bytes / MB).toFixed(0)} MB`);
    }
  }
  const info: CorpusInfo = { counts, bytes };
  if (options.huge) {
    const id = uuid(r);
    await one("claude-code", (options.hugeMb ?? 100) * MB, id);
    info.hugeId = id;
  }
  if (codexStarts.length > 0) {
    await Deno.writeTextFile(
      path.join(home, ".codex", "session_index.jsonl"),
      codexThreadIndex(codexStarts),
    );
  }
  if (geminiProjects.size > 0) {
    const projects = Object.fromEntries(geminiProjects);
    await Deno.writeTextFile(
      path.join(home, ".gemini", "projects.json"),
      JSON.stringify({ projects }, null, 2),
    );
  }
  return info;
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      sessions: { type: "string", default: "2000" },
      out: { type: "string", default: "/tmp/casr-corpus" },
      seed: { type: "string", default: "1" },
      huge: { type: "boolean", default: false },
      "huge-mb": { type: "string", default: "100" },
      force: { type: "boolean", default: false },
    },
  });
  const out = path.resolve(values.out);
  try {
    await Deno.stat(out);
    if (!values.force) {
      console.error(`error: "${out}" exists; pass --force to replace it`);
      Deno.exit(1);
    }
    await Deno.remove(out, { recursive: true });
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  const started = performance.now();
  const info = await generateCorpus({
    sessions: Number(values.sessions),
    out,
    seed: Number(values.seed),
    huge: values.huge,
    hugeMb: Number(values["huge-mb"]),
    verbose: true,
  });
  console.log(JSON.stringify({ out, ...info, seconds: (performance.now() - started) / 1000 }));
}

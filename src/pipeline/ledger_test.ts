import assert from "node:assert/strict";
import * as fsp from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import type { Session } from "../model/types.ts";
import {
  appendLedger,
  conversationDigest,
  conversationOf,
  findLedgerRecord,
  ledgerPath,
  type LedgerRecord,
} from "./ledger.ts";

function session(messages: Session["messages"]): Session {
  return { id: "s", provider: "codex", metadata: {}, messages };
}

Deno.test("conversationDigest ignores timestamps and key order, not text or tool input", async () => {
  const a = session([
    { index: 0, role: "user", text: "hi", toolCalls: [], toolResults: [], timestamp: 1 },
    {
      index: 1,
      role: "assistant",
      text: "",
      toolCalls: [{ id: "c1", name: "shell", input: { cmd: "ls", cwd: "/p" } }],
      toolResults: [],
    },
  ]);
  const b = session([
    { index: 0, role: "user", text: "hi", toolCalls: [], toolResults: [], timestamp: 99_999 },
    {
      index: 1,
      role: "assistant",
      text: "",
      toolCalls: [{ id: "other-id", name: "shell", input: { cwd: "/p", cmd: "ls" } }],
      toolResults: [],
    },
  ]);
  const digest = await conversationDigest(conversationOf(a));
  assert.equal(digest, await conversationDigest(conversationOf(b)));
  const c = structuredClone(b);
  c.messages[1]!.toolCalls[0]!.input = { cwd: "/p", cmd: "rm" };
  assert.notEqual(digest, await conversationDigest(conversationOf(c)));
  const d = structuredClone(b);
  d.messages[0]!.text = "hi!";
  assert.notEqual(digest, await conversationDigest(conversationOf(d)));
});

Deno.test("conversationDigest is the SHA-256 of the messages as sorted-key JSON lines, as ledgers already hold", async () => {
  // Records written before the digest was taken a message at a time must still
  // match: the reference is the whole text, hashed at once.
  const a = session([
    { index: 0, role: "user", text: "héllo \ud800 日本 🚀", toolCalls: [], toolResults: [] },
    {
      index: 1,
      role: "assistant",
      text: "x".repeat(100_000),
      toolCalls: [{ id: "c1", name: "shell", input: { z: 1, a: ["b", { y: null }] } }],
      toolResults: [],
    },
  ]);
  const sorted = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(sorted) : v !== null && typeof v === "object"
      ? Object.fromEntries(
        Object.entries(v).sort(([x], [y]) => (x < y ? -1 : 1)).map((
          [k, w],
        ) => [k, sorted(w)]),
      )
      : v;
  const text = conversationOf(a).map((m) =>
    JSON.stringify(sorted({
      role: m.role,
      text: m.text,
      toolCalls: m.toolCalls,
      toolResults: m.toolResults,
      images: m.images,
    }))
  ).join("\n");
  const bytes = new Uint8Array(
    await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)),
  );
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  assert.equal(await conversationDigest(conversationOf(a)), hex);
});

Deno.test("findLedgerRecord: the last record for the session wins; a cut line is skipped", async () => {
  const home = await fsp.mkdtemp(path.join(os.tmpdir(), "casr-ledger-"));
  try {
    const ctx = { env: {}, homeDir: home, cwd: home };
    assert.equal(await findLedgerRecord(ctx, "codex", "x"), undefined, "no ledger yet");
    const record = (sessionId: string, messages: number): LedgerRecord => ({
      v: 1,
      target: "codex",
      sessionId,
      path: `/p/${sessionId}`,
      messages,
      digest: "d".repeat(64),
      at: 1,
    });
    await appendLedger(ctx, record("x", 2));
    await appendLedger(ctx, record("y", 3));
    await appendLedger(ctx, record("x", 4));
    await appendLedger(ctx, { ...record("x", 5), target: "claude-code" });
    await fsp.appendFile(ledgerPath(ctx), '{"v":1,"target":"codex","sessionId":"x","mess');
    assert.equal((await findLedgerRecord(ctx, "codex", "x"))?.messages, 4);
    assert.equal((await findLedgerRecord(ctx, "codex", "y"))?.messages, 3);
    assert.equal((await findLedgerRecord(ctx, "claude-code", "x"))?.messages, 5);
    assert.equal(await findLedgerRecord(ctx, "gemini-cli", "x"), undefined);
  } finally {
    await fsp.rm(home, { recursive: true, force: true });
  }
});

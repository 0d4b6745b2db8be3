import assert from "node:assert/strict";
import * as path from "node:path";
import type { ProviderContext } from "../types.ts";
import type { Session } from "../../model/types.ts";
import { chatgpt } from "./mod.ts";
import { readChatgptSession } from "./reader.ts";
import { rolesOf } from "../../model/testdata/roles.ts";
import { tempDir } from "../../../tests/fixture_home.ts";

const FIXTURES = new URL("../../../fixtures/chatgpt/", import.meta.url).pathname;
const ROOT = path.join(FIXTURES, "Library", "Application Support", "com.openai.chat");
const ID = "6f2c1e9a-3b7d-4c58-a0e2-91d4f7b6c305";
const FILE = path.join(ROOT, "conversations-5a1e7c20-9f3b-4d6e-8c21-0b4a6e9d3f72", `${ID}.json`);

function ctx(home: string, env: Record<string, string> = {}): ProviderContext {
  return { env, homeDir: home, cwd: home };
}

Deno.test("readChatgptSession() follows current_node and maps the python tool", async () => {
  const { session, warnings } = await readChatgptSession(FILE);
  assert.deepEqual(warnings, []);
  assert.equal(session.id, ID);
  assert.equal(session.title, "Echo casr-fixture");
  assert.equal(session.model, "gpt-4o");
  assert.equal(session.workspace, undefined);
  assert.equal(rolesOf(session), "user assistant tool assistant user assistant");
  assert.ok(!session.messages.some((m) => m.text.includes("regenerated")), "the other branch");
  const call = session.messages[1]?.toolCalls[0];
  assert.equal(call?.name, "python");
  assert.ok(String(call?.input).includes("echo casr-fixture"));
  assert.equal(session.messages[1]?.text, "Running `echo casr-fixture` now.");
  assert.deepEqual(session.messages[2]?.toolResults, [
    { callId: call?.id, output: "casr-fixture\n", isError: false, name: "python" },
  ]);
  assert.equal(session.messages[0]?.timestamp, 1796158801250);
});

Deno.test("readChatgptSession() without current_node sorts by create_time; the messages[] variant reads", async () => {
  await using dirTmp = await tempDir();
  const dir = dirTmp.path;
  const file = path.join(dir, "c.json");
  const doc = {
    id: "x1",
    mapping: {
      b: {
        id: "b",
        parent: "a",
        message: {
          author: { role: "assistant" },
          create_time: 2,
          content: { content_type: "text", parts: ["two"] },
        },
      },
      a: {
        id: "a",
        parent: null,
        message: {
          author: { role: "user" },
          create_time: 1,
          content: {
            content_type: "text",
            parts: ["one", { content_type: "image_asset_pointer" }],
          },
        },
      },
    },
  };
  await Deno.writeTextFile(file, JSON.stringify(doc));
  const { session } = await readChatgptSession(file);
  assert.deepEqual(session.messages.map((m) => m.text), ["one\n[image]", "two"]);
  await Deno.writeTextFile(file, JSON.stringify({ messages: [{ role: "user", content: "hi" }] }));
  assert.equal((await readChatgptSession(file)).session.messages[0]?.text, "hi");
  await Deno.writeTextFile(file, "{");
  await assert.rejects(() => readChatgptSession(file), /Cannot read session/);
});

Deno.test("chatgpt skips encrypted v2/v3 folders and explains when asked for one", async () => {
  await using homeTmp = await tempDir();
  const home = homeTmp.path;
  const root = path.join(home, "app");
  const plain = path.join(root, "conversations-u1");
  await Deno.mkdir(plain, { recursive: true });
  await Deno.copyFile(FILE, path.join(plain, `${ID}.json`));
  const locked = path.join(root, "conversations-v3-u1");
  await Deno.mkdir(locked);
  await Deno.writeFile(path.join(locked, "abc123.data"), new Uint8Array([1, 2, 3, 4]));
  const c = ctx(home, { CHATGPT_HOME: root });
  assert.deepEqual((await chatgpt.list(c)).map((s) => s.id), [ID]);
  const found = await chatgpt.find(c, "abc123");
  assert.equal(found.length, 1);
  await assert.rejects(() => chatgpt.read(found[0]!.path, c), /encrypted v2\/v3/);
  assert.deepEqual((await chatgpt.find(c, ID.slice(0, 6))).map((s) => s.id), [ID]);
  assert.ok(chatgpt.claims(path.join(plain, `${ID}.json`), ""));
  assert.ok(!chatgpt.claims("/x/session-1.json", '{"sessionId":"a","messages":[]}'));
});

Deno.test("chatgpt is read only; its resume opens the conversation URL", async () => {
  assert.equal(chatgpt.readOnly, true);
  const session: Session = { id: "s", provider: "codex", metadata: {}, messages: [] };
  await assert.rejects(
    () => chatgpt.plan(session, ctx("/h"), { workspace: "/w", now: 0 }),
    (e: Error & { code?: string }) => e.code === "read-only-target",
  );
  const resume = chatgpt.resumeCommand({ id: ID });
  assert.deepEqual(resume.argv, ["open", `https://chatgpt.com/c/${ID}`]);
  assert.equal(resume.cwd, undefined);
  assert.ok(resume.note?.includes("OpenAI's servers"));
});

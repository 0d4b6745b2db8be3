import assert from "node:assert/strict";
import * as path from "node:path";
import { claimsGeminiFile, geminiCli } from "./mod.ts";
import { normalizeProjectPath, slugify } from "./paths.ts";
import { geminiHome } from "./helpers_test.ts";

const ctx = (env: Record<string, string>) => ({ env, homeDir: "/home/dev", cwd: "/" });

Deno.test("geminiCli has the registry identity", () => {
  assert.equal(geminiCli.id, "gemini-cli");
  assert.equal(geminiCli.name, "Gemini CLI");
  assert.deepEqual(geminiCli.aliases, ["gmi", "gemini"]);
  assert.equal(geminiCli.binary, "gemini");
  assert.deepEqual(geminiCli.envVars, ["GEMINI_CLI_HOME", "GEMINI_HOME"]);
});

Deno.test("geminiCli.roots() honours GEMINI_CLI_HOME, then GEMINI_HOME, then the home", () => {
  assert.deepEqual(geminiCli.roots(ctx({})), ["/home/dev/.gemini"]);
  assert.deepEqual(geminiCli.roots(ctx({ GEMINI_HOME: "/data/g" })), ["/data/g"]);
  assert.deepEqual(
    geminiCli.roots(ctx({ GEMINI_HOME: "/data/g", GEMINI_CLI_HOME: "/alt" })),
    ["/alt/.gemini"],
  );
});

Deno.test("geminiCli.detect() reports an existing root", async () => {
  await using h = await geminiHome();
  assert.deepEqual(await geminiCli.detect(h.ctx), { installed: false, roots: [] });
  await h.write("settings.json", "{}");
  assert.deepEqual(await geminiCli.detect(h.ctx), { installed: true, roots: [h.root] });
});

Deno.test("claimsGeminiFile() claims Gemini headers only", () => {
  const header = '{"sessionId":"a","projectHash":"b","startTime":"x"}\n';
  assert.ok(claimsGeminiFile("/x/tmp/p/chats/session-1.jsonl", header));
  assert.ok(claimsGeminiFile("/x/session.json", '{\n  "sessionId": "a",\n  "projectHash": "b"'));
  assert.ok(!claimsGeminiFile("/x/session.txt", header));
  // Claude Code and Codex records.
  assert.ok(!claimsGeminiFile("/x/a.jsonl", '{"type":"user","sessionId":"a","uuid":"u"}'));
  assert.ok(!claimsGeminiFile("/x/rollout.jsonl", '{"type":"session_meta","payload":{"id":"a"}}'));
});

Deno.test("geminiCli.resumeCommand() runs gemini --resume in the workspace", () => {
  assert.deepEqual(geminiCli.resumeCommand({ id: "abc", workspace: "/w/p" }), {
    cwd: "/w/p",
    argv: ["gemini", "--resume", "abc"],
    shell: "cd /w/p && gemini --resume abc",
  });
  assert.equal(geminiCli.resumeCommand({ id: "abc" }).shell, "gemini --resume abc");
});

Deno.test("slugify() follows Gemini's project registry rule", () => {
  assert.equal(slugify("My App"), "my-app");
  assert.equal(slugify("__Foo..Bar__"), "foo-bar");
  assert.equal(slugify("日本"), "project");
  assert.equal(normalizeProjectPath("/a/b/../c"), path.resolve("/a/c"));
});

import assert from "node:assert/strict";
import * as path from "node:path";
import { tempHome } from "../../../tests/fixture_home.ts";
import { runCli } from "../../../tests/helpers.ts";
import {
  GO_OTHER_SESSION_ID,
  GO_SESSION_ID,
  makeGoOpencodeDb,
  PNG_1X1,
} from "../../../tests/go_opencode_db.ts";
import { convertSession } from "../../pipeline/convert.ts";
import { resolveSession } from "../../pipeline/discover.ts";
import { getProvider } from "../registry.ts";
import { opencode } from "./mod.ts";

// The Go-era database here is HAND-MADE by tests/go_opencode_db.ts, after the Go source.

Deno.test("the opencode provider claims and reads a Go-era database next to its 1.x one", async () => {
  await using home = await tempHome(["opencode"]);
  const project = path.join(home.home, "proj");
  const db = await makeGoOpencodeDb(project);
  const ctx = { ...home.ctx, cwd: project };
  assert.ok(opencode.claims(db, "SQLite format 3\0"));
  assert.ok(opencode.claims(`${db}#${GO_SESSION_ID}`, ""));
  assert.ok(opencode.claims("/p/.crush/crush.db", "SQLite format 3\0"));
  const { session, warnings } = await opencode.read(`${db}#${GO_SESSION_ID}`, ctx);
  assert.equal(warnings[0]?.code, "opencode-go-format");
  assert.deepEqual(session.messages.map((m) => m.role), ["user", "assistant", "tool", "assistant"]);
  const listed = await opencode.list(ctx);
  const ids = listed.map((s) => s.id);
  assert.ok(ids.includes(GO_SESSION_ID) && ids.includes(GO_OTHER_SESSION_ID));
  assert.ok(ids.some((id) => id.startsWith("ses_")), "the 1.x sessions are still listed");
  assert.ok(!ids.includes(`title-${GO_SESSION_ID}`), "title runs are not listed");
  assert.deepEqual((await opencode.find(ctx, GO_SESSION_ID.slice(0, 6))).map((s) => s.path), [
    `${db}#${GO_SESSION_ID}`,
  ]);
  const resume = opencode.resumeCommand({
    id: GO_SESSION_ID,
    workspace: project,
    path: `${db}#${GO_SESSION_ID}`,
  });
  assert.deepEqual(resume.argv, ["opencode"]);
  assert.match(resume.note ?? "", /Ctrl\+S/);
  assert.deepEqual(
    opencode.resumeCommand({ id: "abc", path: "/p/.crush/crush.db#abc" }).argv,
    ["crush", "--session", "abc"],
  );
  assert.deepEqual(opencode.resumeCommand({ id: "ses_1" }).argv, [
    "opencode",
    "--session",
    "ses_1",
  ]);
});

Deno.test("resolveSession() reads <db>#<id>, and --source <db> with an id picks that session", async () => {
  await using home = await tempHome();
  const db = await makeGoOpencodeDb(path.join(home.home, "proj"));
  const byRef = await resolveSession(home.ctx, `${db}#${GO_OTHER_SESSION_ID}`);
  assert.equal(byRef.provider.id, "opencode");
  assert.equal(byRef.summary.id, GO_OTHER_SESSION_ID);
  assert.equal(byRef.summary.path, `${db}#${GO_OTHER_SESSION_ID}`);
  const bySource = await resolveSession(home.ctx, GO_SESSION_ID, { source: db });
  assert.equal(bySource.summary.path, `${db}#${GO_SESSION_ID}`);
  assert.equal(bySource.summary.messageCount, 4);
  await assert.rejects(
    () => resolveSession(home.ctx, "not-there", { source: db }),
    /no such session/,
  );
});

for (const target of ["claude-code", "codex"]) {
  Deno.test(`convertSession() of a Go-era OpenCode session to ${target} writes and verifies`, async () => {
    await using home = await tempHome();
    const project = path.join(home.home, "proj");
    const db = await makeGoOpencodeDb(project);
    const result = await convertSession(home.ctx, target, GO_SESSION_ID, { source: db });
    assert.equal(result.verified, true);
    assert.equal(result.source.provider, "opencode");
    assert.equal(result.source.workspace, project);
    assert.ok(result.warnings.some((w) => w.code === "opencode-go-format"));
    const written = await getProvider(target)!.read(result.target.path, home.ctx);
    const turns = written.session.messages.filter((m) => m.role !== "system");
    const prompt = turns.find((m) => m.role === "user");
    assert.match(prompt?.text ?? "", /^Read hello\.txt and look at the screenshot/);
    // The image travels as an image where the target carries images, else as a placeholder naming it.
    assert.ok(
      prompt?.images?.some((i) => i.data === PNG_1X1) ||
        /\[image: \/proj\/shot\.png \(image\/png/.test(prompt?.text ?? ""),
      `the image is lost: ${JSON.stringify(prompt)}`,
    );
    const calls = turns.flatMap((m) => m.toolCalls);
    const results = turns.flatMap((m) => m.toolResults);
    assert.equal(calls.length, 2);
    assert.deepEqual(results.map((r) => r.callId), calls.map((c) => c.id));
    // Codex's function_call_output has no error flag; Claude Code's tool_result has is_error.
    if (target === "claude-code") assert.deepEqual(results.map((r) => r.isError), [false, true]);
    assert.match(results[0]?.output ?? "", /hello world/);
    assert.match(results[1]?.output ?? "", /No such file or directory/);
    assert.match(
      turns.at(-1)?.text ?? "",
      /hello\.txt says hello world; missing\.txt does not exist\./,
    );
  });
}

Deno.test("casr resume cc <id> --source .opencode/opencode.db converts from the command line", async () => {
  await using home = await tempHome();
  const db = await makeGoOpencodeDb(path.join(home.home, "proj"));
  const run = await runCli(["resume", "cc", GO_SESSION_ID, "--source", db, "--json"], home.ctx);
  assert.equal(run.code, 0, run.stderr);
  const source = run.json?.source as Record<string, unknown>;
  assert.equal(source.path, `${db}#${GO_SESSION_ID}`);
  assert.equal(run.json?.verified, true);
});

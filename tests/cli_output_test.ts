/**
 * What the CLI prints says something true and nothing twice (issue 14): `--limit
 * 0`, flags that cannot go together, warning caps, log levels, and the README's
 * promises about them.
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import { runCli, tempHome } from "./helpers.ts";

Deno.test("list --limit 0 says how many sessions there are, in the table as in --json", async () => {
  await using h = await tempHome(["codex", "claude-code"]);
  const json = await runCli(["list", "--limit", "0", "--json"], h.ctx);
  assert.equal(json.code, 0);
  const total = json.json?.total as number;
  assert.ok(total > 0);
  assert.equal(json.json?.count, 0);
  const table = await runCli(["list", "--limit", "0"], h.ctx);
  assert.equal(table.code, 0);
  assert.doesNotMatch(table.stdout, /No sessions found/);
  assert.match(
    table.stdout,
    new RegExp(`^${total.toLocaleString("en-US")} sessions found, none shown`),
  );
  // Still true where there is nothing.
  await using empty = await tempHome([]);
  assert.match((await runCli(["list", "--limit", "0"], empty.ctx)).stdout, /No sessions found/);
});

Deno.test("list --json --jsonl is a usage error naming both flags", async () => {
  await using h = await tempHome(["codex"]);
  for (const args of [["list", "--json", "--jsonl"], ["list", "--jsonl", "--json"]]) {
    const run = await runCli(args, h.ctx);
    assert.equal(run.code, 2, args.join(" "));
    const error = run.json?.error as { code: string; message: string };
    assert.equal(error.code, "usage");
    assert.match(error.message, /--json\b/);
    assert.match(error.message, /--jsonl\b/);
  }
});

Deno.test("38 bad lines in a Claude file give one summed-up warning, each said once; --json keeps all", async () => {
  await using h = await tempHome(["claude-code"]);
  const dir = path.join(h.home, ".claude", "projects", "-tmp-casr-fixture-project");
  const name = [...Deno.readDirSync(dir)].map((e) => e.name).find((n) => n.startsWith("c05dd679"));
  const file = path.join(dir, name as string);
  const lines = (await Deno.readTextFile(file)).trimEnd().split("\n");
  const out: string[] = [];
  let bad = 0;
  for (const line of lines) {
    out.push(line);
    for (let k = 0; k < 4 && bad < 38; k++, bad++) out.push(`{not json ${bad}`);
  }
  assert.equal(bad, 38);
  await Deno.writeTextFile(file, out.join("\n") + "\n");
  const firstBad = out.findIndex((l) => l.startsWith("{not json")) + 1;
  for (const args of [["resume", "codex", "c05dd679", "--dry-run"], ["info", "c05dd679"]]) {
    const run = await runCli(args, h.ctx);
    assert.equal(run.code, 0, run.stderr);
    const warnings = run.stdout.split("\n").filter((l) => l.startsWith("warning:"));
    assert.equal(new Set(warnings).size, warnings.length, `a warning said twice:\n${warnings}`);
    const malformed = warnings.filter((l) =>
      l.includes("malformed-line") || l.includes("Skipped line")
    );
    assert.equal(malformed.length, 1, malformed.join("\n"));
    assert.match(
      malformed[0] as string,
      new RegExp(`38 malformed-line warnings in .*${name}, first at line ${firstBad}:`),
    );
    assert.equal(malformed[0]?.split(file).length, 2, "the path said once");
  }
  const json = await runCli(["resume", "codex", "c05dd679", "--dry-run", "--json"], h.ctx);
  const all = (json.json?.warnings as { code: string }[]).filter((w) =>
    w.code === "malformed-line"
  );
  assert.equal(all.length, 38);
});

Deno.test("-v, CASR_LOG=debug and --trace each say more, on stderr only", async () => {
  await using h = await tempHome(["codex", "claude-code"]);
  const withEnv = (env: Record<string, string>) => ({ ...h.ctx, env: { ...h.ctx.env, ...env } });
  const cached = /codex: \d+ files, index cache \d+ hits, \d+ misses/;
  const perSession = /claude-code: c05dd679\S* \d+ messages \//;

  const verbose = await runCli(["list", "-v", "--json"], h.ctx);
  assert.equal(verbose.json?.ok, true, "stdout stays JSON");
  assert.match(verbose.stderr, /casr: scanning session stores/);
  assert.doesNotMatch(verbose.stderr, cached);

  const debug = await runCli(["list", "--json"], withEnv({ CASR_LOG: "debug" }));
  assert.equal(debug.json?.ok, true);
  assert.match(debug.stderr, new RegExp(`claude-code: scanning ${h.home}/\\.claude`));
  assert.match(debug.stderr, /gemini-cli: none of its 1 root exists/);
  assert.match(debug.stderr, cached);
  assert.match(debug.stderr, /codex: \d+ sessions; exact counts \d+ cached, \d+ read/);
  assert.doesNotMatch(debug.stderr, perSession);

  for (
    const run of [
      await runCli(["list", "--trace"], h.ctx),
      await runCli(["list"], withEnv({ CASR_LOG: "trace" })),
    ]
  ) {
    assert.match(run.stderr, cached);
    assert.match(run.stderr, perSession);
    assert.match(run.stderr, new RegExp(`gemini-cli: no ${h.home}/\\.gemini`));
  }

  const resume = await runCli(["resume", "cc", "01a2333f"], withEnv({ CASR_LOG: "debug" }));
  assert.equal(resume.code, 0, resume.stderr);
  assert.match(resume.stderr, /casr: reading codex session 01a2333f/);
  assert.match(resume.stderr, /casr: plan: wrote .*\.jsonl/);
  assert.match(resume.stderr, /casr: verify: read .* back with the claude-code reader; it matches/);
  assert.match(resume.stderr, /casr: read codex .*: 1 × target-not-installed/);
  assert.doesNotMatch(resume.stdout, /casr: /, "logs stay off stdout");
  const quiet = await runCli(["resume", "cc", "01a2334f"], h.ctx);
  assert.equal(quiet.stderr, "", "the default level logs nothing on success");
});

Deno.test("reader skips are logged at debug with their lines", async () => {
  await using h = await tempHome(["claude-code"]);
  const dir = path.join(h.home, ".claude", "projects", "-tmp-casr-fixture-project");
  const name = [...Deno.readDirSync(dir)].map((e) => e.name).find((n) => n.startsWith("c05dd679"));
  const file = path.join(dir, name as string);
  const lines = (await Deno.readTextFile(file)).trimEnd().split("\n");
  lines.splice(2, 0, "{bad", "{bad");
  await Deno.writeTextFile(file, lines.join("\n") + "\n");
  const env = { ...h.ctx.env, CASR_LOG: "debug" };
  const info = await runCli(["info", "c05dd679"], { ...h.ctx, env });
  assert.match(info.stderr, /casr: read claude-code .*: 2 × malformed-line at lines 3, 4/);
});

Deno.test("--trace --json errors carry the stack in the JSON; without --trace they do not", async () => {
  await using h = await tempHome(["codex"]);
  const traced = await runCli(["info", "no-such-session", "--json", "--trace"], h.ctx);
  assert.equal(traced.code, 1);
  const error = traced.json?.error as { code: string; details: { stack?: string } };
  assert.equal(error.code, "session-not-found");
  assert.match(error.details.stack ?? "", /^CasrError: Cannot find session[\s\S]*\n\s+at /);
  const plain = await runCli(["info", "no-such-session", "--json"], h.ctx);
  assert.equal((plain.json?.error as { details: { stack?: string } }).details.stack, undefined);
});

Deno.test("list at debug says what each reader skipped while counting", async () => {
  await using h = await tempHome(["claude-code"]);
  const dir = path.join(h.home, ".claude", "projects", "-tmp-casr-fixture-project");
  const name = [...Deno.readDirSync(dir)].map((e) => e.name).find((n) => n.startsWith("c05dd679"));
  const file = path.join(dir, name as string);
  await Deno.writeTextFile(file, "{bad\n", { append: true });
  const run = await runCli(["list", "--no-cache"], {
    ...h.ctx,
    env: { ...h.ctx.env, CASR_LOG: "debug" },
  });
  assert.match(run.stderr, /claude-code: read c05dd679\S*: 1 × malformed-line \(/);
});

Deno.test("info of a session with no times says '-', not '- UTC'", async () => {
  await using h = await tempHome([]);
  // Hand-made: a Claude Code transcript whose records carry no timestamps.
  const dir = path.join(h.home, ".claude", "projects", "-tmp-p");
  await Deno.mkdir(dir, { recursive: true });
  const id = "dddddddd-1111-4a2b-8c3d-000000000001";
  const record = (r: Record<string, unknown>) =>
    JSON.stringify({ sessionId: id, cwd: "/tmp/p", ...r });
  await Deno.writeTextFile(
    path.join(dir, `${id}.jsonl`),
    [
      record({
        type: "user",
        uuid: "u1",
        parentUuid: null,
        message: { role: "user", content: "hi" },
      }),
      record({
        type: "assistant",
        uuid: "a1",
        parentUuid: "u1",
        message: { id: "m1", role: "assistant", content: [{ type: "text", text: "hello" }] },
      }),
    ].join("\n") + "\n",
  );
  const run = await runCli(["info", id], h.ctx);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /^Started +-$/m);
  assert.match(run.stdout, /^Ended +-$/m);
  assert.doesNotMatch(run.stdout, /- UTC/);
});

Deno.test("list says where an older CLI's sessions sit unread (kimi-cli's ~/.kimi), and only when there are any", async () => {
  await using h = await tempHome([]);
  // Hand-made, after kimi-cli's tests: ~/.kimi/sessions/<md5 of the work dir>/<uuid>/context.jsonl.
  const sessions = path.join(h.home, ".kimi", "sessions", "2b8c70fb72d8a087e5dee109778f74cf");
  for (
    const id of ["5b0c4f4e-0000-4000-8000-000000000001", "5b0c4f4e-0000-4000-8000-000000000002"]
  ) {
    await Deno.mkdir(path.join(sessions, id), { recursive: true });
    await Deno.writeTextFile(
      path.join(sessions, id, "context.jsonl"),
      JSON.stringify({ role: "user", content: "hi" }) + "\n",
    );
  }
  await Deno.mkdir(path.join(sessions, "empty-folder"));
  const json = await runCli(["list", "--json"], h.ctx);
  const problems = json.json?.problems as { code: string; message: string; paths: string[] }[];
  assert.deepEqual(problems.map((p) => p.code), ["unread-store"]);
  assert.match(problems[0]!.message, /^2 kimi-cli sessions in .*\.kimi\/sessions are in the store/);
  assert.match(problems[0]!.message, /run `kimi migrate --run`/);
  assert.deepEqual(problems[0]!.paths, [path.join(h.home, ".kimi", "sessions")]);
  const human = await runCli(["list"], h.ctx);
  assert.match(human.stderr, /^warning: 2 kimi-cli sessions in /);
  // Listing another agent does not look there.
  const other = await runCli(["list", "--json", "-p", "codex"], h.ctx);
  assert.deepEqual(other.json?.problems, []);
});

import assert from "node:assert/strict";
import { tempHome } from "../../tests/fixture_home.ts";
import { sampleSession } from "../model/testdata/sample_session.ts";
import { getProvider } from "../providers/registry.ts";
import { compareSessions } from "./compare.ts";
import { writeHandedOver, writeSession } from "./write_session.ts";

Deno.test("writeHandedOver() takes the session out of its holder and still verifies the write", async () => {
  await using h = await tempHome();
  const session = sampleSession({ workspace: h.home });
  const handed: { session?: typeof session | undefined } = { session };
  const written = await writeHandedOver(h.ctx, handed, "codex");
  assert.equal(handed.session, undefined, "the holder no longer holds the session");
  assert.equal(written.verified, true);
  const back = await getProvider("codex")!.read(written.target.path, h.ctx);
  assert.deepEqual(compareSessions(session, back.session), []);
  await assert.rejects(writeHandedOver(h.ctx, handed, "codex"), /no session handed over/);
});

Deno.test("writeSession() leaves the caller's session as it was", async () => {
  await using h = await tempHome();
  const session = sampleSession({ workspace: h.home });
  const before = structuredClone(session);
  for (const target of ["claude-code", "gemini-cli"]) {
    const written = await writeSession(h.ctx, session, target);
    assert.equal(written.verified, true, target);
  }
  assert.deepEqual(session, before);
});

Deno.test("writeSession() says how many system messages and notices the target leaves out", async () => {
  await using h = await tempHome();
  const session = sampleSession({ workspace: h.home });
  const asides = (target: string, s: typeof session) =>
    writeSession(h.ctx, s, target).then((w) =>
      w.warnings.filter((x) => x.code === "skipped-messages").map((x) => x.message)
    );
  assert.deepEqual(await asides("claude-code", session), [], "none to leave out");
  const withSystem = {
    ...session,
    id: `${session.id}-with-system`,
    messages: [
      { index: 0, role: "system" as const, text: "You are Codex.", toolCalls: [], toolResults: [] },
      ...session.messages,
      { index: 0, role: "other" as const, text: "API error: 529", toolCalls: [], toolResults: [] },
      { index: 0, role: "system" as const, text: "  ", toolCalls: [], toolResults: [] },
    ].map((m, index) => ({ ...m, index })),
  };
  const [message] = await asides("claude-code", withSystem);
  assert.match(message ?? "", /^Left out the source's 1 system message and 1 notice \(/);
  assert.match(message ?? "", /Claude Code does not read them from a session$/);
});

Deno.test("writeSession() writes a session whose workspace is no folder here for the current directory, and says so", async () => {
  await using h = await tempHome();
  const cases: [string, string][] = [
    ["c:/Apps/My Repo", "a Windows path"],
    ["tests/fixtures/proj", "not an absolute path"],
  ];
  for (const [recorded, what] of cases) {
    const session = { ...sampleSession({ workspace: recorded }), id: `foreign-${what.length}` };
    const written = await writeSession(h.ctx, session, "claude-code");
    assert.equal(written.target.workspace, h.ctx.cwd, recorded);
    const warning = written.warnings.find((w) => w.code === "foreign-workspace");
    assert.match(warning?.message ?? "", new RegExp(`"${recorded}" is ${what}`));
    assert.ok(
      !written.target.path.includes("Apps") && !written.target.path.includes("fixtures"),
      written.target.path,
    );
  }
  const here = await writeSession(
    h.ctx,
    { ...sampleSession({ workspace: h.home }), id: "here" },
    "codex",
  );
  assert.equal(here.target.workspace, h.home);
  assert.ok(!here.warnings.some((w) => w.code === "foreign-workspace"));
});

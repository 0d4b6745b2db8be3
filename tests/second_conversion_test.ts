/**
 * A second conversion of the same session to the same target never loses the
 * user's work: a target that still holds what casr wrote is brought up to date
 * with the source's new turns; one the user went on in is refused, naming its
 * turns; `--force` replaces it and says so; `--new` writes beside it.
 *
 * The user's turns in the source are two hand-made Claude Code records
 * appended to a genuine fixture. Turns of the target's own are made through
 * casr's writer for every target (then struck from casr's ledger, as a real
 * agent writing them would leave it), so each writable target is covered.
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import {
  CasrError,
  convertSession,
  getProvider,
  ledgerPath,
  PROVIDERS,
  type Session,
  writeSession,
} from "../mod.ts";
import { fixtureFor, loadManifest, runCli, tempHome } from "./helpers.ts";

const fixtures = await loadManifest();
const claudeBasic = fixtureFor(fixtures, "claude-code", "basic");
const codexBasic = fixtureFor(fixtures, "codex", "basic");

/** Appends a prompt and its answer to a Claude Code session file, as Claude Code does. */
async function continueClaude(file: string, prompt: string, answer: string): Promise<void> {
  const lines = (await Deno.readTextFile(file)).trimEnd().split("\n");
  const last = lines.map((l) => JSON.parse(l)).filter((r) => typeof r.uuid === "string").at(-1);
  const base = {
    isSidechain: false,
    userType: "external",
    cwd: last.cwd,
    sessionId: last.sessionId,
    version: last.version,
  };
  const user = {
    ...base,
    parentUuid: last.uuid,
    type: "user",
    message: { role: "user", content: prompt },
    uuid: crypto.randomUUID(),
    timestamp: "2026-12-02T09:00:00.000Z",
  };
  const assistant = {
    ...base,
    parentUuid: user.uuid,
    type: "assistant",
    message: {
      id: "msg_continued",
      type: "message",
      role: "assistant",
      model: "claude-opus-5-5",
      content: [{ type: "text", text: answer }],
      stop_reason: "end_turn",
    },
    uuid: crypto.randomUUID(),
    timestamp: "2026-12-02T09:00:05.000Z",
  };
  await Deno.writeTextFile(file, JSON.stringify(user) + "\n" + JSON.stringify(assistant) + "\n", {
    append: true,
  });
}

/** Every text a session's conversation carries. */
function texts(session: Session): string {
  return session.messages.map((m) => m.text).join("\n");
}

const writable = PROVIDERS.filter((p) => !p.readOnly).map((p) => p.id);

for (const target of writable) {
  Deno.test(`second conversion to ${target}: up to date, brought up to date, refused, forced, new`, async () => {
    const source = target === "claude-code" ? codexBasic : claudeBasic;
    await using home = await tempHome([source.provider]);
    const provider = getProvider(target)!;
    const first = await convertSession(home.ctx, target, source.sessionId);
    assert.equal(first.update, undefined);
    assert.ok(first.verified);
    const firstCount = (await provider.read(first.target.path, home.ctx)).session.messages
      .filter((m) => m.role !== "system" && m.role !== "other").length;

    // The same conversion again: nothing to write, and no error.
    const again = await convertSession(home.ctx, target, source.sessionId);
    assert.equal(again.update?.kind, "unchanged", JSON.stringify(again.update));
    assert.deepEqual(again.files, []);
    assert.equal(again.target.sessionId, first.target.sessionId);

    if (source.provider === "claude-code") {
      // The user goes on in the source: the target is brought up to date.
      const sourceFile = path.join(home.home, source.path.split("/").slice(1).join("/"));
      await continueClaude(
        sourceFile,
        "One more thing: say CONTINUED-IN-SOURCE.",
        "CONTINUED-IN-SOURCE",
      );
      const updated = await convertSession(home.ctx, target, source.sessionId);
      assert.equal(updated.update?.kind, "updated", JSON.stringify(updated.update));
      assert.equal(updated.update?.previousMessages, firstCount);
      assert.equal(updated.target.sessionId, first.target.sessionId);
      assert.equal(updated.backupPath, undefined);
      const back = await provider.read(updated.target.path, home.ctx);
      assert.match(texts(back.session), /One more thing: say CONTINUED-IN-SOURCE\./);
      assert.match(texts(back.session), /CONTINUED-IN-SOURCE$/m);
    }

    // The user goes on in the target, outside casr.
    const current = await provider.read(
      (await convertSession(home.ctx, target, source.sessionId)).target.path,
      home.ctx,
    );
    const ledger = await Deno.readTextFile(ledgerPath(home.ctx));
    const extra: Session = {
      ...current.session,
      messages: ([
        ...current.session.messages,
        {
          index: 0,
          role: "user",
          text: "A turn of the target's own",
          toolCalls: [],
          toolResults: [],
        },
        {
          index: 0,
          role: "assistant",
          text: "Answered in the target",
          toolCalls: [],
          toolResults: [],
        },
      ] as Session["messages"]).map((m, index) => ({ ...m, index })),
    };
    const own = await writeSession(home.ctx, extra, target, {
      sessionId: first.target.sessionId,
      workspace: first.target.workspace!,
      force: true,
    });
    await Deno.writeTextFile(ledgerPath(home.ctx), ledger);

    await assert.rejects(
      convertSession(home.ctx, target, source.sessionId),
      (error: unknown) => {
        assert.ok(error instanceof CasrError, String(error));
        assert.equal(error.code, "conflict");
        assert.equal(error.details.reason, "own-turns", error.message);
        assert.match(error.message, /2 messages of its own/);
        assert.match(error.message, /A turn of the target's own/);
        assert.match(error.message, /--force/);
        assert.match(error.message, /--new/);
        return true;
      },
    );
    const stillOwn = await provider.read(own.target.path, home.ctx);
    assert.match(texts(stillOwn.session), /Answered in the target/);

    // --new leaves it alone and writes another session.
    const beside = await convertSession(home.ctx, target, source.sessionId, { newSession: true });
    assert.notEqual(beside.target.sessionId, first.target.sessionId);
    assert.match(
      texts((await provider.read(own.target.path, home.ctx)).session),
      /Answered in the target/,
    );

    // --force replaces it, says what it replaced, and keeps it.
    const forced = await convertSession(home.ctx, target, source.sessionId, { force: true });
    assert.equal(forced.update?.kind, "replaced");
    assert.equal(forced.update?.ownMessages, 2);
    const warning = forced.warnings.find((w) => w.code === "target-replaced");
    assert.ok(warning, JSON.stringify(forced.warnings));
    assert.match(warning.message, /2 messages of its own/);
    const replaced = await provider.read(forced.target.path, home.ctx);
    assert.doesNotMatch(texts(replaced.session), /Answered in the target/);
    if (!own.target.path.includes("#")) {
      assert.ok(forced.backupPath, "a file-based target keeps a backup");
      assert.match(await Deno.readTextFile(forced.backupPath), /Answered in the target/);
    }
  });
}

Deno.test("a conversion casr has no record of is refused unless it holds only the conversation", async () => {
  await using home = await tempHome(["codex"]);
  const first = await convertSession(home.ctx, "claude-code", codexBasic.sessionId);
  await Deno.remove(ledgerPath(home.ctx));
  // Exactly what casr would write: nothing to lose, so it is up to date, and
  // the ledger learns it.
  const again = await convertSession(home.ctx, "claude-code", codexBasic.sessionId);
  assert.equal(again.update?.kind, "unchanged");
  assert.match(await Deno.readTextFile(ledgerPath(home.ctx)), new RegExp(first.target.sessionId));
  // A turn added without a record: refused as unknown.
  await Deno.remove(ledgerPath(home.ctx));
  await continueClaude(first.target.path, "Typed in Claude Code", "Answered in Claude Code");
  await assert.rejects(
    convertSession(home.ctx, "claude-code", codexBasic.sessionId),
    (error: unknown) =>
      error instanceof CasrError && error.code === "conflict" &&
      error.details.reason === "unknown" && /no record of writing it/.test(error.message),
  );
});

Deno.test("a conversion whose earlier messages changed in the target is refused as changed", async () => {
  await using home = await tempHome(["codex"]);
  const first = await convertSession(home.ctx, "claude-code", codexBasic.sessionId);
  const text = await Deno.readTextFile(first.target.path);
  await Deno.writeTextFile(
    first.target.path,
    text.replaceAll("tell me what it printed", "edited by hand"),
  );
  await assert.rejects(
    convertSession(home.ctx, "claude-code", codexBasic.sessionId),
    (error: unknown) =>
      error instanceof CasrError && error.details.reason === "changed" &&
      /changed since casr wrote it/.test(error.message),
  );
});

Deno.test("CLI: a second resume says up to date; one over the user's turns says what they are", async () => {
  await using home = await tempHome(["codex"]);
  const first = await runCli(["cc", "resume", codexBasic.sessionId, "--json"], home.ctx);
  assert.equal(first.code, 0, first.stderr);
  const target = (first.json as { target: { path: string; sessionId: string } }).target;
  const again = await runCli(["cc", "resume", codexBasic.sessionId], home.ctx);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /is up to date with codex session/);
  assert.match(again.stdout, /claude --resume/);
  await continueClaude(target.path, "Typed in Claude Code", "Answered in Claude Code");
  const refused = await runCli(["cc", "resume", codexBasic.sessionId], home.ctx);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /2 messages of its own since casr wrote it/);
  assert.match(refused.stderr, /"Typed in Claude Code"/);
  assert.doesNotMatch(refused.stderr, /\n\s+at /, "no stack trace");
  const json = await runCli(["cc", "resume", codexBasic.sessionId, "--json"], home.ctx);
  const error = (json.json as { error: { code: string; details: Record<string, unknown> } }).error;
  assert.equal(error.code, "conflict");
  assert.deepEqual(
    (error.details.ownMessages as { text: string }[]).map((m) => m.text),
    ["Typed in Claude Code", "Answered in Claude Code"],
  );
  const forced = await runCli(["cc", "resume", codexBasic.sessionId, "--force"], home.ctx);
  assert.equal(forced.code, 0, forced.stderr);
  assert.match(forced.stdout, /kept the old one as .*\.bak/);
  assert.match(forced.stdout, /--force replaced claude-code session/);
  const fresh = await runCli(["cc", "resume", codexBasic.sessionId, "--new", "--json"], home.ctx);
  assert.equal(fresh.code, 0, fresh.stderr);
  assert.notEqual(
    (fresh.json as { target: { sessionId: string } }).target.sessionId,
    target.sessionId,
  );
});

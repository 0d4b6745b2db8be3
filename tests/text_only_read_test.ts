/**
 * A text-only read (what the search index asks for) leaves tool outputs out
 * unparsed, and gives the index the same text as a whole read.
 *
 * The sessions are the real CLIs' fixtures with every tool output made long
 * (5 KB more, written wherever the file holds that output): the fixtures' own
 * outputs are too short for the reader to bother leaving them out.
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import { getProvider, type Session } from "../mod.ts";
import { sessionText } from "../src/pipeline/search_text.ts";
import { loadManifest, ROOT, tempDir } from "./fixture_home.ts";

const PAD = " long-output-padding".repeat(256);

function outputs(session: Session): string[] {
  return session.messages.flatMap((m) => m.toolResults.map((r) => r.output));
}

/**
 * The file's text with the longest line of each tool output, wherever it is
 * written (a reader may reword the output around it), made 5 KB longer.
 */
function lengthened(text: string, found: readonly string[]): string {
  let out = text;
  const lines = new Set(
    found.map((o) => o.split("\n").reduce((a, b) => (b.length > a.length ? b : a), ""))
      .filter((l) => l.trim().length >= 6),
  );
  for (const line of lines) {
    const escaped = JSON.stringify(line).slice(1, -1);
    out = out.replaceAll(escaped, escaped + PAD);
  }
  return out;
}

const ctx = { env: {}, homeDir: "/nonexistent", cwd: "/" };

for (const id of ["claude-code", "codex", "gemini-cli"]) {
  Deno.test(`a text-only ${id} read leaves the tool outputs out and keeps the indexed text`, async () => {
    const provider = getProvider(id);
    assert.ok(provider);
    const fixtures = (await loadManifest()).filter((f) => f.provider === id && f.toolCalls > 0);
    assert.ok(fixtures.length >= 2, `real ${id} fixtures with tool calls`);
    await using dir = await tempDir();
    for (const fixture of fixtures) {
      const source = path.join(ROOT, "fixtures", fixture.path);
      const original = await provider.read(source, ctx);
      const file = path.join(dir.path, path.basename(source));
      await Deno.writeTextFile(
        file,
        lengthened(await Deno.readTextFile(source), outputs(original.session)),
      );

      const whole = await provider.read(file, ctx);
      const long = outputs(whole.session).filter((o) => o.includes(PAD));
      assert.ok(long.length > 0, `${fixture.scenario}: the lengthened outputs are read`);
      const textOnly = await provider.read(file, ctx, { textOnly: true });
      assert.deepEqual(
        outputs(textOnly.session).filter((o) => o.includes("long-output-padding")),
        [],
        `${fixture.scenario}: no tool output is parsed`,
      );
      assert.equal(textOnly.session.messages.length, whole.session.messages.length);
      assert.deepEqual(sessionText(textOnly.session), sessionText(whole.session));
    }
  });
}

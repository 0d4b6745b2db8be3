import assert from "node:assert/strict";
import { defaultCells } from "./real_smoke.ts";
import { cliByName } from "./smoke/clis.ts";
import type { FixtureEntry } from "./smoke/manifest.ts";

function fixture(provider: string, scenario: string): FixtureEntry {
  return { provider, scenario } as FixtureEntry;
}

Deno.test("defaultCells() runs multi-tool and messy into every target, basic into itself and the core three", () => {
  const targets = ["claude-code", "codex", "gemini-cli", "opencode", "cline", "qwen-code"];
  const ran = (source: FixtureEntry): string[] =>
    targets.filter((name) => defaultCells(source, cliByName(name)));
  assert.deepEqual(ran(fixture("opencode", "multi-tool")), targets);
  assert.deepEqual(ran(fixture("claude-code", "messy")), targets);
  assert.deepEqual(ran(fixture("opencode", "basic")), [
    "claude-code",
    "codex",
    "gemini-cli",
    "opencode",
  ]);
  assert.deepEqual(ran(fixture("codex", "basic")), ["claude-code", "codex", "gemini-cli"]);
});

Deno.test("defaultCells() takes only the core three's multi-tool fixtures into the costliest targets", () => {
  const heavy = ["openclaw", "kilo-cli"];
  for (const target of heavy) {
    const cli = cliByName(target);
    assert.ok(defaultCells(fixture("codex", "multi-tool"), cli), target);
    assert.ok(defaultCells(fixture(target, "multi-tool"), cli), `${target}'s own`);
    assert.ok(!defaultCells(fixture("opencode", "multi-tool"), cli), target);
    assert.ok(defaultCells(fixture("opencode", "messy"), cli), `${target}: every messy fixture`);
  }
  assert.ok(defaultCells(fixture("opencode", "multi-tool"), cliByName("pi")));
});

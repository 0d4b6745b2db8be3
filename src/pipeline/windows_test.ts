import assert from "node:assert/strict";
import { PROVIDERS } from "../providers/registry.ts";
import { CONTEXT_WINDOWS, contextWindowFor, GENERIC_CONTEXT_WINDOW } from "./windows.ts";

Deno.test("contextWindowFor() reads each provider's own figures, as the table before the move had them", () => {
  // Hand-written from the table that lived in this module before the providers held the figures.
  const expected: Record<string, [number, number, string]> = {
    "claude-code": [200_000, 60_000, "claude"],
    codex: [272_000, 40_000, "o200k"],
    "gemini-cli": [1_048_576, 524_288, "gemini"],
    "qwen-code": [262_144, 40_000, "qwen"],
    "copilot-cli": [128_000, 28_000, "claude"],
    amp: [200_000, 60_000, "claude"],
  };
  for (const [id, [window, reserve, family]] of Object.entries(expected)) {
    const w = contextWindowFor(id);
    assert.deepEqual([w.window, w.reserve, w.family], [window, reserve, family], id);
    assert.ok(w.source.length > 0, id);
  }
  assert.deepEqual(Object.keys(CONTEXT_WINDOWS).sort(), Object.keys(expected).sort());
});

Deno.test("contextWindowFor() assumes the generic window for agents whose model the user picks", () => {
  for (const id of ["opencode", "cline", "roo-code", "kilo-code", "cursor", "aider", "nope"]) {
    assert.equal(contextWindowFor(id), GENERIC_CONTEXT_WINDOW, id);
  }
  // Ids only: an alias is not a provider id here.
  assert.equal(contextWindowFor("cc"), GENERIC_CONTEXT_WINDOW);
  for (const p of PROVIDERS) {
    assert.equal(contextWindowFor(p.id), p.contextWindow ?? GENERIC_CONTEXT_WINDOW, p.id);
  }
});

/**
 * The README's promises about what reaches each target hold for the code: the
 * table under "What reaches the target's model" matches every writable
 * provider's `carries`.
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import { PROVIDERS } from "../mod.ts";
import { API_TOOL_NAME, GEMINI_TOOL_NAME } from "../src/formats/tool_names.ts";

const ROOT = path.resolve(import.meta.dirname ?? ".", "..");

/** The rows of the first table after a heading, as cells keyed by the header. */
function tableAfter(markdown: string, heading: string): Record<string, string>[] {
  const lines = markdown.split("\n");
  const start = lines.indexOf(heading);
  assert.ok(start >= 0, `README has no "${heading}"`);
  const first = lines.findIndex((line, i) => i > start && line.startsWith("|"));
  const rows: string[][] = [];
  for (let i = first; i < lines.length && lines[i]!.startsWith("|"); i++) {
    rows.push(lines[i]!.split("|").slice(1, -1).map((cell) => cell.trim()));
  }
  const [header, , ...body] = rows;
  return body.map((cells) => Object.fromEntries(header!.map((name, i) => [name, cells[i] ?? ""])));
}

Deno.test("README: the 'What reaches the target's model' table matches every provider's carries", async () => {
  const readme = await Deno.readTextFile(path.join(ROOT, "README.md"));
  const rows = tableAfter(readme, "#### What reaches the target's model");
  const writable = PROVIDERS.filter((p) => !p.readOnly);
  assert.deepEqual(rows.map((r) => r.id).sort(), writable.map((p) => `\`${p.id}\``).sort());
  for (const provider of writable) {
    const row = rows.find((r) => r.id === `\`${provider.id}\``)!;
    const carries = provider.carries ?? {};
    assert.equal(row.Images, carries.images ? "image" : "placeholder", `${provider.id} images`);
    assert.equal(row.Reasoning, carries.reasoning ? "kept" : "dropped", `${provider.id} reasoning`);
    const names = carries.toolName === undefined
      ? "as text"
      : carries.toolName === GEMINI_TOOL_NAME
      ? "Gemini's"
      : carries.toolName === API_TOOL_NAME
      ? "`[a-zA-Z0-9_-]`"
      : "unknown pattern";
    assert.equal(row["Tool names"], names, `${provider.id} tool names`);
    const family = carries.toolFamily === undefined
      ? "kept names"
      : `its own tools (\`${carries.toolFamily}\`)`;
    assert.equal(row["Tool calls as"], family, `${provider.id} tool family`);
  }
});

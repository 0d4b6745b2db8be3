/**
 * Warning codes are one typed union (`WarningCode` in src/model/types.ts), and
 * docs/warnings.md lists each with its meaning: the list and the union stay the
 * same, and every code in the union is one casr emits.
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import { WARNING_CODES } from "../mod.ts";
import { ROOT } from "./fixture_home.ts";

Deno.test("docs/warnings.md lists every warning code of the union once, each with a meaning", async () => {
  const doc = await Deno.readTextFile(path.join(ROOT, "docs", "warnings.md"));
  const rows = doc.split("\n").filter((l) => /^\| `[a-z0-9-]+` *\|/.test(l));
  const listed = rows.map((l) => /^\| `([a-z0-9-]+)`/.exec(l)![1]!);
  assert.deepEqual([...listed].sort(), [...WARNING_CODES].sort());
  assert.equal(new Set(listed).size, listed.length, "a code listed twice");
  for (const row of rows) {
    const meaning = row.split("|")[2]?.trim() ?? "";
    assert.ok(meaning.length > 20, `no meaning: ${row}`);
  }
  const readme = await Deno.readTextFile(path.join(ROOT, "README.md"));
  assert.match(readme, /\(docs\/warnings\.md\)/, "the README points at the list");
});

async function sourceText(dir: string): Promise<string> {
  let text = "";
  for await (const e of Deno.readDir(dir)) {
    const p = path.join(dir, e.name);
    if (e.isDirectory) text += await sourceText(p);
    else if (e.name.endsWith(".ts") && !e.name.endsWith("_test.ts") && e.name !== "types.ts") {
      text += await Deno.readTextFile(p);
    }
  }
  return text;
}

Deno.test("every code of the union is emitted somewhere in src/", async () => {
  const src = await sourceText(path.join(ROOT, "src"));
  // The OpenCode store writer names two codes after its flavour: `${flavor.provider}-project`.
  const templated = ["-project", "-database-created"].filter((t) =>
    src.includes(`\`\${flavor.provider}${t}\``)
  );
  for (const code of WARNING_CODES) {
    const emitted = src.includes(`"${code}"`) ||
      templated.some((t) => code === `opencode${t}` || code === `kilo-cli${t}`);
    assert.ok(emitted, `${code} is in the union but nothing emits it`);
  }
});

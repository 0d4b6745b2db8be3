import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  findLayerProblems,
  formatFindings,
  type ImportEdge,
  layerOf,
  readImportGraph,
} from "./check_layers.ts";
import { scanImports } from "./import_scan.ts";

// Every graph below is hand-made: a few edges, named like the repository's modules.

const edge = (from: string, to: string, line = 1): ImportEdge => ({ from, to, line });

Deno.test("layerOf() places each part of the house on its floor", () => {
  const rank = (file: string) => layerOf(file)?.rank;
  assert.equal(rank("src/errors.ts"), rank("src/model/types.ts"));
  assert.ok(rank("src/model/types.ts")! < rank("src/internal/fs.ts")!);
  assert.ok(rank("src/internal/fs.ts")! < rank("src/formats/anthropic.ts")!);
  assert.ok(rank("src/formats/anthropic.ts")! < rank("src/providers/codex/mod.ts")!);
  assert.ok(rank("src/providers/types.ts")! < rank("src/pipeline/convert.ts")!);
  assert.ok(rank("src/pipeline/convert.ts")! < rank("src/export/transcript.ts")!);
  assert.ok(rank("src/export/transcript.ts")! < rank("mod.ts")!);
  assert.ok(rank("mod.ts")! < rank("src/cli/app.ts")!);
  assert.ok(rank("src/cli/app.ts")! < rank("cli.ts")!);
  assert.ok(rank("cli.ts")! < rank("scripts/smoke/clis.ts")!);
  assert.equal(layerOf("tests/helpers.ts"), undefined);
  assert.equal(layerOf("src/clip.ts"), undefined);
});

Deno.test("findLayerProblems() reports nothing on a clean graph", () => {
  const found = findLayerProblems([
    edge("src/internal/data_dir.ts", "src/model/provider_data.ts"),
    edge("src/providers/codex/mod.ts", "src/providers/types.ts"),
    edge("src/providers/codex/mod.ts", "src/formats/anthropic.ts"),
    edge("src/providers/registry.ts", "src/providers/codex/mod.ts"),
    edge("src/pipeline/convert.ts", "src/providers/registry.ts"),
    edge("src/cli/app.ts", "mod.ts"),
    edge("mod.ts", "src/pipeline/convert.ts"),
    edge("scripts/smoke/cli_pi.ts", "scripts/smoke/cli_types.ts"),
    edge("scripts/smoke/clis.ts", "scripts/smoke/cli_pi.ts"),
  ]);
  assert.deepEqual(found, { upward: [], crossProvider: [], circles: [], pastMod: [] });
  assert.deepEqual(formatFindings(found), [
    "upward imports: 0",
    "provider folders importing another provider: 0",
    "command-line imports past mod.ts: 0",
    "circles: 0",
  ]);
});

Deno.test("findLayerProblems() reports an import that runs back up, with its line", () => {
  const up = edge("src/internal/session_index.ts", "src/providers/types.ts", 15);
  const found = findLayerProblems([
    up,
    edge("src/providers/types.ts", "src/model/types.ts", 6),
    edge("src/model/types.ts", "scripts/check_layers.ts", 2),
  ]);
  assert.deepEqual(
    found.upward,
    [
      edge("src/internal/session_index.ts", "src/providers/types.ts", 15),
      edge("src/model/types.ts", "scripts/check_layers.ts", 2),
    ].sort((a, b) => a.from.localeCompare(b.from)),
  );
  assert.deepEqual(found.circles, []);
  assert.equal(
    formatFindings(found)[1],
    "  src/internal/session_index.ts:15: internal imports providers: src/providers/types.ts",
  );
});

Deno.test("findLayerProblems() reports a provider folder importing another one", () => {
  const found = findLayerProblems([
    edge("src/providers/kilo_cli/mod.ts", "src/providers/opencode/reader.ts", 4),
    edge("src/providers/kilo_cli/mod.ts", "src/providers/kilo_cli/paths.ts", 5),
  ]);
  assert.deepEqual(found.crossProvider, [
    edge("src/providers/kilo_cli/mod.ts", "src/providers/opencode/reader.ts", 4),
  ]);
  assert.deepEqual(found.upward, []);
});

Deno.test("findLayerProblems() reports the command line reaching the library past mod.ts", () => {
  const found = findLayerProblems([
    edge("src/cli/commands/search.ts", "src/pipeline/search.ts", 8),
    edge("cli.ts", "src/cli/version.ts", 3),
    edge("src/cli/app.ts", "mod.ts", 9),
    edge("scripts/bench.ts", "src/pipeline/convert.ts", 4),
    // The bundle's worker entry loads its worker module, and nothing else.
    edge("cli/read_worker.ts", "src/pipeline/read_worker.ts", 7),
    edge("cli/read_worker.ts", "src/pipeline/read_pool.ts", 8),
  ]);
  assert.deepEqual(found.pastMod, [
    edge("cli/read_worker.ts", "src/pipeline/read_pool.ts", 8),
    edge("src/cli/commands/search.ts", "src/pipeline/search.ts", 8),
  ]);
  assert.deepEqual(found.upward, []);
});

Deno.test("findLayerProblems() reports each circle once, as its shortest loop", () => {
  const found = findLayerProblems([
    edge("src/providers/cursor/cli_reader.ts", "src/providers/cursor/desktop_reader.ts", 19),
    edge("src/providers/cursor/desktop_reader.ts", "src/providers/cursor/resume.ts", 17),
    edge("src/providers/cursor/resume.ts", "src/providers/cursor/cli_reader.ts", 11),
    edge("src/providers/cursor/mod.ts", "src/providers/cursor/resume.ts", 3),
    // A second circle in the same layer, with a shortcut back.
    edge("scripts/smoke/clis.ts", "scripts/smoke/cli_pi.ts", 15),
    edge("scripts/smoke/cli_pi.ts", "scripts/smoke/clis.ts", 8),
    edge("scripts/smoke/clis.ts", "scripts/smoke/cli_qwen.ts", 16),
    edge("scripts/smoke/cli_qwen.ts", "scripts/smoke/cli_pi.ts", 9),
    // A module importing itself.
    edge("src/model/types.ts", "src/model/types.ts", 7),
  ]);
  assert.deepEqual(found.upward, []);
  assert.deepEqual(
    found.circles.map((c) => c.members),
    [
      ["scripts/smoke/cli_pi.ts", "scripts/smoke/cli_qwen.ts", "scripts/smoke/clis.ts"],
      ["src/model/types.ts"],
      [
        "src/providers/cursor/cli_reader.ts",
        "src/providers/cursor/desktop_reader.ts",
        "src/providers/cursor/resume.ts",
      ],
    ],
  );
  assert.deepEqual(found.circles[0]!.loop, [
    edge("scripts/smoke/cli_pi.ts", "scripts/smoke/clis.ts", 8),
    edge("scripts/smoke/clis.ts", "scripts/smoke/cli_pi.ts", 15),
  ]);
  assert.deepEqual(found.circles[1]!.loop, [edge("src/model/types.ts", "src/model/types.ts", 7)]);
  assert.equal(
    formatFindings(found).at(-1),
    "  3 modules: src/providers/cursor/cli_reader.ts:19 -> src/providers/cursor/desktop_reader.ts:17" +
      " -> src/providers/cursor/resume.ts:11 -> src/providers/cursor/cli_reader.ts",
  );
});

Deno.test("scanImports() finds static, re-exported, type and literal dynamic imports", () => {
  const source = [
    'import { a } from "./a.ts";',
    'import type { B } from "../b.ts";',
    'import "./side.ts";',
    "import * as c from './c.ts';",
    "import d, {",
    "  e,",
    '} from "./de.ts";',
    'export { f } from "./f.ts";',
    'export type { G } from "./g.ts";',
    'export * from "./h.ts";',
    'const i = await import("./i.ts");',
    'type J = typeof import("./j.ts");',
  ].join("\n");
  assert.deepEqual(scanImports(source), [
    { specifier: "./a.ts", line: 1, dynamic: false },
    { specifier: "../b.ts", line: 2, dynamic: false },
    { specifier: "./side.ts", line: 3, dynamic: false },
    { specifier: "./c.ts", line: 4, dynamic: false },
    { specifier: "./de.ts", line: 7, dynamic: false },
    { specifier: "./f.ts", line: 8, dynamic: false },
    { specifier: "./g.ts", line: 9, dynamic: false },
    { specifier: "./h.ts", line: 10, dynamic: false },
    { specifier: "./i.ts", line: 11, dynamic: true },
    { specifier: "./j.ts", line: 12, dynamic: true },
  ]);
});

Deno.test("scanImports() ignores imports in comments, strings, templates and computed specifiers", () => {
  const source = [
    "/**",
    " * ```ts",
    ' * import { x } from "@casr/core";',
    " * ```",
    " */",
    '// import "./line_comment.ts";',
    "const s = 'import \"./in_string.ts\"';",
    'const t = `import "./in_template.ts" ${1 + 1} import("./also.ts")`;',
    'const r = /"import/; const q = a / 2; const name = "./x.ts";',
    "const m = await import(name);",
    "const meta = import.meta.url;",
    "const o = { import: 1 }; o.import;",
    "export { local };",
    'import { after } from "./after.ts";',
  ].join("\n");
  assert.deepEqual(scanImports(source), [{ specifier: "./after.ts", line: 14, dynamic: false }]);
});

Deno.test("readImportGraph() resolves relative and mapped specifiers, and skips tests", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "check-layers-"));
  try {
    const write = (file: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), text);
    };
    write("deno.json", JSON.stringify({ imports: { "@x/core": "./mod.ts", zod: "npm:zod@4" } }));
    write("mod.ts", 'export * from "./src/model/types.ts";\n');
    write("src/model/types.ts", 'import "zod";\nimport "node:fs";\nimport "../../tests/h.ts";\n');
    write("src/internal/fs.ts", '\nimport type { T } from "../model/types.ts";\n');
    write("src/internal/fs_test.ts", 'import "../../mod.ts";\n');
    write("src/formats/testdata/sample.ts", 'import "../../../mod.ts";\n');
    write("scripts/tool.ts", 'import { a } from "@x/core";\n');
    const graph = readImportGraph(root);
    assert.equal(graph.files, 4);
    assert.deepEqual(graph.edges, [
      edge("mod.ts", "src/model/types.ts", 1),
      edge("scripts/tool.ts", "mod.ts", 1),
      edge("src/internal/fs.ts", "src/model/types.ts", 2),
    ]);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

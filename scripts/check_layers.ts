/**
 * The layer check (`deno run -A scripts/check_layers.ts`, part of `deno task ok`):
 * reads the imports of every module in `src/`, `scripts/`, `cli/` and the root
 * `mod.ts`/`cli.ts`, and fails when an import runs back up the layers, when a
 * provider folder imports another provider's folder, or when modules import
 * each other in a circle.
 *
 * The layers, from the ground up (a module may import its own layer and the
 * ones below it):
 *
 * 0. `src/model/`, `src/errors.ts`: the canonical data and errors
 * 1. `src/internal/`: runtime, file system and process helpers
 * 2. `src/formats/`: formats shared by several providers
 * 3. `src/providers/`: one folder per agent, plus the registry and shared types
 * 4. `src/pipeline/`: list, read, convert, verify, hand off
 * 5. `src/export/`: transcripts
 * 6. `mod.ts`: the library's public face
 * 7. `src/cli/`: the command line, which reaches the core only through `mod.ts`
 * 8. `cli.ts`, `cli/`: the command's entry points
 * 9. `scripts/`: tools over all of it
 *
 * Test files (`*_test.ts`) and `testdata/` are left out: a test may use any
 * layer to check behaviour, and nothing imports a test. Imports of modules
 * outside the checked tree (`tests/` helpers, `npm:`, `node:`) are not judged.
 *
 * Prints every finding as `file:line` and exits 1 when there is one.
 *
 * @module
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { scanImports } from "./import_scan.ts";

/** One import between two modules of the checked tree. */
export interface ImportEdge {
  /** The importing module, relative to the repository root with `/` separators. */
  from: string;
  /** The imported module, in the same form. */
  to: string;
  /** The 1-based line of the import in `from`. */
  line: number;
}

/** A layer of the house, from `0` (the ground) up. */
export interface Layer {
  /** Its rank: a module may import modules of the same or a lower rank. */
  rank: number;
  /** Its name in findings, e.g. `providers`. */
  name: string;
}

/** What the check found. */
export interface LayerFindings {
  /** Imports from a lower layer to a higher one. */
  upward: ImportEdge[];
  /** Imports from one provider folder into another one. */
  crossProvider: ImportEdge[];
  /** Each set of modules that import each other in a circle. */
  circles: Circle[];
  /** Command-line modules that reach the library past `mod.ts`. */
  pastMod: ImportEdge[];
}

/** Modules that reach each other through their imports. */
export interface Circle {
  /** Every module of the set, sorted. */
  members: string[];
  /** The shortest loop through the first member: edges that close on `members[0]`. */
  loop: ImportEdge[];
}

/** Path prefixes (or whole files) and their layers, the longest match wins. */
const LAYERS: ReadonlyArray<readonly [string, Layer]> = [
  ["src/model/", { rank: 0, name: "model" }],
  ["src/errors.ts", { rank: 0, name: "model" }],
  ["src/internal/", { rank: 1, name: "internal" }],
  ["src/formats/", { rank: 2, name: "formats" }],
  ["src/providers/", { rank: 3, name: "providers" }],
  ["src/pipeline/", { rank: 4, name: "pipeline" }],
  ["src/export/", { rank: 5, name: "export" }],
  ["mod.ts", { rank: 6, name: "mod.ts" }],
  ["src/cli/", { rank: 7, name: "cli" }],
  ["cli.ts", { rank: 8, name: "cli.ts" }],
  ["cli/", { rank: 8, name: "cli.ts" }],
  ["scripts/", { rank: 9, name: "scripts" }],
];

/**
 * Worker threads' entries in the bundle (`scripts/bundle.ts`) and the worker
 * module each loads: a thread's code runs from its module's top level, which
 * `mod.ts` cannot hand on.
 */
const WORKER_ENTRIES: ReadonlyMap<string, string> = new Map([
  ["cli/read_worker.ts", "src/pipeline/read_worker.ts"],
]);

/**
 * The layer of a module.
 *
 * @param file The module's path relative to the repository root, `/`-separated.
 * @returns Its layer, or `undefined` for a module outside the layered tree.
 */
export function layerOf(file: string): Layer | undefined {
  let best: readonly [string, Layer] | undefined;
  for (const entry of LAYERS) {
    const [prefix] = entry;
    const hit = prefix.endsWith("/") ? file.startsWith(prefix) : file === prefix;
    if (hit && (best === undefined || prefix.length > best[0].length)) best = entry;
  }
  return best?.[1];
}

/** The provider folder a module lives in (`src/providers/<id>/…`), if any. */
function providerFolder(file: string): string | undefined {
  const m = /^src\/providers\/([^/]+)\//.exec(file);
  return m?.[1];
}

/**
 * Judges an import graph: upward imports, provider folders importing each
 * other, and circles (one loop shown per set of modules that reach each other).
 *
 * @param edges Every import between checked modules.
 * @returns The findings, each list in a stable order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { findLayerProblems } from "./check_layers.ts";
 *
 * const found = findLayerProblems([
 *   { from: "src/internal/a.ts", to: "src/providers/types.ts", line: 3 },
 * ]);
 * assert.equal(found.upward.length, 1);
 * assert.equal(found.circles.length, 0);
 * ```
 */
export function findLayerProblems(edges: readonly ImportEdge[]): LayerFindings {
  const upward: ImportEdge[] = [];
  const crossProvider: ImportEdge[] = [];
  const pastMod: ImportEdge[] = [];
  const modRank = layerOf("mod.ts")!.rank;
  for (const edge of edges) {
    const from = layerOf(edge.from);
    const to = layerOf(edge.to);
    if (from !== undefined && to !== undefined && to.rank > from.rank) upward.push(edge);
    // The command line (src/cli, cli.ts, cli/) reaches the library only through
    // mod.ts; a worker thread's entry in the bundle loads its worker module.
    if (
      from !== undefined && to !== undefined && from.rank > modRank && from.name !== "scripts" &&
      to.rank < modRank && WORKER_ENTRIES.get(edge.from) !== edge.to
    ) {
      pastMod.push(edge);
    }
    const a = providerFolder(edge.from);
    const b = providerFolder(edge.to);
    if (a !== undefined && b !== undefined && a !== b) crossProvider.push(edge);
  }
  return {
    upward: sortEdges(upward),
    crossProvider: sortEdges(crossProvider),
    circles: circles(edges),
    pastMod: sortEdges(pastMod),
  };
}

function sortEdges(edges: ImportEdge[]): ImportEdge[] {
  return edges.sort((x, y) => x.from.localeCompare(y.from) || x.line - y.line);
}

/** Each strongly connected set of two or more modules (or a self-import), with one loop. */
function circles(edges: readonly ImportEdge[]): Circle[] {
  const out = new Map<string, ImportEdge[]>();
  for (const edge of edges) {
    const list = out.get(edge.from) ?? [];
    list.push(edge);
    out.set(edge.from, list);
  }
  for (const list of out.values()) sortEdges(list);
  const nodes = [...new Set(edges.flatMap((e) => [e.from, e.to]))].sort();

  // Tarjan's strongly connected components, iteratively.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;
  for (const root of nodes) {
    if (index.has(root)) continue;
    const work: Array<{ node: string; next: number }> = [{ node: root, next: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const succ = out.get(frame.node) ?? [];
      if (frame.next < succ.length) {
        const to = succ[frame.next++]!.to;
        if (!index.has(to)) {
          index.set(to, counter);
          low.set(to, counter++);
          stack.push(to);
          onStack.add(to);
          work.push({ node: to, next: 0 });
        } else if (onStack.has(to)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(to)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent !== undefined) {
        low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      }
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        components.push(component.sort());
      }
    }
  }

  const found: Circle[] = [];
  for (const members of components) {
    const start = members[0]!;
    if (members.length === 1) {
      const self = (out.get(start) ?? []).find((e) => e.to === start);
      if (self !== undefined) found.push({ members, loop: [self] });
      continue;
    }
    found.push({ members, loop: shortestLoop(start, new Set(members), out) });
  }
  return found.sort((x, y) => x.members[0]!.localeCompare(y.members[0]!));
}

/** The shortest loop from `start` back to it, staying inside `members` (breadth first). */
function shortestLoop(
  start: string,
  members: ReadonlySet<string>,
  out: ReadonlyMap<string, ImportEdge[]>,
): ImportEdge[] {
  const via = new Map<string, ImportEdge>();
  const queue = [start];
  for (let q = 0; q < queue.length; q++) {
    const node = queue[q]!;
    for (const edge of out.get(node) ?? []) {
      if (!members.has(edge.to)) continue;
      if (edge.to === start) {
        const loop = [edge];
        for (let at = node; at !== start;) {
          const back = via.get(at)!;
          loop.unshift(back);
          at = back.from;
        }
        return loop;
      }
      if (via.has(edge.to)) continue;
      via.set(edge.to, edge);
      queue.push(edge.to);
    }
  }
  return [];
}

/** The checked modules under `root`: `.ts` files of the layered tree, tests left out. */
export function checkedFiles(root: string): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (entry.name !== "testdata" && entry.name !== "node_modules") walk(rel);
      } else if (/\.(ts|tsx|mts)$/.test(entry.name) && !/_test\.(ts|tsx|mts)$/.test(entry.name)) {
        files.push(rel);
      }
    }
  };
  for (const dir of ["src", "scripts", "cli"]) {
    if (fs.existsSync(path.join(root, dir))) walk(dir);
  }
  for (const file of ["mod.ts", "cli.ts"]) {
    if (fs.existsSync(path.join(root, file))) files.push(file);
  }
  return files.sort();
}

/** The local targets of `deno.json`'s import map (`"@casr/core": "./mod.ts"`). */
function localImportMap(root: string): Map<string, string> {
  const map = new Map<string, string>();
  const config = JSON.parse(fs.readFileSync(path.join(root, "deno.json"), "utf8")) as {
    imports?: Record<string, string>;
  };
  for (const [key, value] of Object.entries(config.imports ?? {})) {
    if (value.startsWith("./")) map.set(key, path.posix.normalize(value));
  }
  return map;
}

/**
 * Reads the import graph of the checked modules under `root`.
 *
 * @param root The repository root (holding `deno.json`).
 * @returns The edges between checked modules, and how many modules were read.
 */
export function readImportGraph(root: string): { files: number; edges: ImportEdge[] } {
  const files = checkedFiles(root);
  const checked = new Set(files);
  const mapped = localImportMap(root);
  const edges: ImportEdge[] = [];
  for (const file of files) {
    const text = fs.readFileSync(path.join(root, file), "utf8");
    for (const site of scanImports(text)) {
      const spec = site.specifier;
      let to: string | undefined;
      if (spec.startsWith("./") || spec.startsWith("../")) {
        to = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec));
      } else {
        to = mapped.get(spec);
      }
      if (to !== undefined && checked.has(to)) edges.push({ from: file, to, line: site.line });
    }
  }
  return { files: files.length, edges };
}

/**
 * The report of the findings, one line per finding.
 *
 * @param found What {@linkcode findLayerProblems} found.
 * @returns The lines to print.
 */
export function formatFindings(found: LayerFindings): string[] {
  const lines: string[] = [];
  const name = (file: string): string => layerOf(file)?.name ?? "?";
  lines.push(`upward imports: ${found.upward.length}`);
  for (const e of found.upward) {
    lines.push(`  ${e.from}:${e.line}: ${name(e.from)} imports ${name(e.to)}: ${e.to}`);
  }
  lines.push(`provider folders importing another provider: ${found.crossProvider.length}`);
  for (const e of found.crossProvider) lines.push(`  ${e.from}:${e.line}: imports ${e.to}`);
  lines.push(`command-line imports past mod.ts: ${found.pastMod.length}`);
  for (const e of found.pastMod) lines.push(`  ${e.from}:${e.line}: imports ${e.to}`);
  lines.push(`circles: ${found.circles.length}`);
  for (const { members, loop } of found.circles) {
    const path = loop.map((e) => `${e.from}:${e.line}`).join(" -> ");
    lines.push(`  ${members.length} modules: ${path} -> ${members[0]}`);
    if (members.length > loop.length) lines.push(`    all of them: ${members.join(", ")}`);
  }
  return lines;
}

if (import.meta.main) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
  const graph = readImportGraph(root);
  const found = findLayerProblems(graph.edges);
  console.log(`check_layers: ${graph.files} modules, ${graph.edges.length} imports`);
  for (const line of formatFindings(found)) console.log(line);
  const bad = found.upward.length + found.crossProvider.length + found.circles.length +
    found.pastMod.length;
  if (bad > 0) Deno.exit(1);
}

/**
 * The fuzz cases of the bad-input suite: byte- and record-level mutations of the
 * genuine fixtures, each run through list, read and convert. Every case must end
 * in a session (with warnings) or a CasrError — never another exception, never a
 * hang. Shared by tests/fuzz_test.ts (a bounded slice) and scripts/fuzz.ts.
 *
 * @module
 */
import * as path from "node:path";
import {
  CasrError,
  convertSession,
  listSessions,
  PROVIDERS,
  readSession,
  resolveSession,
  searchSessions,
} from "../mod.ts";
import { type FixtureEntry, tempHome } from "./fixture_home.ts";

/** A deterministic PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ODD: unknown[] = [null, 0, -1, "", "x", [], {}, true, 1e20, 1e308, "2026-99-99", [null], {
  a: [],
}];

function pick<T>(items: readonly T[], rand: () => number): T {
  return items[Math.floor(rand() * items.length)] as T;
}

/**
 * Changes one place in a JSON value: removes a member or item, or puts an odd
 * value (wrong type, out-of-range time, empty) where one was.
 *
 * @param value The value (not modified).
 * @param rand The random source.
 * @param depth How deep the recursion is.
 * @returns The changed copy.
 */
export function mutateValue(value: unknown, rand: () => number, depth = 0): unknown {
  if (Array.isArray(value)) {
    if (value.length === 0 || rand() < 0.15) return pick(ODD, rand);
    const copy = [...value];
    const i = Math.floor(rand() * copy.length);
    if (rand() < 0.3) copy.splice(i, 1);
    else copy[i] = mutateValue(copy[i], rand, depth + 1);
    return copy;
  }
  if (value !== null && typeof value === "object") {
    const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    const keys = Object.keys(copy);
    if (keys.length === 0 || depth > 6) return pick(ODD, rand);
    const key = pick(keys, rand);
    const roll = rand();
    if (roll < 0.3) delete copy[key];
    else if (roll < 0.5) copy[key] = pick(ODD, rand);
    else copy[key] = mutateValue(copy[key], rand, depth + 1);
    return copy;
  }
  return pick(ODD, rand);
}

const enc = new TextEncoder();
const dec = new TextDecoder();

function insertBytes(bytes: Uint8Array, extra: Uint8Array, at: number): Uint8Array {
  const out = new Uint8Array(bytes.length + extra.length);
  out.set(bytes.subarray(0, at));
  out.set(extra, at);
  out.set(bytes.subarray(at), at + extra.length);
  return out;
}

/** A mutation of one session file's bytes. */
export interface Mutation {
  /** The operator's name, for the counts. */
  name: string;
  /** Returns the new bytes, or `"directory"` to put a directory where the file was. */
  apply(bytes: Uint8Array, rand: () => number): Uint8Array | "directory";
}

/** Mutations for text formats (JSON, JSONL, Markdown). */
export function textMutations(hugeLineBytes: number): Mutation[] {
  const lineWise = (
    name: string,
    edit: (lines: string[], rand: () => number) => void,
  ): Mutation => ({
    name,
    apply(bytes, rand) {
      const lines = dec.decode(bytes).split("\n");
      edit(lines, rand);
      return enc.encode(lines.join("\n"));
    },
  });
  return [
    lineWise("wrong-types", (lines, rand) => {
      for (let e = 0; e < 3; e++) {
        const i = Math.floor(rand() * lines.length);
        try {
          lines[i] = JSON.stringify(mutateValue(JSON.parse(lines[i] ?? ""), rand));
        } catch {
          lines[i] = "{";
        }
      }
    }),
    lineWise("truncated-line", (lines, rand) => {
      const i = Math.floor(rand() * lines.length);
      lines[i] = (lines[i] ?? "").slice(0, Math.floor(rand() * (lines[i]?.length ?? 0)));
    }),
    lineWise("duplicate-record", (lines, rand) => {
      const i = Math.floor(rand() * lines.length);
      lines.splice(i, 0, lines[i] ?? "");
    }),
    lineWise("missing-first-record", (lines) => void lines.shift()),
    lineWise("deep-nesting", (lines, rand) => {
      const depth = 50_000;
      lines.splice(Math.floor(rand() * lines.length), 0, "[".repeat(depth) + "]".repeat(depth));
      lines.splice(
        Math.floor(rand() * lines.length),
        0,
        '{"type":"user","message":{"content":' + '{"a":'.repeat(5000) + "1" + "}".repeat(5000) +
          "}}",
      );
    }),
    {
      name: "truncated-file",
      apply: (bytes, rand) => bytes.slice(0, Math.floor(rand() * bytes.length)),
    },
    { name: "empty-file", apply: () => new Uint8Array() },
    { name: "bom", apply: (bytes) => insertBytes(bytes, new Uint8Array([0xef, 0xbb, 0xbf]), 0) },
    { name: "crlf", apply: (bytes) => enc.encode(dec.decode(bytes).replaceAll("\n", "\r\n")) },
    {
      name: "nul-bytes",
      apply: (bytes, rand) =>
        insertBytes(bytes, new Uint8Array([0, 0, 0]), Math.floor(rand() * bytes.length)),
    },
    {
      name: "invalid-utf8",
      apply: (bytes, rand) =>
        insertBytes(
          bytes,
          new Uint8Array([0xff, 0xfe, 0xc3, 0x28]),
          Math.floor(rand() * bytes.length),
        ),
    },
    {
      name: "huge-line",
      apply: (bytes) =>
        insertBytes(
          bytes,
          enc.encode(`{"type":"user","text":"${"x".repeat(hugeLineBytes)}"}\n`),
          0,
        ),
    },
    { name: "directory", apply: () => "directory" },
  ];
}

/** Mutations for SQLite databases. */
export const SQLITE_MUTATIONS: Mutation[] = [
  { name: "zero-byte-db", apply: () => new Uint8Array() },
  {
    name: "corrupt-page",
    apply(bytes, rand) {
      const out = bytes.slice();
      const page = 4096;
      const pages = Math.max(1, Math.floor(out.length / page));
      const start = (1 + Math.floor(rand() * Math.max(1, pages - 1))) * page;
      for (let i = start; i < Math.min(out.length, start + 512); i++) {
        out[i] = Math.floor(rand() * 256);
      }
      return out;
    },
  },
  {
    name: "truncated-db",
    apply: (bytes, rand) => bytes.slice(0, Math.floor(rand() * bytes.length)),
  },
  {
    name: "garbage-header",
    apply: (bytes) => insertBytes(bytes.slice(16), enc.encode("not sqlite at all"), 0),
  },
];

/** The outcome counts of a fuzz run. */
export interface FuzzCounts {
  /** Cases run. */
  cases: number;
  /** Reads that gave a session. */
  sessions: number;
  /** Warnings those reads reported. */
  warnings: number;
  /** CasrErrors, by code. */
  errors: Record<string, number>;
  /** Anything else thrown or a hang: must stay empty. */
  crashes: string[];
}

/** Fresh counts. */
export function newCounts(): FuzzCounts {
  return { cases: 0, sessions: 0, warnings: 0, errors: {}, crashes: [] };
}

async function guard<T>(
  label: string,
  counts: FuzzCounts,
  work: () => Promise<T>,
): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      work(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error("hang: no answer in 60 s")), 60_000);
      }),
    ]);
  } catch (error) {
    if (error instanceof CasrError) {
      counts.errors[error.code] = (counts.errors[error.code] ?? 0) + 1;
    } else {
      const text = error instanceof Error
        ? `${error.name}: ${error.message}\n${error.stack ?? ""}`
        : String(error);
      counts.crashes.push(`${label}: ${text.slice(0, 2000)}`);
    }
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs one fuzz case: copies the fixture's home, mutates the session file, then
 * lists, reads and converts through the public API.
 *
 * @param fixture The fixture.
 * @param mutation The mutation.
 * @param seed The case's seed.
 * @param counts Where outcomes are counted.
 */
export async function runCase(
  fixture: FixtureEntry,
  mutation: Mutation,
  seed: number,
  counts: FuzzCounts,
): Promise<void> {
  counts.cases++;
  const label = `${fixture.provider}/${fixture.scenario} ${mutation.name} seed ${seed}`;
  await using home = await tempHome([fixture.provider]);
  const file = path.join(home.home, path.relative(fixture.provider, fixture.path.split("#")[0]!));
  const rand = rng(seed);
  const mutated = mutation.apply(await Deno.readFile(file), rand);
  if (mutated === "directory") {
    await Deno.remove(file);
    await Deno.mkdir(file);
  } else {
    await Deno.writeFile(file, mutated);
  }
  await guard(`${label} list`, counts, () => listSessions(home.ctx));
  // The search index reads the session text-only, leaving tool outputs unparsed.
  if (seed === 1) await guard(`${label} search`, counts, () => searchSessions(home.ctx, "the"));
  const read = await guard(`${label} read`, counts, () => readSession(home.ctx, fixture.sessionId));
  if (read) {
    counts.sessions++;
    counts.warnings += read.warnings.length;
    const targets = PROVIDERS.filter((p) => !p.readOnly).map((p) => p.id)
      .filter((id) => id !== fixture.provider);
    const target = targets[seed % targets.length]!;
    await guard(
      `${label} convert → ${target}`,
      counts,
      () => convertSession(home.ctx, target, fixture.sessionId),
    );
  }
  if (seed === 1) await runInputCases(fixture, file, home.ctx, label, counts);
}

/**
 * The mutated file given the ways a user may mistype a session: its folder,
 * `--source <agent> <file>`, `--source <file>` with an id it does not hold,
 * `-w` at a file, a storage variable pointing at it. Each must work or fail
 * with a CasrError.
 */
async function runInputCases(
  fixture: FixtureEntry,
  file: string,
  ctx: Parameters<typeof listSessions>[0],
  label: string,
  counts: FuzzCounts,
): Promise<void> {
  const target = PROVIDERS.find((p) => !p.readOnly && p.id !== fixture.provider)!.id;
  // Another agent reading the file as its own, a different one from case to case.
  const other = PROVIDERS[label.length % PROVIDERS.length]!.id;
  const cases: [string, () => Promise<unknown>][] = [
    ["its folder", () => resolveSession(ctx, path.dirname(file))],
    ["--source <agent> <file>", () => resolveSession(ctx, file, { source: fixture.provider })],
    [
      `--source ${other} <file>`,
      () => resolveSession(ctx, file, { source: other }),
    ],
    ["--source <file> <wrong id>", () => resolveSession(ctx, "0000zzzz", { source: file })],
    [
      "-w at a file",
      () => convertSession(ctx, target, file, { workspace: file, dryRun: true }),
    ],
    [
      "CODEX_HOME at the file",
      () => listSessions({ ...ctx, env: { ...ctx.env, CODEX_HOME: file } }),
    ],
  ];
  for (const [name, work] of cases) await guard(`${label} ${name}`, counts, work);
}

/**
 * The mutations that fit a fixture's file kind.
 *
 * @param fixture The fixture.
 * @param hugeLineBytes The size of the huge-line case.
 * @returns The mutations.
 */
export function mutationsFor(fixture: FixtureEntry, hugeLineBytes: number): Mutation[] {
  const file = fixture.path.split("#")[0]!;
  return /\.(db|sqlite3?|vscdb)$/.test(file) ? SQLITE_MUTATIONS : textMutations(hugeLineBytes);
}

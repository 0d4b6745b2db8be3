/**
 * Seeded corruption of the SQLite fixtures, row by row (the shared mutation
 * test only mutates text formats): readers and the pipeline either work or
 * fail with a CasrError, never verify-failed or a crash.
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { CasrError } from "../../errors.ts";
import { convertSession } from "../../pipeline/convert.ts";
import { copyTree, ROOT, tempDir } from "../../../tests/fixture_home.ts";
import { cursor } from "./mod.ts";

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ODD: unknown[] = [null, 0, -1, "", "x", [], {}, true, 1e20, "2026-99-99", [null], { a: [] }];

function mutate(value: unknown, rand: () => number, depth = 0): unknown {
  const odd = () => ODD[Math.floor(rand() * ODD.length)];
  if (typeof value === "string" && depth > 0 && /^[[{]/.test(value) && rand() < 0.5) {
    try {
      return JSON.stringify(mutate(JSON.parse(value), rand, depth + 1));
    } catch {
      return odd();
    }
  }
  if (Array.isArray(value)) {
    if (value.length === 0 || rand() < 0.15) return odd();
    const copy = [...value];
    const i = Math.floor(rand() * copy.length);
    if (rand() < 0.3) copy.splice(i, 1);
    else copy[i] = mutate(copy[i], rand, depth + 1);
    return copy;
  }
  if (value !== null && typeof value === "object") {
    const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    const keys = Object.keys(copy);
    if (keys.length === 0 || depth > 6) return odd();
    const key = keys[Math.floor(rand() * keys.length)] as string;
    const roll = rand();
    if (roll < 0.3) delete copy[key];
    else if (roll < 0.5) copy[key] = odd();
    else copy[key] = mutate(copy[key], rand, depth + 1);
    return copy;
  }
  return odd();
}

function corruptRows(
  file: string,
  table: string,
  keyCol: string,
  valueCol: string,
  rand: () => number,
): void {
  const db = new DatabaseSync(file);
  try {
    const rows = db.prepare(`SELECT ${keyCol} AS k, ${valueCol} AS v FROM ${table}`).all() as {
      k: string;
      v: unknown;
    }[];
    const edits = 1 + Math.floor(rand() * 3);
    for (let e = 0; e < edits && rows.length > 0; e++) {
      const row = rows[Math.floor(rand() * rows.length)]!;
      const roll = rand();
      const raw = row.v instanceof Uint8Array
        ? row.v
        : new TextEncoder().encode(String(row.v ?? ""));
      let next: string | Uint8Array | null;
      if (roll < 0.1) {
        db.prepare(`DELETE FROM ${table} WHERE ${keyCol} = ?`).run(row.k);
        continue;
      } else if (roll < 0.2) next = raw.slice(0, Math.floor(rand() * raw.length));
      else if (roll < 0.25) next = null;
      else {
        const text = new TextDecoder().decode(raw);
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        if (json === undefined) {
          const copy = raw.slice();
          if (copy.length > 0) copy[Math.floor(rand() * copy.length)] = Math.floor(rand() * 256);
          next = copy;
        } else next = JSON.stringify(mutate(json, rand));
      }
      db.prepare(`UPDATE ${table} SET ${valueCol} = ? WHERE ${keyCol} = ?`).run(
        next as string,
        row.k,
      );
    }
  } finally {
    db.close();
  }
}

const CASES = [
  {
    label: "desktop state.vscdb",
    id: "7c0d5b1e-3f2a-4c8e-9b6d-1a2b3c4d5e6f",
    file: ".config/Cursor/User/globalStorage/state.vscdb",
    tables: [["cursorDiskKV", "key", "value"], ["ItemTable", "key", "value"]],
  },
  {
    label: "cursor-agent store.db",
    id: "3e9a7f21-5b4c-4d8e-a1f0-6c2b9d8e7a54",
    file:
      ".cursor/chats/f4ecdfb5594c73e34ef1397cec6ccbef/3e9a7f21-5b4c-4d8e-a1f0-6c2b9d8e7a54/store.db",
    tables: [["blobs", "id", "data"], ["meta", "key", "value"]],
  },
];

for (const c of CASES) {
  Deno.test(`cursor ${c.label}: reader and pipeline survive 120 corrupted copies`, async () => {
    const rand = rng(0xc0 + c.label.length);
    const targets = ["claude-code", "codex", "gemini-cli"];
    let converted = 0;
    for (let round = 0; round < 120; round++) {
      await using homeTmp = await tempDir({ prefix: "casr-cursor-robust-" });
      const home = homeTmp.path;
      await copyTree(path.join(ROOT, "fixtures", "cursor"), home);
      const ctx = {
        env: { HOME: home, PATH: "/nonexistent", TZ: "UTC" },
        homeDir: home,
        cwd: home,
      };
      const file = path.join(home, c.file);
      const [table, key, value] = c.tables[round % c.tables.length]!;
      corruptRows(file, table!, key!, value!, rand);
      const where = `round ${round}`;
      try {
        await cursor.read(c.label.startsWith("desktop") ? `${file}#${c.id}` : file, ctx);
        await cursor.list(ctx);
      } catch (error) {
        assert.ok(
          error instanceof CasrError,
          `${where}: read threw ${String(error)}\n${(error as Error).stack}`,
        );
        continue;
      }
      const target = targets[round % targets.length]!;
      try {
        const result = await convertSession(ctx, target, c.id, { source: "cursor", force: true });
        assert.equal(result.verified, true);
        converted++;
      } catch (error) {
        assert.ok(
          error instanceof CasrError,
          `${where}: convert threw ${String(error)}\n${(error as Error).stack}`,
        );
        assert.notEqual(
          error.code,
          "verify-failed",
          `${where}: ${error.message} ${JSON.stringify(error.details)}`,
        );
      }
    }
    assert.ok(converted > 30, `only ${converted} of 120 corrupted chats converted`);
  });
}

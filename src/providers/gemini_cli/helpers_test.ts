// Test helpers for the Gemini CLI provider (named *_test.ts so it is never published).
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import type { ProviderContext } from "../types.ts";

/** The folder of pinned session files captured from the real CLI. */
export const TESTDATA: string = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  "testdata",
);

/** A throwaway home whose Gemini root is `<home>/.gemini` (via GEMINI_CLI_HOME). */
export interface GeminiHome extends AsyncDisposable {
  home: string;
  root: string;
  ctx: ProviderContext;
  /** Writes a file below the Gemini root, creating directories. */
  write(relative: string, data: string): Promise<string>;
}

export async function geminiHome(): Promise<GeminiHome> {
  const home = await Deno.makeTempDir({ prefix: "casr-gemini-" });
  const root = path.join(home, ".gemini");
  return {
    home,
    root,
    ctx: {
      env: { GEMINI_CLI_HOME: home, PATH: "/nonexistent" },
      homeDir: "/nonexistent",
      cwd: home,
    },
    async write(relative, data) {
      const file = path.join(root, relative);
      await Deno.mkdir(path.dirname(file), { recursive: true });
      await Deno.writeTextFile(file, data);
      return file;
    },
    async [Symbol.asyncDispose]() {
      await Deno.remove(home, { recursive: true }).catch(() => {});
    },
  };
}

/** JSONL text of the given records. */
export function jsonl(records: unknown[]): string {
  return records.map((r) => (typeof r === "string" ? r : JSON.stringify(r))).join("\n") + "\n";
}

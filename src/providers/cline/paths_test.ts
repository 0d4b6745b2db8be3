import assert from "node:assert/strict";
import * as path from "node:path";
import type { ProviderContext } from "../types.ts";
import {
  clineCliDirs,
  EDITOR_HOSTS,
  editorUserDir,
  extensionStores,
  storeOfTaskFile,
} from "./paths.ts";
import { CLINE, ROO_CODE, variantOfPath } from "./variants.ts";

const ctx = (env: Record<string, string> = {}): ProviderContext => ({
  env,
  homeDir: "/home/u",
  cwd: "/w",
});

Deno.test("editorUserDir() follows each OS layout", () => {
  const code = EDITOR_HOSTS[0]!;
  assert.equal(editorUserDir(ctx(), code, "linux"), "/home/u/.config/Code/User");
  assert.equal(editorUserDir(ctx({ XDG_CONFIG_HOME: "/x" }), code, "linux"), "/x/Code/User");
  assert.equal(
    editorUserDir(ctx(), code, "darwin"),
    "/home/u/Library/Application Support/Code/User",
  );
  assert.equal(
    editorUserDir(ctx({ APPDATA: "/appdata" }), code, "win32"),
    path.join("/appdata", "Code", "User"),
  );
});

Deno.test("extensionStores() lists every editor, or only the override", () => {
  const stores = extensionStores(ctx(), ROO_CODE, "linux");
  assert.equal(
    stores[0]!.dir,
    "/home/u/.config/Code/User/globalStorage/rooveterinaryinc.roo-cline",
  );
  assert.equal(stores[0]!.vscdb, "/home/u/.config/Code/User/globalStorage/state.vscdb");
  assert.ok(stores.some((s) => s.dir.includes("/Cursor/")));
  assert.ok(stores.some((s) => s.dir.includes("/.vscode-server/")));
  const only = extensionStores(ctx({ CASR_CLINE_STORAGE: "st/cline" }), CLINE, "linux");
  assert.deepEqual(only, [{ dir: "/w/st/cline", vscdb: "/w/st/state.vscdb" }]);
});

Deno.test("clineCliDirs() honours the CLINE_* variables", () => {
  assert.deepEqual(clineCliDirs(ctx()), {
    home: "/home/u/.cline",
    data: "/home/u/.cline/data",
    sessions: "/home/u/.cline/data/sessions",
    db: "/home/u/.cline/data/db",
  });
  const moved = clineCliDirs(ctx({ CLINE_DIR: "/c", CLINE_DB_DATA_DIR: "/db" }));
  assert.equal(moved.sessions, "/c/data/sessions");
  assert.equal(moved.db, "/db");
});

Deno.test("variantOfPath() and storeOfTaskFile() read the layout", () => {
  assert.equal(
    variantOfPath("/a/globalStorage/RooVeterinaryInc.roo-cline/tasks/x")?.id,
    "roo-code",
  );
  assert.equal(variantOfPath("/h/.kilocode/cli/global/tasks/x")?.id, "kilo-code");
  assert.equal(variantOfPath("/h/.cline/data/tasks/1"), undefined);
  assert.equal(storeOfTaskFile("/s/tasks/1/api_conversation_history.json"), "/s");
  assert.equal(storeOfTaskFile("/s/1/api_conversation_history.json"), undefined);
});

import assert from "node:assert/strict";
import { checkRequest } from "./api_rules.ts";
import type { Wire } from "./history.ts";

/**
 * Request logs of real smoke runs: every request a real CLI sent must pass the rules (a rule
 * that refuses a real CLI's own request is wrong). Defaults to the baseline run of 2026-12-06;
 * `CASR_RULES_REQUEST_LOGS` (run directories, `:`-separated) adds others. Skipped when none
 * exists (the logs are artifacts, not checked in). The raw text is re-serialized from the
 * logged body, which keeps lone-surrogate escapes (JSON.stringify escapes them).
 */
const LOG_DIRS = [
  "/work/main/smoke-runs/2026-12-06T04-44-29Z",
  ...(Deno.env.get("CASR_RULES_REQUEST_LOGS") ?? "").split(":").filter((dir) => dir !== ""),
];

async function requestLogs(): Promise<string[]> {
  const files: string[] = [];
  for (const dir of LOG_DIRS) {
    try {
      for await (const cell of Deno.readDir(dir)) {
        const file = `${dir}/${cell.name}/requests.jsonl`;
        if (cell.isDirectory && (await Deno.stat(file).catch(() => undefined)) !== undefined) {
          files.push(file);
        }
      }
    } catch {
      // not on this machine
    }
  }
  return files;
}

const logs = await requestLogs();
Deno.test({
  name: "checkRequest() accepts every request real CLIs sent in the recorded smoke runs",
  ignore: logs.length === 0,
  fn: async () => {
    let checked = 0;
    const problems: string[] = [];
    for (const file of logs) {
      for (const line of (await Deno.readTextFile(file)).split("\n")) {
        if (line === "") continue;
        const entry = JSON.parse(line) as { seq: number; wire?: Wire; body: unknown };
        if (entry.wire === undefined) continue;
        checked += 1;
        const raw = entry.body === null ? "" : JSON.stringify(entry.body);
        for (const v of checkRequest(entry.wire, { body: entry.body, raw, utf8: true })) {
          problems.push(`${file} #${entry.seq}: [${v.rule}] ${v.path}: ${v.message}`);
        }
      }
    }
    assert.ok(checked > 0);
    assert.deepEqual(problems, []);
  },
});

/**
 * A hand-made Claude Code transcript in a temp folder, for the reader tests.
 *
 * @module
 */
import * as path from "node:path";

/** The session id the hand-made transcripts use. */
export const SID = "6f1c2b7e-3a0d-4c1e-9b8f-2d4e5a6b7c8d";

/** Writes the lines as a transcript, runs `fn` on it, removes it. */
export async function withFile(
  lines: (Record<string, unknown> | string)[],
  fn: (file: string) => Promise<void>,
  name = `${SID}.jsonl`,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "casr-cc-reader-" });
  try {
    const file = path.join(dir, name);
    const text = lines.map((l) => (typeof l === "string" ? l : JSON.stringify(l))).join("\n");
    await Deno.writeTextFile(file, text === "" ? "" : text + "\n");
    await fn(file);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

// The example records of the provider doc (§4), verbatim.
export const DOC_EXAMPLE = [
  `{"parentUuid":null,"isSidechain":false,"userType":"external","cwd":"/home/dev/proj","sessionId":"${SID}","version":"2.1.240","gitBranch":"main","type":"user","message":{"role":"user","content":"List the files in src"},"uuid":"0b8e1f7a-1111-4a2b-8c3d-000000000001","timestamp":"2026-08-20T14:03:11.482Z"}`,
  `{"parentUuid":"0b8e1f7a-1111-4a2b-8c3d-000000000001","isSidechain":false,"userType":"external","cwd":"/home/dev/proj","sessionId":"${SID}","version":"2.1.240","gitBranch":"main","type":"assistant","requestId":"req_01ABC","message":{"id":"msg_01XYZ","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[{"type":"tool_use","id":"toolu_01AAA","name":"Bash","input":{"command":"ls src","description":"List src"}}],"stop_reason":"tool_use","stop_sequence":null,"usage":{"input_tokens":12,"output_tokens":30,"cache_creation_input_tokens":0,"cache_read_input_tokens":4000}},"uuid":"0b8e1f7a-1111-4a2b-8c3d-000000000002","timestamp":"2026-08-20T14:03:13.010Z"}`,
  `{"parentUuid":"0b8e1f7a-1111-4a2b-8c3d-000000000002","isSidechain":false,"userType":"external","cwd":"/home/dev/proj","sessionId":"${SID}","version":"2.1.240","gitBranch":"main","type":"user","message":{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_01AAA","content":"main.rs\\nlib.rs","is_error":false}]},"toolUseResult":{"stdout":"main.rs\\nlib.rs","stderr":"","interrupted":false},"uuid":"0b8e1f7a-1111-4a2b-8c3d-000000000003","timestamp":"2026-08-20T14:03:13.400Z"}`,
  `{"parentUuid":"0b8e1f7a-1111-4a2b-8c3d-000000000003","isSidechain":false,"userType":"external","cwd":"/home/dev/proj","sessionId":"${SID}","version":"2.1.240","gitBranch":"main","type":"assistant","message":{"id":"msg_01XZ2","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[{"type":"text","text":"src contains main.rs and lib.rs."}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":40,"output_tokens":12}},"uuid":"0b8e1f7a-1111-4a2b-8c3d-000000000004","timestamp":"2026-08-20T14:03:15.001Z"}`,
  `{"type":"custom-title","customTitle":"List src files (imported from Codex)","sessionId":"${SID}","uuid":"0b8e1f7a-1111-4a2b-8c3d-0000000000ff","timestamp":"2026-08-20T14:03:15.100Z"}`,
  `{"type":"tag","tag":"imported","sessionId":"${SID}"}`,
];

/**
 * The Codex CLI provider: rollouts under `$CODEX_HOME/sessions/YYYY/MM/DD/`
 * (and `archived_sessions/`), plus the `threads` row in `state_5.sqlite`.
 *
 * @module
 */
import { binaryVersion, which } from "../../internal/process.ts";
import { isDir } from "../../internal/fs.ts";
import type { Detection, Provider, ProviderContext } from "../types.ts";
import { claimsRollout } from "./claims.ts";
import { findRollouts, listRollouts } from "./list.ts";
import { codexRoot } from "./paths.ts";
import { readRollout } from "./reader.ts";
import { codexResumeCommand } from "./resume.ts";
import { planRollout } from "./writer.ts";

async function detect(
  ctx: ProviderContext,
  options: { version?: boolean } = {},
): Promise<Detection> {
  const root = codexRoot(ctx);
  const roots = (await isDir(root)) ? [root] : [];
  const binaryPath = await which("codex", ctx.env);
  const detection: Detection = { installed: roots.length > 0 || binaryPath !== undefined, roots };
  if (binaryPath !== undefined) {
    detection.binaryPath = binaryPath;
    if (options.version) {
      const version = await binaryVersion(binaryPath);
      if (version !== undefined) detection.version = version;
    }
  }
  return detection;
}

/** Codex CLI (`codex`), OpenAI's coding agent. */
export const codex: Provider = {
  id: "codex",
  name: "Codex CLI",
  aliases: ["cod", "codex"],
  binary: "codex",
  envVars: ["CODEX_HOME", "CODEX_SQLITE_HOME"],
  roots: (ctx) => [codexRoot(ctx)],
  detect,
  list: listRollouts,
  find: findRollouts,
  claims: claimsRollout,
  read: readRollout,
  plan: planRollout,
  resumeCommand: codexResumeCommand,
};

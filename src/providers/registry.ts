/**
 * The list of providers. Adding a provider = one folder + one line here.
 *
 * @module
 */
import type { Provider } from "./types.ts";
import { aider } from "./aider/mod.ts";
import { amp } from "./amp/mod.ts";
import { claudeCode } from "./claude_code/mod.ts";
import { cline, kiloCode, rooCode } from "./cline/mod.ts";
import { codex } from "./codex/mod.ts";
import { copilotCli } from "./copilot_cli/mod.ts";
import { cursor } from "./cursor/mod.ts";
import { factoryDroid } from "./factory_droid/mod.ts";
import { geminiCli } from "./gemini_cli/mod.ts";
import { kimiCode } from "./kimi_code/mod.ts";
import { kiloCli } from "./kilo_cli/mod.ts";
import { grok } from "./grok/mod.ts";
import { kiro } from "./kiro/mod.ts";
import { opencode } from "./opencode/mod.ts";
import { clawdbot, openclaw } from "./openclaw/mod.ts";
import { pi } from "./pi/mod.ts";
import { qwenCode } from "./qwen_code/mod.ts";
import { antigravity } from "./antigravity/mod.ts";
import { chatgpt } from "./chatgpt/mod.ts";
import { vibe } from "./vibe/mod.ts";

/** Every provider casr knows, in display order. */
export const PROVIDERS: readonly Provider[] = [
  claudeCode,
  codex,
  geminiCli,
  opencode,
  cursor,
  cline,
  rooCode,
  kiloCode,
  kiloCli,
  aider,
  amp,
  qwenCode,
  copilotCli,
  factoryDroid,
  kimiCode,
  pi,
  grok,
  kiro,
  vibe,
  antigravity,
  chatgpt,
  openclaw,
  clawdbot,
];

/**
 * Finds a provider by id, name or alias (case-insensitive).
 *
 * @param name An id such as `claude-code` or an alias such as `cc`.
 * @returns The provider, or `undefined`.
 */
export function getProvider(name: string): Provider | undefined {
  const key = name.trim().toLowerCase();
  return PROVIDERS.find((p) => p.id === key || p.aliases.includes(key));
}

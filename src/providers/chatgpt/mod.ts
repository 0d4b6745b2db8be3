/**
 * The ChatGPT desktop app provider (macOS), read only: plaintext v1
 * conversations in `~/Library/Application Support/com.openai.chat/conversations-<uuid>/`.
 *
 * @module
 */
import * as nodePath from "node:path";
import { installAt } from "../detect.ts";
import { readOnlyPlan } from "../read_only.ts";
import type { Provider, ResumeCommand } from "../types.ts";
import { shellLine } from "../../internal/shell.ts";
import { findChatgptSessions, listChatgptSessions } from "./list.ts";
import { CHATGPT_ENV_VARS, chatgptRoot, conversationDirKind } from "./paths.ts";
import { CHATGPT_ID, readChatgptSession } from "./reader.ts";
import { providerNames } from "../names.ts";

/**
 * Whether a file is a ChatGPT desktop conversation: a `.json` (or encrypted
 * `.data`) file directly in a `conversations-…` folder, or a JSON document
 * that starts like a mapping-tree conversation.
 *
 * @param path The file path.
 * @param head The first few kilobytes.
 * @returns `true` when the ChatGPT reader handles it.
 */
export function claimsChatgptFile(path: string, head: string): boolean {
  const base = nodePath.basename(path);
  const folder = conversationDirKind(nodePath.basename(nodePath.dirname(path)));
  if (folder === "plain" && base.endsWith(".json")) return true;
  if (folder === "encrypted" && (base.endsWith(".data") || base.endsWith(".json"))) return true;
  if (!base.endsWith(".json")) return false;
  return /^\s*\{/.test(head) && /"mapping"\s*:\s*\{/.test(head) &&
    /"(create_time|current_node|conversation_id)"\s*:/.test(head);
}

/**
 * The command that opens a conversation: the local files are a cache of
 * conversations kept on OpenAI's servers, which open by URL.
 *
 * @param session The conversation id.
 * @returns `open "https://chatgpt.com/c/<id>"`, with a note.
 */
export function chatgptResumeCommand(session: { id: string }): ResumeCommand {
  const argv = ["open", `https://chatgpt.com/c/${encodeURIComponent(session.id)}`];
  return {
    argv,
    shell: shellLine(argv),
    note: "Opens the conversation in ChatGPT if it still exists on OpenAI's servers " +
      "(the desktop app's files are only a local cache of it)",
  };
}

/** The ChatGPT desktop provider (a source only). */
export const chatgpt: Provider = {
  ...providerNames(CHATGPT_ID, "ChatGPT", ["gpt"], "ChatGPT"),
  envVars: CHATGPT_ENV_VARS,
  readOnly: true,
  ...installAt((ctx) => [chatgptRoot(ctx)], "ChatGPT"),
  list: listChatgptSessions,
  find: findChatgptSessions,
  claims: claimsChatgptFile,
  read: (path: string) => readChatgptSession(path),
  plan: readOnlyPlan(
    "ChatGPT",
    "its local files are a cache of conversations on OpenAI's servers, and current app " +
      "versions encrypt them",
  ),
  resumeCommand: chatgptResumeCommand,
};

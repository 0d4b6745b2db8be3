/**
 * The Aider provider: sessions are stretches of a project's
 * `.aider.chat.history.md`, split at Aider's `# aider chat started at` run
 * headers (see `markdown.ts` for the grammar, `paths.ts` for where casr looks,
 * `writer.ts` for what a converted session looks like).
 *
 * Aider has no structured tool calls (`toolCallsAsText`): converted calls and
 * results become text in the assistant replies, and verification compares that
 * text form.
 *
 * @module
 */
import * as path from "node:path";
import { detectInstall } from "../detect.ts";
import type { Detection, Provider, ProviderContext } from "../types.ts";
import { exists } from "../../internal/fs.ts";
import { findAider, listAider } from "./list.ts";
import {
  AIDER_CHAT_HISTORY_FILE_ENV,
  aiderStoreDir,
  CASR_AIDER_DIR_ENV,
  CASR_AIDER_PATHS_ENV,
  HISTORY_FILE_NAME,
  historyFiles,
  STORE_SUFFIX,
} from "./paths.ts";
import { readAider } from "./reader.ts";
import { aiderResumeCommand } from "./resume.ts";
import { planAider } from "./writer.ts";
import { providerNames } from "../names.ts";

async function detect(ctx: ProviderContext, options?: { version?: boolean }): Promise<Detection> {
  const dirs: string[] = [aiderStoreDir(ctx)];
  for (const file of await historyFiles(ctx)) {
    if (path.dirname(file) !== dirs[0] && await exists(file)) dirs.push(path.dirname(file));
  }
  return await detectInstall([...new Set(dirs)], "aider", ctx, options);
}

/**
 * Whether a file is an Aider chat history: a `.chat.history.md` name, or a
 * Markdown file whose head has Aider's run header.
 *
 * @param file The path (`<file>#<id>` allowed).
 * @param head The first bytes.
 * @returns `true` for an Aider history.
 */
function claims(file: string, head: string): boolean {
  const name = path.basename(file.replace(/#[A-Za-z0-9_-]+$/, ""));
  if (name === HISTORY_FILE_NAME || name.endsWith(STORE_SUFFIX)) return true;
  if (!/\.(md|markdown)$/i.test(name) && !name.endsWith(".history")) return false;
  return /^\uFEFF?(?:\r?\n)*# aider chat started at \d{4}-\d{2}-\d{2} /.test(head);
}

/** Aider (`aider`), the terminal pair programmer; histories live in each project. */
export const aider: Provider = {
  ...providerNames("aider", "Aider", ["aid", "aider"], "aider"),
  envVars: [AIDER_CHAT_HISTORY_FILE_ENV, CASR_AIDER_PATHS_ENV, CASR_AIDER_DIR_ENV],
  toolCallsAsText: true,
  roots: (ctx) => [aiderStoreDir(ctx)],
  detect,
  list: listAider,
  find: findAider,
  claims,
  read: readAider,
  plan: planAider,
  resumeCommand: aiderResumeCommand,
};

/**
 * The Amp provider (Sourcegraph's agent, CLI `amp`): reads thread documents
 * (`T-<uuid>.json`) from Amp's local-first `threads/` folder, the VS Code
 * extension's `threads3/`, and casr's own folder. Current Amp keeps threads on
 * its server and reads no local file, so the writer writes the thread and a
 * transcript to casr's folder and the resume command starts a NEW Amp thread
 * seeded with the transcript (`writer.ts` says what was tried).
 *
 * @module
 */
import * as path from "node:path";
import { detectInstall } from "../detect.ts";
import type { Detection, Provider, ProviderContext } from "../types.ts";
import { findAmp, listAmp } from "./list.ts";
import {
  AMP_DATA_HOME_ENV,
  ampDataDir,
  CASR_AMP_DIR_ENV,
  casrAmpDir,
  extensionThreadDirs,
  threadIdFromName,
} from "./paths.ts";
import { readAmp } from "./reader.ts";
import { ampResumeCommand } from "./resume.ts";
import { planAmp } from "./writer.ts";
import { providerNames } from "../names.ts";

function detect(ctx: ProviderContext, options?: { version?: boolean }): Promise<Detection> {
  return detectInstall(
    [ampDataDir(ctx), ...extensionThreadDirs(ctx).map((d) => path.dirname(d))],
    "amp",
    ctx,
    options,
  );
}

/**
 * Whether a file is an Amp thread: a `T-….json` name whose head is JSON, or a
 * JSON head with a `T-` id and `created`.
 *
 * @param file The path.
 * @param head The first bytes.
 * @returns `true` for an Amp thread.
 */
function claims(file: string, head: string): boolean {
  const start = head.replace(/^\uFEFF/, "").trimStart();
  if (!start.startsWith("{")) return false;
  if (threadIdFromName(path.basename(file)) !== undefined) return true;
  return /"id"\s*:\s*"T-[A-Za-z0-9-]{8,}"/.test(head) && /"created"\s*:\s*\d/.test(head) &&
    /"messages"\s*:/.test(head);
}

/** Amp (`amp`), Sourcegraph's coding agent. */
export const amp: Provider = {
  ...providerNames("amp", "Amp", ["amp"], "amp"),
  carries: { reasoning: true },
  // Amp runs Claude Sonnet with Anthropic's 200K window.
  contextWindow: {
    window: 200_000,
    reserve: 60_000,
    family: "claude",
    source: "Amp uses Claude Sonnet 4.x (200K tokens)",
  },
  // `amp < <file>`: a new thread whose first message is the file
  startPrompt: {
    via: "stdin",
    note: "Starts a NEW Amp thread with the brief as its first message",
  },
  envVars: [AMP_DATA_HOME_ENV, CASR_AMP_DIR_ENV, "XDG_DATA_HOME"],
  roots: (ctx) => [casrAmpDir(ctx), ampDataDir(ctx), ...extensionThreadDirs(ctx)],
  detect,
  list: listAmp,
  find: findAmp,
  claims,
  read: readAmp,
  plan: planAmp,
  resumeCommand: ampResumeCommand,
};

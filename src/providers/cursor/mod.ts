/**
 * The Cursor provider: the desktop app's chats in `state.vscdb`
 * (`cursorDiskKV` composer and bubble rows plus the sidebar index) and the
 * `cursor-agent` CLI's per-chat `store.db`. Both are read; new chats are
 * written in the desktop format.
 *
 * A desktop chat's path is `<state.vscdb>#<composerId>`.
 *
 * @module
 */
import { CasrError } from "../../errors.ts";
import { exists } from "../../internal/fs.ts";
import { which } from "../../internal/process.ts";
import { detectInstall } from "../detect.ts";
import type {
  Detection,
  PlanWriteOptions,
  Provider,
  ProviderContext,
  WritePlan,
} from "../types.ts";
import type { ReadResult, Session } from "../../model/types.ts";
import { claimsCursorFile } from "./claims.ts";
import { readCliChat } from "./cli_reader.ts";
import { readDesktopChat } from "./desktop_reader.ts";
import { findCursorChats, listCursorChats } from "./list.ts";
import {
  CASR_CURSOR_HOME_ENV,
  cliRoot,
  CURSOR_CONFIG_DIR_ENV,
  desktopDir,
  parseRef,
} from "./paths.ts";
import { cursorResumeCommand } from "./resume.ts";
import { planCursorChat } from "./writer.ts";
import * as path from "node:path";
import { API_TOOL_NAME } from "../../formats/tool_names.ts";
import { providerNames } from "../names.ts";

async function detect(ctx: ProviderContext, options?: { version?: boolean }): Promise<Detection> {
  const detection = await detectInstall(
    [desktopDir(ctx), cliRoot(ctx)],
    "cursor-agent",
    ctx,
    options,
  );
  if (detection.binaryPath === undefined) {
    const desktop = await which("cursor", ctx.env);
    if (desktop !== undefined) {
      detection.binaryPath = desktop;
      detection.installed = true;
    }
  }
  return detection;
}

/**
 * Reads a desktop chat (`<state.vscdb>#<composerId>`, or a `state.vscdb`
 * holding one chat) or a CLI chat (`store.db`).
 */
async function read(file: string, ctx: ProviderContext): Promise<ReadResult> {
  const whole = path.resolve(ctx.cwd, file);
  const ref = (await exists(whole)) ? { file: whole } : parseRef(whole);
  if (!(await exists(ref.file))) {
    throw new CasrError(
      "session-not-found",
      `Cannot read Cursor chat "${file}": "${ref.file}" does not exist`,
      {
        details: { path: ref.file },
      },
    );
  }
  if (ref.id === undefined && path.basename(ref.file) === "store.db") {
    return await readCliChat(ref.file);
  }
  return await readDesktopChat(ref.file, ref.id);
}

function plan(
  session: Session,
  ctx: ProviderContext,
  options: PlanWriteOptions,
): Promise<WritePlan> {
  return planCursorChat(session, ctx, options);
}

/** Cursor (`cursor`), the AI code editor, and its `cursor-agent` CLI. */
export const cursor: Provider = {
  ...providerNames("cursor", "Cursor", ["cur", "cursor"], "cursor-agent"),
  carries: { reasoning: true, toolName: API_TOOL_NAME, toolFamily: "cursor" },
  envVars: [CASR_CURSOR_HOME_ENV, CURSOR_CONFIG_DIR_ENV],
  roots: (ctx) => [desktopDir(ctx), cliRoot(ctx)],
  detect,
  list: listCursorChats,
  find: findCursorChats,
  claims: claimsCursorFile,
  read,
  plan,
  resumeCommand: cursorResumeCommand,
};

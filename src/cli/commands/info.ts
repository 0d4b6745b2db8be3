/**
 * `casr info <session>`: one session's facts, optionally its last messages.
 *
 * @module
 */
import {
  conversationCount,
  type FitReport,
  fitReport,
  type Message,
  readSession,
  type Session,
  type SessionSummary,
  type Warning,
} from "../../../mod.ts";
import { logReadWarnings } from "../logging.ts";
import {
  type AnyCommand,
  type CommandDeps,
  parseNonNegativeInt,
  SOURCE_HELP,
} from "../command_kit.ts";
import type { Styles } from "../io.ts";
import { formatCount, formatSize, formatTime, oneLine } from "../render.ts";
import { warningLines } from "../warnings.ts";

/** The JSON form of `info`. */
export interface InfoJson {
  /** The session without message bodies. */
  session: Omit<Session, "messages"> & {
    /** Conversation messages (user, assistant, tool), as `list` and the resume line count them. */
    messageCount: number;
    /** Every message by role, system notes and other records included. */
    roles: Record<string, number>;
  };
  /** The file size. */
  sizeBytes?: number;
  /** The last N messages, with `--peek`. */
  messages?: Omit<Message, "extra">[];
  /** Reader warnings. */
  warnings: Warning[];
  /** How to resume it in its own agent. */
  resume: { cwd?: string; argv: string[]; shell: string };
  /** Its estimated tokens, and how it fits each agent casr can write. */
  fit?: FitReport;
}

/**
 * Builds the JSON view.
 *
 * @param session The session.
 * @param summary Its listing entry.
 * @param warnings Reader warnings.
 * @param resume Its own resume command.
 * @param peek How many trailing messages to include (0 for none).
 * @returns The JSON object.
 */
export function infoJson(
  session: Session,
  summary: SessionSummary,
  warnings: Warning[],
  resume: InfoJson["resume"],
  peek: number,
): InfoJson {
  const { messages, ...rest } = session;
  const roles: Record<string, number> = {};
  for (const m of messages) roles[m.role] = (roles[m.role] ?? 0) + 1;
  const out: InfoJson = {
    session: { ...rest, messageCount: conversationCount(messages), roles },
    warnings,
    resume,
  };
  if (summary.sizeBytes !== undefined) out.sizeBytes = summary.sizeBytes;
  if (peek > 0) {
    out.messages = messages.slice(-peek).map(({ extra: _extra, ...m }) => m);
  }
  return out;
}

/**
 * Renders `info` for people.
 *
 * @param info The JSON view.
 * @param s Styles.
 * @returns The text.
 */
export function renderInfo(info: InfoJson, s: Styles): string {
  const x = info.session;
  const conversation = ["user", "assistant", "tool"];
  const roleText = Object.entries(x.roles).filter(([r]) => conversation.includes(r))
    .map(([r, n]) => `${n} ${r}`).join(", ");
  const others = Object.entries(x.roles).filter(([r]) => !conversation.includes(r))
    .map(([r, n]) => `${n} ${r}`).join(", ");
  const lines = [
    `${s.bold("Session")}    ${x.id}`,
    `${s.bold("Provider")}   ${x.provider}`,
    `${s.bold("Title")}      ${oneLine(x.title ?? "-", 100)}`,
    `${s.bold("Workspace")}  ${x.workspace ?? "-"}`,
    `${s.bold("Started")}    ${utcTime(x.startedAt)}`,
    `${s.bold("Ended")}      ${utcTime(x.endedAt)}`,
    `${s.bold("Model")}      ${x.model ?? "-"}`,
    `${s.bold("Messages")}   ${x.messageCount} (${roleText || "none"}${
      others === "" ? "" : `; also ${others}`
    })`,
    `${s.bold("File")}       ${x.sourcePath ?? "-"} (${formatSize(info.sizeBytes)})`,
    ...(info.fit === undefined ? [] : fitLines(info.fit, s)),
    `${s.bold("Resume")}     ${info.resume.shell}`,
  ];
  for (const line of warningLines(info.warnings, x.sourcePath)) {
    lines.push(`${s.yellow("warning:")} ${line}`);
  }
  if (info.messages) {
    lines.push("");
    for (const m of info.messages) lines.push(...renderMessage(m, s));
  }
  return lines.join("\n") + "\n";
}

/** A time as `YYYY-MM-DD HH:MM UTC`, or `-` when the session records none. */
function utcTime(ms: number | undefined): string {
  return ms === undefined ? "-" : `${formatTime(ms)} UTC`;
}

function renderMessage(m: Omit<Message, "extra">, s: Styles): string[] {
  const head = `${s.cyan(`#${m.index} ${m.role}`)}${
    m.timestamp === undefined ? "" : s.dim(` ${formatTime(m.timestamp)}`)
  }`;
  const out = [head];
  if (m.text.trim() !== "") out.push(...m.text.trimEnd().split("\n").map((l) => `  ${l}`));
  for (const c of m.toolCalls) {
    out.push(`  ${s.yellow("→ tool")} ${c.name} ${oneLine(JSON.stringify(c.input) ?? "", 100)}`);
  }
  for (const r of m.toolResults) {
    out.push(`  ${s.yellow(r.isError ? "← error" : "← result")} ${oneLine(r.output, 100)}`);
  }
  return out;
}

/** The tokens line and, per target it does not fit, what the default budget would cut. */
function fitLines(fit: FitReport, s: Styles): string[] {
  const over = fit.targets.filter((t) => !t.fits);
  const lines = [
    `${s.bold("Tokens")}     ~${formatCount(fit.tokens)} (estimated); ${
      over.length === 0
        ? "fits every agent casr writes"
        : `fits ${fit.targets.length - over.length} of ${fit.targets.length} agents casr writes`
    }`,
  ];
  for (const t of over) {
    const cut = t.cut;
    const parts: string[] = [];
    if (cut?.toolOutputsElided) {
      parts.push(`${formatCount(cut.toolOutputsElided, "tool output")} cut short`);
    }
    if (cut?.reasoningDropped) {
      parts.push(`reasoning of ${formatCount(cut.reasoningDropped, "message")}`);
    }
    if (cut?.exchangesDropped) {
      parts.push(
        `the oldest ${formatCount(cut.exchangesDropped, "exchange")} (${
          formatCount(cut.userMessagesDropped, "prompt")
        })`,
      );
    }
    lines.push(
      `  ${s.yellow(t.target)}: ~${formatCount(t.tokens)} of a ${
        formatCount(t.budget)
      }-token budget; a resume there drops ${parts.join(", ") || "nothing it can"}${
        cut?.overBudget ? " and is still over" : ""
      }`,
    );
  }
  return lines;
}

/**
 * Adds `info` to the program.
 *
 * @param program The program.
 * @param deps IO, context, outcome and log.
 */
export function registerInfo(program: AnyCommand, deps: CommandDeps): void {
  const { ctxFor, setOutcome, log } = deps;
  program
    .command("info")
    .description("show one session: provider, workspace, times, message counts")
    .argument("<session>", "session id, unique id prefix, or path to a session file")
    .option("-s, --source <agent|file>", SOURCE_HELP)
    .option("--peek [n]", "also show the last n messages (default 5)")
    .action(async (session, flags) => {
      let peek = 0;
      if (flags.peek === true) peek = 5;
      else if (typeof flags.peek === "string") peek = parseNonNegativeInt("--peek")(flags.peek);
      const found = await readSession(
        ctxFor(),
        session,
        flags.source === undefined ? { cache: true } : { source: flags.source, cache: true },
      );
      logReadWarnings(log, `${found.provider.id} ${found.summary.path}`, found.warnings);
      const resumeFor: { id: string; workspace?: string; path?: string; title?: string } = {
        id: found.session.id,
        path: found.summary.path,
      };
      if (found.session.workspace !== undefined) resumeFor.workspace = found.session.workspace;
      const title = found.session.title ?? found.summary.title;
      if (title !== undefined) resumeFor.title = title;
      const view = infoJson(
        found.session,
        found.summary,
        found.warnings,
        found.provider.resumeCommand(resumeFor),
        peek,
      );
      view.fit = fitReport(found.session);
      setOutcome({
        command: "info",
        json: view as unknown as Record<string, unknown>,
        human: (s) => renderInfo(view, s),
      });
    });
}

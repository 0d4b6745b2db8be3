/**
 * Readable transcripts of a canonical session: Markdown, self-contained HTML, JSON.
 *
 * @module
 */
import type { Message, Session } from "../model/types.ts";
import { clipText } from "../model/normalize.ts";

/** The transcript formats. */
export const EXPORT_FORMATS = ["md", "html", "json"] as const;

/** A transcript format. */
export type ExportFormat = typeof EXPORT_FORMATS[number];

const ROLE_LABEL: Record<Message["role"], string> = {
  user: "User",
  assistant: "Assistant",
  tool: "Tool results",
  system: "System",
  other: "Note",
};

function iso(ms: number | undefined): string {
  return ms === undefined ? "" : new Date(ms).toISOString().replace(".000Z", "Z");
}

/** A code fence longer than any run of backticks in `text`, so the text cannot close it. */
function fence(text: string): string {
  const longest = Math.max(2, ...Array.from(text.matchAll(/`+/g), (m) => m[0].length));
  return "`".repeat(longest + 1);
}

function codeBlock(text: string, lang = ""): string {
  const f = fence(text);
  return `${f}${lang}\n${text}\n${f}`;
}

function inputText(input: unknown): string {
  return typeof input === "string" ? input : JSON.stringify(input, null, 2) ?? "";
}

function callSummary(name: string, input: unknown): string {
  const obj = typeof input === "object" && input !== null ? input as Record<string, unknown> : {};
  const hint = typeof input === "string"
    ? input
    : [obj.command, obj.cmd, obj.file_path, obj.path, obj.pattern, obj.query]
      .find((v) => typeof v === "string" || Array.isArray(v));
  const text = Array.isArray(hint) ? hint.join(" ") : typeof hint === "string" ? hint : "";
  const flat = text.replace(/\s+/g, " ").trim();
  return flat === "" ? name : `${name}: ${clipText(flat, 80)}`;
}

/**
 * Renders a session as Markdown: a header, then each message with its role and
 * time; tool calls are collapsed `<details>` blocks holding the input and the
 * result. Fences grow to outlast any backticks in the content.
 *
 * @param session The session.
 * @returns Markdown text.
 */
export function toMarkdown(session: Session): string {
  const results = resultsByCall(session);
  const out: string[] = [`# ${escapeMdLine(session.title ?? `Session ${session.id}`)}`, ""];
  out.push(`- Agent: ${session.provider}`);
  out.push(`- Session: \`${session.id}\``);
  if (session.workspace) out.push(`- Workspace: \`${session.workspace}\``);
  if (session.startedAt) out.push(`- Started: ${iso(session.startedAt)}`);
  if (session.model) out.push(`- Model: ${session.model}`);
  out.push("");
  for (const m of session.messages) {
    if (m.role === "tool") continue; // shown with their calls
    if (m.role === "system" || m.role === "other") continue;
    if (m.text.trim() === "" && m.toolCalls.length === 0) continue;
    out.push(`## ${ROLE_LABEL[m.role]}${m.timestamp ? ` · ${iso(m.timestamp)}` : ""}`, "");
    if (m.text.trim() !== "") out.push(m.role === "user" ? codeBlock(m.text, "text") : m.text, "");
    for (const call of m.toolCalls) {
      const result = results.get(call.id);
      out.push(
        `<details><summary>${escapeHtml(callSummary(call.name, call.input))}${
          result?.isError ? " (error)" : ""
        }</summary>`,
        "",
      );
      out.push(codeBlock(inputText(call.input), typeof call.input === "string" ? "" : "json"), "");
      if (result) out.push("Result:", "", codeBlock(result.output), "");
      out.push("</details>", "");
    }
  }
  return out.join("\n").replace(/\n{3,}/g, "\n\n");
}

function escapeMdLine(text: string): string {
  return text.replace(/\s+/g, " ").replace(/([\\`*_[\]#<>])/g, "\\$1");
}

/**
 * Escapes text for HTML content and attribute values.
 *
 * @param text The text.
 * @returns The escaped text.
 */
export function escapeHtml(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;").replaceAll("'", "&#39;");
}

function resultsByCall(session: Session): Map<string, { output: string; isError: boolean }> {
  const map = new Map<string, { output: string; isError: boolean }>();
  for (const m of session.messages) {
    for (const r of m.toolResults) map.set(r.callId, { output: r.output, isError: r.isError });
  }
  return map;
}

const STYLE = `
body{font:15px/1.5 system-ui,sans-serif;max-width:860px;margin:2rem auto;padding:0 1rem;color:#1d1d1f;background:#fff}
header{border-bottom:1px solid #ddd;margin-bottom:1rem}h1{font-size:1.4rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;font-size:.9rem}dt{color:#666}
.msg{border-radius:10px;padding:.6rem .9rem;margin:.8rem 0}.user{background:#eef4ff}.assistant{background:#f6f6f6}
.role{font-weight:600;font-size:.85rem;color:#444}.time{font-weight:400;color:#888;margin-left:.5rem}
.text{white-space:pre-wrap;word-wrap:break-word}pre{background:#111;color:#eee;padding:.6rem;border-radius:6px;overflow:auto;white-space:pre-wrap}
details{margin:.4rem 0;border:1px solid #ddd;border-radius:6px;padding:.3rem .6rem;background:#fff}
summary{cursor:pointer;font-family:ui-monospace,monospace;font-size:.85rem}.error summary{color:#b00020}
@media (prefers-color-scheme:dark){body{background:#111;color:#eee}.user{background:#1b2a44}.assistant{background:#222}details{background:#181818;border-color:#333}}
`;

/**
 * Renders a session as one self-contained HTML page (inline CSS, no scripts, no
 * external resources); every piece of session text is escaped.
 *
 * @param session The session.
 * @returns The HTML document.
 */
export function toHtml(session: Session): string {
  const results = resultsByCall(session);
  const title = escapeHtml(session.title ?? `Session ${session.id}`);
  const facts: [string, string | undefined][] = [
    ["Agent", session.provider],
    ["Session", session.id],
    ["Workspace", session.workspace],
    ["Started", session.startedAt ? iso(session.startedAt) : undefined],
    ["Model", session.model],
  ];
  const body: string[] = [];
  for (const m of session.messages) {
    if (m.role !== "user" && m.role !== "assistant") continue;
    if (m.text.trim() === "" && m.toolCalls.length === 0) continue;
    const parts = [
      `<div class="role">${ROLE_LABEL[m.role]}${
        m.timestamp ? `<span class="time">${iso(m.timestamp)}</span>` : ""
      }</div>`,
    ];
    if (m.text.trim() !== "") parts.push(`<div class="text">${escapeHtml(m.text)}</div>`);
    for (const call of m.toolCalls) {
      const result = results.get(call.id);
      parts.push(
        `<details${result?.isError ? ' class="error"' : ""}><summary>${
          escapeHtml(callSummary(call.name, call.input))
        }${result?.isError ? " (error)" : ""}</summary><pre>${
          escapeHtml(inputText(call.input))
        }</pre>${
          result ? `<div>Result</div><pre>${escapeHtml(result.output)}</pre>` : ""
        }</details>`,
      );
    }
    body.push(`<section class="msg ${m.role}">${parts.join("")}</section>`);
  }
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="generator" content="casr">
<title>${title}</title><style>${STYLE}</style></head>
<body><header><h1>${title}</h1><dl>${
    facts.filter(([, v]) => v !== undefined).map(([k, v]) =>
      `<dt>${k}</dt><dd>${escapeHtml(String(v))}</dd>`
    ).join("")
  }</dl></header>
<main>
${body.join("\n")}
</main></body></html>
`;
}

/**
 * Renders a session in one of the transcript formats.
 *
 * @param session The session.
 * @param format `md`, `html` or `json` (the canonical session without raw records).
 * @returns The transcript.
 *
 * @example Markdown
 * ```ts
 * import { renderTranscript } from "@casr/core";
 * import assert from "node:assert/strict";
 *
 * const md = renderTranscript({
 *   id: "s1", provider: "codex", metadata: {}, title: "Demo",
 *   messages: [{ index: 0, role: "user", text: "hi", toolCalls: [], toolResults: [] }],
 * }, "md");
 * assert.match(md, /^# Demo/);
 * ```
 */
export function renderTranscript(session: Session, format: ExportFormat): string {
  if (format === "md") return toMarkdown(session);
  if (format === "html") return toHtml(session);
  const { messages, ...rest } = session;
  return JSON.stringify(
    { ...rest, messages: messages.map(({ extra: _extra, ...m }) => m) },
    null,
    2,
  ) + "\n";
}

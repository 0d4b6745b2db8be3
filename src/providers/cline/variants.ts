/**
 * The three members of the Cline family and what tells them apart: the VS Code
 * extension id (its `globalStorage` folder and `state.vscdb` key), how the task
 * history index is kept, and how the first prompt is wrapped.
 *
 * All three keep the same task folder (`tasks/<id>/api_conversation_history.json`,
 * `ui_messages.json`, `task_metadata.json`); Cline's CLI 3.x (and the "Next"
 * bundle of the 4.x extension) has its own SDK store, handled in `sdk_store.ts`.
 *
 * @module
 */

/** Which member of the family. */
export type VariantId = "cline" | "roo-code" | "kilo-code";

/** One member of the family. */
export interface Variant {
  /** The casr provider id. */
  id: VariantId;
  /** The human name. */
  name: string;
  /** The VS Code extension id as published (the `state.vscdb` key, matched case-insensitively). */
  extensionId: string;
  /** The casr variable that points at the extension storage folder itself. */
  storageEnv: string;
  /**
   * How the writer indexes a new task so the History view lists it:
   * `taskHistory.json` (Cline ≥ 3.28), `history_item.json` (Roo ≥ 3.49) or
   * the `taskHistory` array inside `state.vscdb` (Kilo Code legacy, Cline ≤ 3.27, Roo ≤ 3.48).
   */
  index: "task-history-json" | "history-item" | "global-state";
  /** The tag the first API user message wraps the prompt in. */
  promptTag: "task" | "user_message";
  /** The ui_messages `say` kind of the first row. */
  firstSay: "task" | "text";
}

/** Cline (`saoudrizwan.claude-dev`). */
export const CLINE: Variant = {
  id: "cline",
  name: "Cline",
  extensionId: "saoudrizwan.claude-dev",
  storageEnv: "CASR_CLINE_STORAGE",
  index: "task-history-json",
  promptTag: "task",
  firstSay: "task",
};

/** Roo Code (`RooVeterinaryInc.roo-cline`). */
export const ROO_CODE: Variant = {
  id: "roo-code",
  name: "Roo Code",
  extensionId: "RooVeterinaryInc.roo-cline",
  storageEnv: "CASR_ROO_STORAGE",
  index: "history-item",
  promptTag: "user_message",
  firstSay: "text",
};

/** Kilo Code legacy extension 4.x/5.x (`kilocode.kilo-code`). */
export const KILO_CODE: Variant = {
  id: "kilo-code",
  name: "Kilo Code",
  extensionId: "kilocode.kilo-code",
  storageEnv: "CASR_KILO_STORAGE",
  index: "global-state",
  promptTag: "task",
  firstSay: "text",
};

/** Every variant, in registry order. */
export const VARIANTS: readonly Variant[] = [CLINE, ROO_CODE, KILO_CODE];

/**
 * The variant whose storage a path lies in, from the folder names on the way
 * (`saoudrizwan.claude-dev`, `rooveterinaryinc.roo-cline`, `kilocode.kilo-code`,
 * `.kilocode`); `undefined` when the path names none of them.
 *
 * @param file A path inside some storage.
 * @returns The variant, or `undefined`.
 */
export function variantOfPath(file: string): Variant | undefined {
  const parts = file.replaceAll("\\", "/").toLowerCase().split("/");
  for (const part of parts) {
    if (part === "saoudrizwan.claude-dev") return CLINE;
    if (part === "rooveterinaryinc.roo-cline") return ROO_CODE;
    if (part === "kilocode.kilo-code" || part === ".kilocode") return KILO_CODE;
  }
  return undefined;
}

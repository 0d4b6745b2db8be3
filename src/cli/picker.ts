/**
 * The session picker of `casr <target> resume` on a terminal: type to filter,
 * arrows to move, a preview of the selected session's last turns, Enter to
 * choose. The state, the keys and the frame are pure functions; `pick` is the
 * thin loop that ties them to a terminal.
 *
 * @module
 */
import { formatCount, oneLine, relativeTime } from "./render.ts";

/** One session the picker offers. */
export interface PickerItem {
  /** The session id. */
  id: string;
  /** Its agent's id. */
  provider: string;
  /** Its title, if any. */
  title?: string | undefined;
  /** Its working directory, if known. */
  workspace?: string | undefined;
  /** Last activity, epoch ms. */
  lastActiveAt?: number | undefined;
}

/** What the picker shows and where it stands. */
export interface PickerState {
  /** Every item, newest first. */
  items: readonly PickerItem[];
  /** The filter typed so far. */
  query: string;
  /** Positions in `items` of the items the filter keeps, in order. */
  matches: number[];
  /** The selected row among `matches`. */
  selected: number;
  /** The first row shown. */
  top: number;
}

/** A key press, decoded. */
export type PickerKey =
  | { kind: "char"; text: string }
  | {
    kind:
      | "up"
      | "down"
      | "pageup"
      | "pagedown"
      | "home"
      | "end"
      | "backspace"
      | "clear"
      | "enter"
      | "cancel";
  };

/** Folds case and accents, so `resume` matches `Résumé`. */
export function fold(text: string): string {
  return text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
}

/**
 * Whether an item matches a filter: every word of the filter appears in its
 * title, agent, id or workspace (case and accents folded).
 *
 * @param item The item.
 * @param query The filter.
 * @returns Whether it is kept.
 */
export function matchesQuery(item: PickerItem, query: string): boolean {
  const words = fold(query).split(/\s+/).filter((w) => w !== "");
  if (words.length === 0) return true;
  const hay = fold([item.title ?? "", item.provider, item.id, item.workspace ?? ""].join(" "));
  return words.every((w) => hay.includes(w));
}

/**
 * The picker's first state.
 *
 * @param items The sessions, newest first.
 * @returns The state: no filter, the first item selected.
 */
export function initialState(items: readonly PickerItem[]): PickerState {
  return { items, query: "", matches: items.map((_, i) => i), selected: 0, top: 0 };
}

/**
 * The state after a key.
 *
 * @param state The state before.
 * @param key The key.
 * @param rows How many list rows the frame shows (for paging and scrolling).
 * @returns The new state, and `done` when the key chose or cancelled.
 */
export function pickerStep(
  state: PickerState,
  key: PickerKey,
  rows: number,
): { state: PickerState; done?: "pick" | "cancel" } {
  const page = Math.max(1, rows);
  const last = state.matches.length - 1;
  let { query, selected } = state;
  switch (key.kind) {
    case "enter":
      return state.matches.length > 0 ? { state, done: "pick" } : { state };
    case "cancel":
      return { state, done: "cancel" };
    case "up":
      selected = Math.max(0, selected - 1);
      break;
    case "down":
      selected = Math.min(last, selected + 1);
      break;
    case "pageup":
      selected = Math.max(0, selected - page);
      break;
    case "pagedown":
      selected = Math.min(last, selected + page);
      break;
    case "home":
      selected = 0;
      break;
    case "end":
      selected = last;
      break;
    case "backspace":
      query = [...query].slice(0, -1).join("");
      break;
    case "clear":
      query = "";
      break;
    case "char":
      query += key.text;
      break;
  }
  let matches = state.matches;
  if (query !== state.query) {
    matches = state.items.flatMap((item, i) => matchesQuery(item, query) ? [i] : []);
    selected = 0;
  }
  selected = Math.max(0, Math.min(selected, matches.length - 1));
  let top = query !== state.query ? 0 : state.top;
  if (selected < top) top = selected;
  if (selected >= top + page) top = selected - page + 1;
  return { state: { ...state, query, matches, selected: Math.max(0, selected), top } };
}

/**
 * Decodes what a terminal sent into keys: arrows, paging, Home and End in
 * their common escape forms, Backspace, Ctrl-U (clear), Enter, Esc and Ctrl-C
 * (cancel), and printable text.
 *
 * @param chunk The bytes read, as text.
 * @returns The keys, in order.
 */
export function parseKeys(chunk: string): PickerKey[] {
  const keys: PickerKey[] = [];
  const sequences: [string, PickerKey][] = [
    ["\x1b[A", { kind: "up" }],
    ["\x1bOA", { kind: "up" }],
    ["\x1b[B", { kind: "down" }],
    ["\x1bOB", { kind: "down" }],
    ["\x1b[5~", { kind: "pageup" }],
    ["\x1b[6~", { kind: "pagedown" }],
    ["\x1b[H", { kind: "home" }],
    ["\x1b[1~", { kind: "home" }],
    ["\x1bOH", { kind: "home" }],
    ["\x1b[F", { kind: "end" }],
    ["\x1b[4~", { kind: "end" }],
    ["\x1bOF", { kind: "end" }],
  ];
  let i = 0;
  outer: while (i < chunk.length) {
    for (const [seq, key] of sequences) {
      if (chunk.startsWith(seq, i)) {
        keys.push(key);
        i += seq.length;
        continue outer;
      }
    }
    const c = chunk[i] as string;
    if (c === "\x1b") {
      // A lone Esc cancels; an unknown sequence (ESC [ … letter) is skipped.
      // deno-lint-ignore no-control-regex -- terminal escape sequences are control characters
      const rest = /^\x1b\[[0-9;]*[A-Za-z~]/.exec(chunk.slice(i));
      if (rest) i += rest[0].length;
      else {
        keys.push({ kind: "cancel" });
        i++;
      }
      continue;
    }
    i++;
    if (c === "\r" || c === "\n") keys.push({ kind: "enter" });
    else if (c === "\x03" || c === "\x04") keys.push({ kind: "cancel" });
    else if (c === "\x7f" || c === "\b") keys.push({ kind: "backspace" });
    else if (c === "\x15") keys.push({ kind: "clear" });
    else if (c === "\x10") keys.push({ kind: "up" });
    else if (c === "\x0e") keys.push({ kind: "down" });
    else if (c >= " ") {
      const last = keys.at(-1);
      if (last?.kind === "char") last.text += c;
      else keys.push({ kind: "char", text: c });
    }
  }
  return keys;
}

/** What a frame needs besides the state. */
export interface FrameOptions {
  /** Terminal width. */
  columns: number;
  /** List rows to show. */
  rows: number;
  /** "Now", for relative times. */
  now: number;
  /** The first line, e.g. `Resume in Claude Code`. */
  heading: string;
  /** The selected session's last turns, when known. */
  preview?: readonly string[] | undefined;
  /** Inverse video for the selected row (identity without colour). */
  inverse?: (text: string) => string;
  /** Dim text (identity without colour). */
  dim?: (text: string) => string;
}

function fit(text: string, width: number): string {
  // deno-lint-ignore no-control-regex -- a title's control characters must not reach the terminal
  const chars = [...text.replace(/[\x00-\x1f\x7f]/g, " ")];
  if (chars.length <= width) return chars.join("");
  return chars.slice(0, Math.max(0, width - 1)).join("") + "…";
}

/**
 * Renders the picker as lines: heading, filter, the visible rows, a count,
 * and the preview.
 *
 * @param state The state.
 * @param options Size, time, heading, preview and styles.
 * @returns The lines, each at most `columns` wide.
 */
export function renderFrame(state: PickerState, options: FrameOptions): string[] {
  const width = Math.max(20, options.columns);
  const inverse = options.inverse ?? ((t: string) => t);
  const dim = options.dim ?? ((t: string) => t);
  const lines = [
    fit(`${options.heading}: type to filter, ↑/↓ to move, Enter to convert, Esc to cancel`, width),
    `> ${state.query}`,
  ];
  const agentWidth = Math.max(5, ...state.items.map((i) => i.provider.length));
  for (let row = 0; row < options.rows; row++) {
    const at = state.top + row;
    const index = state.matches[at];
    if (index === undefined) {
      lines.push("");
      continue;
    }
    const item = state.items[index] as PickerItem;
    const folder = item.workspace?.split(/[\\/]/).filter((p) => p !== "").at(-1);
    const text = fit(
      `${item.provider.padEnd(agentWidth)}  ${
        relativeTime(item.lastActiveAt, options.now).padEnd(8)
      }  ${oneLine(item.title ?? "(untitled)", width)}${folder ? `  (${folder})` : ""}`,
      width - 2,
    );
    lines.push(at === state.selected ? inverse(`> ${text}`) : `  ${text}`);
  }
  const shown = state.matches.length;
  lines.push(
    dim(
      fit(
        shown === state.items.length
          ? formatCount(shown, "session")
          : `${formatCount(shown)} of ${formatCount(state.items.length)} sessions ${
            shown === 1 ? "matches" : "match"
          }`,
        width,
      ),
    ),
  );
  if (options.preview !== undefined) {
    lines.push(dim("─".repeat(Math.min(width, 60))));
    for (const line of options.preview) lines.push(fit(line, width));
  }
  return lines;
}

/** A terminal the picker can drive. */
export interface PickerTerminal {
  /** Reads key presses until the callback returns `true`; restores the terminal. */
  keys(onChunk: (chunk: string) => boolean): Promise<void>;
  /** Writes to the terminal. */
  write(text: string): void;
  /** Its width. */
  columns: number;
  /** Its height. */
  rows: number;
}

/** Options for {@linkcode pick}. */
export interface PickOptions {
  /** The heading, e.g. `Resume in Claude Code`. */
  heading: string;
  /** Loads the last turns of a session, as preview lines. */
  preview: (item: PickerItem) => Promise<string[]>;
  /** Inverse video. */
  inverse?: (text: string) => string;
  /** Dim text. */
  dim?: (text: string) => string;
  /** "Now", for relative times. */
  now?: number;
}

/**
 * Runs the picker on a terminal until the user chooses or cancels.
 *
 * @param items The sessions, newest first.
 * @param terminal The terminal.
 * @param options Heading, preview loader and styles.
 * @returns The chosen session, or `undefined` when cancelled.
 */
export async function pick(
  items: readonly PickerItem[],
  terminal: PickerTerminal,
  options: PickOptions,
): Promise<PickerItem | undefined> {
  const previewRows = 6;
  const rows = Math.max(3, Math.min(items.length, terminal.rows - previewRows - 5));
  let state = initialState(items);
  let chosen: PickerItem | undefined;
  const previews = new Map<string, string[]>();
  let closed = false;
  const draw = (): void => {
    // A preview that arrives after the picker closed must not draw over the screen.
    if (closed) return;
    const index = state.matches[state.selected];
    const item = index === undefined ? undefined : items[index];
    const key = item === undefined ? "" : `${item.provider}:${item.id}`;
    let preview: string[] | undefined;
    if (item !== undefined) {
      preview = previews.get(key);
      if (preview === undefined) {
        preview = ["(loading the last turns…)"];
        previews.set(key, preview);
        options.preview(item).then(
          (lines) => previews.set(key, lines.slice(-previewRows)),
          (error) => previews.set(key, [`(cannot preview: ${error?.message ?? error})`]),
        ).finally(draw);
      }
    }
    const frame = renderFrame(state, {
      columns: terminal.columns,
      rows,
      now: options.now ?? Date.now(),
      heading: options.heading,
      preview,
      ...(options.inverse === undefined ? {} : { inverse: options.inverse }),
      ...(options.dim === undefined ? {} : { dim: options.dim }),
    });
    // Home, clear the screen below, and draw.
    terminal.write(`\x1b[H\x1b[J${frame.join("\r\n")}`);
  };
  terminal.write("\x1b[?1049h\x1b[?25l");
  try {
    draw();
    await terminal.keys((chunk) => {
      for (const key of parseKeys(chunk)) {
        const step = pickerStep(state, key, rows);
        state = step.state;
        if (step.done === "pick") {
          chosen = items[state.matches[state.selected] as number];
          return true;
        }
        if (step.done === "cancel") return true;
      }
      draw();
      return false;
    });
  } finally {
    closed = true;
    terminal.write("\x1b[?25h\x1b[?1049l");
  }
  return chosen;
}

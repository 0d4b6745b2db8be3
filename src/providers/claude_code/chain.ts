/**
 * Rebuilding the visible conversation of a Claude Code transcript from its
 * `uuid` / `parentUuid` links (pure; works on parsed records).
 *
 * @module
 */
import { isRecord } from "../../internal/jsonl.ts";

/** A parsed transcript line with its position. */
export interface TranscriptRecord {
  /** The record object. */
  value: Record<string, unknown>;
  /** Position among the file's records (0-based, file order). */
  order: number;
  /** 1-based line number in the file. */
  line: number;
}

/** The record types that take part in the `parentUuid` chain. */
export const CHAIN_TYPES: ReadonlySet<string> = new Set([
  "user",
  "assistant",
  "system",
  "progress",
  "attachment",
]);

/** How the conversation order was decided. */
export type ChainMode = "chain" | "file-order";

/** The records that make up the visible conversation, in order. */
export interface ConversationRecords {
  /** The records in conversation order (user, assistant, system and chain links). */
  records: TranscriptRecord[];
  /** `chain` when rebuilt from `parentUuid` links; `file-order` when the file has none. */
  mode: ChainMode;
  /** The `uuid` of the leaf the chain was walked from, in `chain` mode. */
  leafUuid?: string;
  /** Chain-type records that were not on the chosen chain (rewound branches, pre-compaction). */
  offChain: number;
  /**
   * Records recovered from sibling branches of parallel tool calls: `tool_use` records of a
   * reply on the chain, and tool results answering a call on the chain.
   */
  recovered: number;
  /**
   * The records a compaction kept from before its boundary (`compactMetadata.preservedSegment`
   * or `preservedMessages`), relinked after the summary as Claude Code does on resume.
   */
  preserved: number;
  /** The `uuid`s of those preserved records. */
  preservedUuids: ReadonlySet<string>;
  /**
   * Where the chain breaks off: its first record names a parent that is not in
   * the file (and is no compaction boundary, whose parent is `null`), with how
   * many main-line user and assistant records are therefore left out.
   */
  broken?: { parent: string; line: number; leftOut: number };
}

function uuidOf(record: TranscriptRecord): string | undefined {
  const uuid = record.value.uuid;
  return typeof uuid === "string" && uuid !== "" ? uuid : undefined;
}

function parentOf(record: TranscriptRecord): string | undefined {
  const parent = record.value.parentUuid;
  return typeof parent === "string" && parent !== "" ? parent : undefined;
}

/**
 * A record of a type casr does not read that still carries the chain's links
 * (`uuid` and `parentUuid`), as a newer Claude Code's record types might: the
 * chain is walked through it, so the conversation before it is not cut off.
 */
function isLink(record: TranscriptRecord): boolean {
  const type = record.value.type;
  return typeof type === "string" && !CHAIN_TYPES.has(type) && uuidOf(record) !== undefined &&
    "parentUuid" in record.value;
}

function isConversation(record: TranscriptRecord): boolean {
  return record.value.type === "user" || record.value.type === "assistant";
}

function isMainLine(record: TranscriptRecord): boolean {
  const v = record.value;
  return v.isSidechain !== true && !v.teamName && v.isMeta !== true;
}

function contentBlocks(record: TranscriptRecord): Record<string, unknown>[] {
  const message = record.value.message;
  if (!isRecord(message) || !Array.isArray(message.content)) return [];
  return message.content.filter(isRecord);
}

function toolUseIds(record: TranscriptRecord): string[] {
  if (record.value.type !== "assistant") return [];
  return contentBlocks(record)
    .filter((b) => b.type === "tool_use" && typeof b.id === "string")
    .map((b) => b.id as string);
}

function toolResultIds(record: TranscriptRecord): string[] {
  if (record.value.type !== "user") return [];
  return contentBlocks(record)
    .filter((b) => b.type === "tool_result" && typeof b.tool_use_id === "string")
    .map((b) => b.tool_use_id as string);
}

/**
 * Picks the records of the visible conversation.
 *
 * With `parentUuid` links (the normal case): terminal records (no child)
 * are walked up to their nearest user/assistant record; among those leaves,
 * main-line ones (not sidechain, team or meta) are preferred, and the latest
 * in file order wins; the chain from that leaf to its root is the
 * conversation. A compaction boundary has `parentUuid: null`, so only
 * post-boundary records are on the chain. Claude Code 2.1.x hangs the
 * results of parallel tool calls off different branches (each result's
 * parent is its own `tool_use` record, and the next turn continues from the
 * result written last, which may answer the FIRST call): assistant records
 * off the chain that share `message.id` with a reply on it are spliced back
 * after that reply, then results whose `tool_use` is on the chain but which
 * are themselves off it, as the CLI does when it resumes.
 *
 * Without any link (hand-written or legacy files), or when three or more
 * main-line user and assistant records have no parent and the chain holds
 * fewer than half of them (see `manyRoots`), every record is taken in file
 * order.
 *
 * @param all Every parsed record, in file order.
 * @returns The conversation records and how they were chosen.
 */
export function conversationRecords(all: readonly TranscriptRecord[]): ConversationRecords {
  const chainable = all.filter((r) =>
    typeof r.value.type === "string" && CHAIN_TYPES.has(r.value.type)
  );
  const unrelinked = all.filter((r) =>
    (uuidOf(r) !== undefined && CHAIN_TYPES.has(r.value.type as string)) || isLink(r)
  );
  if (!unrelinked.some((r) => parentOf(r) !== undefined)) {
    return fileOrder(chainable);
  }
  const { records: linked, preserved } = relinkPreserved(unrelinked);

  const byUuid = new Map<string, TranscriptRecord>();
  for (const record of linked) byUuid.set(uuidOf(record) as string, record);
  const parents = new Set<string>();
  for (const record of linked) {
    const parent = parentOf(record);
    if (parent !== undefined) parents.add(parent);
  }

  const leaves: TranscriptRecord[] = [];
  for (const terminal of linked) {
    if (parents.has(uuidOf(terminal) as string)) continue;
    const seen = new Set<string>();
    let current: TranscriptRecord | undefined = terminal;
    while (current !== undefined) {
      const uuid = uuidOf(current) as string;
      if (seen.has(uuid)) break;
      seen.add(uuid);
      if (isConversation(current)) {
        leaves.push(current);
        break;
      }
      const parent = parentOf(current);
      current = parent === undefined ? undefined : byUuid.get(parent);
    }
  }
  if (leaves.length === 0) return fileOrder(chainable);
  const main = leaves.filter(isMainLine);
  const pool = main.length > 0 ? main : leaves;
  const leaf = pool.reduce((best, r) => (r.order > best.order ? r : best));

  const chain: TranscriptRecord[] = [];
  const onChain = new Set<string>();
  let current: TranscriptRecord | undefined = leaf;
  let missing: string | undefined;
  while (current !== undefined) {
    const uuid = uuidOf(current) as string;
    if (onChain.has(uuid)) break;
    onChain.add(uuid);
    chain.push(current);
    const parent = parentOf(current);
    current = parent === undefined ? undefined : byUuid.get(parent);
    if (parent !== undefined && current === undefined) missing = parent;
  }
  chain.reverse();
  if (manyRoots(linked, onChain)) return fileOrder(chainable);

  const sidechain = leaf.value.isSidechain === true;
  const siblings = recoverReplySiblings(chain, linked, onChain, sidechain);
  const results = recoverParallelResults(siblings.records, linked, onChain, sidechain);
  const read = (r: TranscriptRecord): boolean => CHAIN_TYPES.has(r.value.type as string);
  const offChain = linked.filter((r) => read(r) && !onChain.has(uuidOf(r) as string)).length -
    results.count;
  const out: ConversationRecords = {
    records: results.records.filter(read),
    mode: "chain",
    leafUuid: uuidOf(leaf) as string,
    offChain,
    recovered: siblings.count + results.count,
    preserved: preserved.filter((uuid) => onChain.has(uuid)).length,
    preservedUuids: new Set(preserved.filter((uuid) => onChain.has(uuid))),
  };
  if (missing !== undefined) {
    const kept = new Set(out.records);
    const leftOut = linked.filter((r) => isConversation(r) && isMainLine(r) && !kept.has(r))
      .length;
    out.broken = { parent: missing, line: (chain[0] as TranscriptRecord).line, leftOut };
  }
  return out;
}

/**
 * Whether the links cannot be the conversation's: three or more of the main
 * line's user and assistant records start a chain of their own (a transcript
 * has one such root, its first prompt, besides the summaries that follow
 * compaction boundaries), and the chain walked holds fewer than half of them
 * (written by hand or by another tool). The file is then read in file order.
 */
function manyRoots(linked: readonly TranscriptRecord[], onChain: ReadonlySet<string>): boolean {
  let roots = 0;
  let main = 0;
  let walked = 0;
  let afterBoundary = false;
  for (const r of linked) {
    const boundary = r.value.type === "system" && r.value.subtype === "compact_boundary";
    if (isConversation(r) && isMainLine(r)) {
      main++;
      if (onChain.has(uuidOf(r) as string)) walked++;
      if (parentOf(r) === undefined && !afterBoundary && r.value.isCompactSummary !== true) roots++;
    }
    afterBoundary = boundary;
  }
  return roots >= 3 && walked * 2 < main;
}

function fileOrder(records: TranscriptRecord[]): ConversationRecords {
  return {
    records,
    mode: "file-order",
    offChain: 0,
    recovered: 0,
    preserved: 0,
    preservedUuids: new Set(),
  };
}

/** The uuids a compaction boundary keeps from before it, and the record they follow. */
function preservedOf(
  boundary: Record<string, unknown>,
  byUuid: ReadonlyMap<string, TranscriptRecord>,
): { anchor: string; uuids: string[] } | undefined {
  const meta = boundary.compactMetadata;
  if (!isRecord(meta)) return undefined;
  const listed = meta.preservedMessages;
  if (
    isRecord(listed) && typeof listed.anchorUuid === "string" && Array.isArray(listed.uuids) &&
    listed.uuids.length > 0 && listed.uuids.every((u) => typeof u === "string" && byUuid.has(u))
  ) {
    return { anchor: listed.anchorUuid, uuids: listed.uuids as string[] };
  }
  const segment = meta.preservedSegment;
  if (
    !isRecord(segment) || typeof segment.anchorUuid !== "string" ||
    typeof segment.headUuid !== "string" || typeof segment.tailUuid !== "string"
  ) return undefined;
  // Walk from the tail up to the head.
  const uuids: string[] = [];
  const seen = new Set<string>();
  let current = byUuid.get(segment.tailUuid);
  while (current !== undefined) {
    const uuid = uuidOf(current) as string;
    if (seen.has(uuid)) return undefined;
    seen.add(uuid);
    uuids.push(uuid);
    if (uuid === segment.headUuid) return { anchor: segment.anchorUuid, uuids: uuids.reverse() };
    const parent = parentOf(current);
    current = parent === undefined ? undefined : byUuid.get(parent);
  }
  return undefined;
}

/**
 * Relinks the records the LAST compaction boundary preserved from before it, the
 * way Claude Code 2.1.x does when it loads a transcript: the first preserved
 * record follows the anchor (the compact summary), each preserved record the one
 * before it, and the records written after the compaction that hang off the
 * anchor follow the last preserved record. So after `/compact` the model gets the
 * summary, then the kept reply, then the later turns.
 */
function relinkPreserved(
  linked: TranscriptRecord[],
): { records: TranscriptRecord[]; preserved: string[] } {
  const boundary = linked.findLast((r) =>
    r.value.type === "system" && r.value.subtype === "compact_boundary"
  );
  if (boundary === undefined) return { records: linked, preserved: [] };
  const byUuid = new Map<string, TranscriptRecord>();
  for (const record of linked) byUuid.set(uuidOf(record) as string, record);
  const kept = preservedOf(boundary.value, byUuid);
  if (kept === undefined || !byUuid.has(kept.anchor)) return { records: linked, preserved: [] };
  const newParent = new Map<string, string>();
  kept.uuids.forEach((uuid, i) => {
    newParent.set(uuid, i === 0 ? kept.anchor : kept.uuids[i - 1] as string);
  });
  const last = kept.uuids.at(-1) as string;
  const inSegment = new Set(kept.uuids);
  for (const record of linked) {
    const uuid = uuidOf(record) as string;
    if (parentOf(record) === kept.anchor && !inSegment.has(uuid)) newParent.set(uuid, last);
  }
  const records = linked.map((record) => {
    const parent = newParent.get(uuidOf(record) as string);
    return parent === undefined || parent === parentOf(record)
      ? record
      : { ...record, value: { ...record.value, parentUuid: parent } };
  });
  return { records, preserved: kept.uuids };
}

/**
 * Splices back the `tool_use` records of a reply on the chain that hang off a
 * sibling branch (same `message.id`), after the reply's last record on the
 * chain, in file order.
 */
function recoverReplySiblings(
  chain: TranscriptRecord[],
  linked: readonly TranscriptRecord[],
  onChain: Set<string>,
  sidechain: boolean,
): { records: TranscriptRecord[]; count: number } {
  const replyEnd = new Map<string, number>();
  chain.forEach((record, i) => {
    const id = record.value.type === "assistant" ? replyId(record) : undefined;
    if (id !== undefined) replyEnd.set(id, i);
  });
  const inserts = new Map<number, TranscriptRecord[]>();
  let count = 0;
  for (const record of linked) {
    const uuid = uuidOf(record) as string;
    if (onChain.has(uuid) || record.value.type !== "assistant") continue;
    if (!sidechain && record.value.isSidechain === true) continue;
    const id = replyId(record);
    const at = id === undefined ? undefined : replyEnd.get(id);
    if (at === undefined || toolUseIds(record).length === 0) continue;
    insertAfter(inserts, at, record);
    onChain.add(uuid);
    count++;
  }
  return { records: count === 0 ? chain : spliced(chain, inserts), count };
}

function recoverParallelResults(
  chain: TranscriptRecord[],
  linked: readonly TranscriptRecord[],
  onChain: ReadonlySet<string>,
  sidechain: boolean,
): { records: TranscriptRecord[]; count: number } {
  const callPosition = new Map<string, number>();
  const answered = new Set<string>();
  chain.forEach((record, i) => {
    for (const id of toolUseIds(record)) callPosition.set(id, i);
    for (const id of toolResultIds(record)) answered.add(id);
  });
  // Splice point: after the last chain record of the reply that made the call.
  const inserts = new Map<number, TranscriptRecord[]>();
  let count = 0;
  for (const record of linked) {
    if (onChain.has(uuidOf(record) as string)) continue;
    if (!sidechain && record.value.isSidechain === true) continue;
    const ids = toolResultIds(record).filter((id) => callPosition.has(id) && !answered.has(id));
    if (ids.length === 0) continue;
    let at = Math.max(...ids.map((id) => callPosition.get(id) as number));
    const messageId = replyId(chain[at]);
    while (
      at + 1 < chain.length && chain[at + 1]?.value.type === "assistant" &&
      messageId !== undefined && replyId(chain[at + 1]) === messageId
    ) at++;
    for (const id of ids) answered.add(id);
    insertAfter(inserts, at, record);
    count++;
  }
  return { records: count === 0 ? chain : spliced(chain, inserts), count };
}

/** Records to put after chain positions: adds one after position `at`. */
function insertAfter(
  inserts: Map<number, TranscriptRecord[]>,
  at: number,
  record: TranscriptRecord,
): void {
  const list = inserts.get(at) ?? [];
  list.push(record);
  inserts.set(at, list);
}

/** The chain with each position's inserted records right after it. */
function spliced(
  chain: readonly TranscriptRecord[],
  inserts: ReadonlyMap<number, readonly TranscriptRecord[]>,
): TranscriptRecord[] {
  const out: TranscriptRecord[] = [];
  chain.forEach((record, i) => {
    out.push(record);
    for (const extra of inserts.get(i) ?? []) out.push(extra);
  });
  return out;
}

function replyId(record: TranscriptRecord | undefined): string | undefined {
  const message = record?.value.message;
  return isRecord(message) && typeof message.id === "string" ? message.id : undefined;
}

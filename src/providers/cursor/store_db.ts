/**
 * The `cursor-agent` CLI's per-chat `store.db`: table `meta` (key `'0'` =
 * hex-encoded JSON: `agentId`, `latestRootBlobId`, `name`, `createdAt`,
 * `lastUsedModel`…) and table `blobs` (content-addressed by SHA-256). The root
 * blob is protobuf: field 1 repeats the 32-byte ids of the message blobs in
 * order, field 9 holds the workspace `file://` URI. Message blobs are JSON in
 * the Vercel AI SDK shape.
 *
 * @module
 */
import type { SqliteDatabase } from "../../internal/sqlite.ts";
import { asRecord, valueText } from "./db.ts";

/** One field of a protobuf message. */
export interface ProtoField {
  /** The field number. */
  field: number;
  /** The wire type (0 varint, 1 fixed64, 2 bytes, 5 fixed32). */
  wire: number;
  /** The bytes of a length-delimited field. */
  bytes?: Uint8Array;
  /** The value of a varint field. */
  varint?: number;
}

/**
 * Parses the top level of a protobuf message leniently.
 *
 * @param data The bytes.
 * @returns The fields, or `undefined` when the bytes are not protobuf.
 */
export function parseProto(data: Uint8Array): ProtoField[] | undefined {
  const out: ProtoField[] = [];
  let i = 0;
  const varint = (): number | undefined => {
    let result = 0;
    let scale = 1;
    for (let n = 0; n < 10; n++) {
      if (i >= data.length) return undefined;
      const b = data[i++] as number;
      result += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) return result;
      scale *= 128;
    }
    return undefined;
  };
  while (i < data.length) {
    const key = varint();
    if (key === undefined) return undefined;
    const field = Math.floor(key / 8);
    const wire = key % 8;
    if (field === 0) return undefined;
    if (wire === 0) {
      const v = varint();
      if (v === undefined) return undefined;
      out.push({ field, wire, varint: v });
    } else if (wire === 2) {
      const len = varint();
      if (len === undefined || i + len > data.length) return undefined;
      out.push({ field, wire, bytes: data.subarray(i, i + len) });
      i += len;
    } else if (wire === 1 || wire === 5) {
      const size = wire === 1 ? 8 : 4;
      if (i + size > data.length) return undefined;
      out.push({ field, wire, bytes: data.subarray(i, i + size) });
      i += size;
    } else {
      return undefined;
    }
  }
  return out;
}

/** Encodes one varint. */
function encodeVarint(value: number): number[] {
  const out: number[] = [];
  let v = value;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return out;
}

/**
 * Encodes length-delimited protobuf fields.
 *
 * @param fields Field number and bytes, in order.
 * @returns The message bytes.
 */
export function encodeProto(fields: readonly { field: number; bytes: Uint8Array }[]): Uint8Array {
  const parts: number[] = [];
  for (const { field, bytes } of fields) {
    parts.push(...encodeVarint(field * 8 + 2), ...encodeVarint(bytes.length), ...bytes);
  }
  return Uint8Array.from(parts);
}

/** Lowercase hex of bytes. */
export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Bytes of a hex string, or `undefined` when it is not hex. */
export function fromHex(hex: string): Uint8Array | undefined {
  const clean = hex.trim();
  if (clean.length % 2 !== 0 || !/^[0-9a-f]*$/i.test(clean)) return undefined;
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** A blob's bytes: BLOB as is, TEXT as UTF-8 (or decimal CSV, as some dumps show them). */
export function blobBytes(value: unknown): Uint8Array | undefined {
  if (value instanceof Uint8Array) return value;
  if (typeof value !== "string") return undefined;
  if (/^\d{1,3}(,\d{1,3})+$/.test(value.trim())) {
    return Uint8Array.from(value.trim().split(",").map(Number));
  }
  return new TextEncoder().encode(value);
}

/**
 * The chat's meta row: key `'0'`, hex-encoded JSON (plain JSON accepted).
 *
 * @param db The store.
 * @returns The meta object, or `undefined`.
 */
export function readMeta(db: SqliteDatabase): Record<string, unknown> | undefined {
  let raw: unknown;
  try {
    raw = db.prepare("SELECT value FROM meta WHERE key = '0'").all()[0]?.value;
  } catch {
    return undefined;
  }
  const text = valueText(raw)?.trim();
  if (text === undefined || text === "") return undefined;
  const bytes = fromHex(text);
  const json = bytes === undefined ? text : new TextDecoder().decode(bytes);
  try {
    return asRecord(JSON.parse(json));
  } catch {
    return undefined;
  }
}

/**
 * Reads one blob.
 *
 * @param db The store.
 * @param id The blob id (hex SHA-256).
 * @returns The bytes, or `undefined` when absent.
 */
export function readBlob(db: SqliteDatabase, id: string): Uint8Array | undefined {
  try {
    return blobBytes(db.prepare("SELECT data FROM blobs WHERE id = ?").all(id)[0]?.data);
  } catch {
    return undefined;
  }
}

/** Parses bytes as a JSON object, or `undefined`. */
export function jsonObject(bytes: Uint8Array): Record<string, unknown> | undefined {
  const first = bytes.findIndex((b) => b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09);
  if (first === -1 || bytes[first] !== 0x7b) return undefined;
  try {
    return asRecord(JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes)));
  } catch {
    return undefined;
  }
}

/** What the root blob says. */
export interface RootInfo {
  /** The message blob ids, in conversation order. */
  messageIds: string[];
  /** The workspace URI (field 9). */
  workspaceUri?: string;
}

/**
 * Walks the DAG from the root: field-1 ids of 32 bytes are messages; an id
 * whose blob is protobuf rather than JSON is a subtree node and is walked too.
 *
 * @param db The store.
 * @param rootId The root blob id.
 * @returns The message ids in order and the workspace URI, or `undefined` when the root is unreadable.
 */
export function walkRoot(db: SqliteDatabase, rootId: string): RootInfo | undefined {
  const rootBytes = readBlob(db, rootId);
  if (rootBytes === undefined) return undefined;
  const rootFields = parseProto(rootBytes);
  if (rootFields === undefined) return undefined;
  const info: RootInfo = { messageIds: [] };
  const seen = new Set<string>([rootId]);
  const walk = (fields: ProtoField[], depth: number): void => {
    for (const f of fields) {
      if (f.wire !== 2 || f.bytes === undefined) continue;
      if (f.field === 9 && depth === 0 && info.workspaceUri === undefined) {
        info.workspaceUri = new TextDecoder().decode(f.bytes);
      }
      if (f.field !== 1 || f.bytes.length !== 32) continue;
      const id = toHex(f.bytes);
      if (seen.has(id)) continue;
      seen.add(id);
      const blob = readBlob(db, id);
      if (blob !== undefined && jsonObject(blob) === undefined && depth < 8) {
        const nested = parseProto(blob);
        if (nested !== undefined && nested.some((n) => n.field === 1 && n.bytes?.length === 32)) {
          walk(nested, depth + 1);
          continue;
        }
      }
      info.messageIds.push(id);
    }
  };
  walk(rootFields, 0);
  return info;
}

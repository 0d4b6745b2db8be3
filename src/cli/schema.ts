/**
 * The `--json` output contract, checked before anything is printed.
 *
 * Every object has `schema_version` and `ok`. Success adds `command` and the
 * command's fields; failure adds `error: { code, message, details }`.
 *
 * @module
 */
import * as z from "zod/mini";
import en from "zod/v4/locales/en.js";
import { WARNING_CODES } from "../../mod.ts";

const location = z.object({
  provider: z.string(),
  sessionId: z.string(),
  path: z.string(),
  workspace: z.optional(z.string()),
  messageCount: z.optional(z.int()),
});

const warning = z.object({
  code: z.enum(WARNING_CODES),
  message: z.string(),
  line: z.optional(z.number()),
});

const resumeCommand = z.object({
  cwd: z.optional(z.string()),
  argv: z.array(z.string()).check(z.minLength(1)),
  shell: z.string(),
  note: z.optional(z.string()),
});

/** The schema of one listed session (a row of `list --json`). */
export const SUMMARY_SCHEMA = z.object({
  id: z.string(),
  provider: z.string(),
  title: z.optional(z.string()),
  workspace: z.optional(z.string()),
  startedAt: z.optional(z.number()),
  lastActiveAt: z.optional(z.number()),
  messageCount: z.optional(z.number()),
  tokens: z.optional(z.int().check(z.nonnegative())),
  tokensEstimated: z.optional(z.boolean()),
  sizeBytes: z.optional(z.number()),
  path: z.string(),
});

const budget = z.object({
  window: z.int(),
  estimator: z.string(),
  maxContextTokens: z.int().check(z.nonnegative()),
  maxToolOutput: z.int().check(z.nonnegative()),
  tokensBefore: z.int().check(z.nonnegative()),
  tokensAfter: z.int().check(z.nonnegative()),
  toolOutputsElided: z.int().check(z.nonnegative()),
  charactersElided: z.int().check(z.nonnegative()),
  reasoningDropped: z.int().check(z.nonnegative()),
  exchangesDropped: z.int().check(z.nonnegative()),
  messagesDropped: z.int().check(z.nonnegative()),
  userMessagesDropped: z.int().check(z.nonnegative()),
  toolCallsDropped: z.int().check(z.nonnegative()),
  overBudget: z.boolean(),
});

const base = { schema_version: z.literal(1), ok: z.literal(true) };

// zod/mini (a small fraction of zod's size to load) has no messages of its own:
// the English ones name what was expected.
z.config(en());

/** Per-command schemas of successful `--json` output. */
export const OUTPUT_SCHEMAS: Record<string, z.ZodMiniType<unknown>> = {
  resume: z.object({
    ...base,
    command: z.literal("resume"),
    source: location,
    target: location,
    files: z.array(z.string()),
    effects: z.array(z.string()),
    resume: resumeCommand,
    warnings: z.array(warning),
    dryRun: z.boolean(),
    sameProvider: z.boolean(),
    verified: z.boolean(),
    backupPath: z.optional(z.string()),
    update: z.optional(z.object({
      kind: z.enum(["updated", "unchanged", "replaced"]),
      previousMessages: z.int().check(z.nonnegative()),
      ownMessages: z.optional(z.int().check(z.nonnegative())),
    })),
    budget: z.optional(budget),
  }),
  list: z.object({
    ...base,
    command: z.literal("list"),
    total: z.int(),
    count: z.int(),
    sessions: z.array(SUMMARY_SCHEMA),
    problems: z.array(z.object({
      code: z.string(),
      message: z.string(),
      paths: z.array(z.string()),
    })),
  }),
  search: z.object({
    ...base,
    command: z.literal("search"),
    query: z.string(),
    total: z.int().check(z.nonnegative()),
    results: z.array(z.object({
      provider: z.string(),
      id: z.string(),
      path: z.string(),
      title: z.optional(z.string()),
      workspace: z.optional(z.string()),
      startedAt: z.optional(z.number()),
      lastActiveAt: z.optional(z.number()),
      score: z.number(),
      field: z.enum(["title", "user", "assistant", "tool"]),
      snippet: z.string(),
      highlights: z.array(z.tuple([z.int(), z.int()])),
    })),
    index: z.object({
      sessions: z.int().check(z.nonnegative()),
      read: z.int().check(z.nonnegative()),
      removed: z.int().check(z.nonnegative()),
      rebuilt: z.boolean(),
    }),
  }),
  info: z.object({
    ...base,
    command: z.literal("info"),
    session: z.looseObject({
      id: z.string(),
      provider: z.string(),
      messageCount: z.int(),
      roles: z.record(z.string(), z.number()),
    }),
    sizeBytes: z.optional(z.number()),
    messages: z.optional(z.array(
      z.looseObject({ index: z.number(), role: z.string(), text: z.string() }),
    )),
    warnings: z.array(warning),
    resume: resumeCommand,
    fit: z.optional(z.object({
      tokens: z.int().check(z.nonnegative()),
      estimator: z.literal("heuristic"),
      targets: z.array(z.object({
        target: z.string(),
        window: z.int().check(z.positive()),
        budget: z.int().check(z.nonnegative()),
        tokens: z.int().check(z.nonnegative()),
        fits: z.boolean(),
        cut: z.optional(z.looseObject({})),
      })),
    })),
  }),
  providers: z.object({
    ...base,
    command: z.literal("providers"),
    providers: z.array(
      z.looseObject({
        id: z.string(),
        name: z.string(),
        aliases: z.array(z.string()),
        roots: z.array(z.string()),
        canWrite: z.boolean(),
        carries: z.object({
          images: z.boolean(),
          reasoning: z.boolean(),
          toolNames: z.optional(z.string()),
          toolFamily: z.optional(z.string()),
        }),
        detection: z.looseObject({ installed: z.boolean(), roots: z.array(z.string()) }),
      }),
    ),
  }),
  export: z.union([
    z.object({
      ...base,
      command: z.literal("export"),
      provider: z.string(),
      sessionId: z.string(),
      format: z.enum(["md", "html", "json"]),
      bytes: z.int(),
      path: z.optional(z.string()),
      content: z.optional(z.string()),
    }),
    z.object({
      ...base,
      command: z.literal("export"),
      outDir: z.string(),
      format: z.enum(["md", "html", "json"]),
      sessions: z.int().check(z.nonnegative()),
      index: z.optional(z.string()),
      failed: z.array(z.object({
        provider: z.string(),
        id: z.string(),
        path: z.string(),
        message: z.string(),
      })),
    }),
  ]),
  handoff: z.object({
    ...base,
    command: z.literal("handoff"),
    source: location,
    target: z.string(),
    path: z.string(),
    bytes: z.int().check(z.nonnegative()),
    content: z.optional(z.string()),
    start: resumeCommand,
    newSession: z.literal(true),
    warnings: z.array(warning),
    dryRun: z.boolean(),
  }),
  completions: z.object({
    ...base,
    command: z.literal("completions"),
    shell: z.enum(["bash", "zsh", "fish"]),
    script: z.string(),
  }),
};

/** The schema of every `--json` error. */
export const ERROR_SCHEMA: z.ZodMiniType<unknown> = z.object({
  schema_version: z.literal(1),
  ok: z.literal(false),
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.record(z.string(), z.unknown()),
  }),
});

/**
 * Checks a `--json` object against its schema.
 *
 * @param value The object about to be printed.
 * @returns Problems as strings; empty when it conforms.
 */
export function outputProblems(value: Record<string, unknown>): string[] {
  const schema = value.ok === false ? ERROR_SCHEMA : OUTPUT_SCHEMAS[String(value.command)];
  if (!schema) return [`unknown command "${String(value.command)}"`];
  // A list of thousands of sessions: rows that all pass the plain check are
  // what zod accepts too, so zod checks the rest; any other row, zod checks all.
  const rows = value.command === "list" ? value.sessions : undefined;
  const checked = Array.isArray(rows) && ROW_OK !== undefined && rows.every(ROW_OK)
    ? { ...value, sessions: [] }
    : value;
  const result = schema.safeParse(checked);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
}

/** A value check in plain code. */
type Check = (value: unknown) => boolean;

/**
 * The check of a schema in plain code, for the few kinds a listed session is
 * made of: strings, booleans, numbers (integers, at least 0), optional ones,
 * and objects of them (other keys allowed). `undefined` for any other schema, or
 * check, so that a schema changed beyond these is always checked by zod.
 *
 * @param schema A zod/mini schema.
 * @returns The check, accepting exactly what the schema accepts, or `undefined`.
 */
export function plainCheck(schema: z.ZodMiniType): Check | undefined {
  const def = schema._zod.def as unknown as {
    type: string;
    checks?: { _zod: { def: { check: string; value?: unknown; inclusive?: boolean } } }[];
    format?: string;
    innerType?: z.ZodMiniType;
    shape?: Record<string, z.ZodMiniType>;
    catchall?: unknown;
  };
  const checks = def.checks ?? [];
  switch (def.type) {
    case "string":
      return checks.length === 0 ? (v) => typeof v === "string" : undefined;
    case "boolean":
      return (v) => typeof v === "boolean";
    case "number": {
      if (def.format !== undefined && def.format !== "safeint") return undefined;
      const integer = def.format === "safeint";
      let atLeastZero = false;
      for (const c of checks) {
        const d = c._zod.def;
        if (d.check !== "greater_than" || d.value !== 0 || d.inclusive !== true) return undefined;
        atLeastZero = true;
      }
      return (v) =>
        typeof v === "number" && Number.isFinite(v) && (!integer || Number.isSafeInteger(v)) &&
        (!atLeastZero || v >= 0);
    }
    case "optional": {
      const inner = def.innerType === undefined ? undefined : plainCheck(def.innerType);
      return inner === undefined ? undefined : (v) => v === undefined || inner(v);
    }
    case "object": {
      if (def.catchall !== undefined || def.shape === undefined || checks.length > 0) {
        return undefined;
      }
      const fields: [string, Check][] = [];
      for (const [key, field] of Object.entries(def.shape)) {
        const check = plainCheck(field);
        if (check === undefined) return undefined;
        fields.push([key, check]);
      }
      return (v) => {
        if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
        const record = v as Record<string, unknown>;
        for (const [key, check] of fields) if (!check(record[key])) return false;
        return true;
      };
    }
  }
  return undefined;
}

const ROW_OK: Check | undefined = plainCheck(SUMMARY_SCHEMA);

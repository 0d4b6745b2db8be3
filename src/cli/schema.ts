/**
 * The `--json` output contract, checked before anything is printed.
 *
 * Every object has `schema_version` and `ok`. Success adds `command` and the
 * command's fields; failure adds `error: { code, message, details }`.
 *
 * @module
 */
import { z } from "zod";
import { WARNING_CODES } from "../../mod.ts";

const location = z.object({
  provider: z.string(),
  sessionId: z.string(),
  path: z.string(),
  workspace: z.string().optional(),
  messageCount: z.number().int().optional(),
});

const warning = z.object({
  code: z.enum(WARNING_CODES),
  message: z.string(),
  line: z.number().optional(),
});

const resumeCommand = z.object({
  cwd: z.string().optional(),
  argv: z.array(z.string()).min(1),
  shell: z.string(),
  note: z.string().optional(),
});

const summary = z.object({
  id: z.string(),
  provider: z.string(),
  title: z.string().optional(),
  workspace: z.string().optional(),
  startedAt: z.number().optional(),
  lastActiveAt: z.number().optional(),
  messageCount: z.number().optional(),
  tokens: z.number().int().nonnegative().optional(),
  tokensEstimated: z.boolean().optional(),
  sizeBytes: z.number().optional(),
  path: z.string(),
});

const budget = z.object({
  window: z.number().int(),
  estimator: z.string(),
  maxContextTokens: z.number().int().nonnegative(),
  maxToolOutput: z.number().int().nonnegative(),
  tokensBefore: z.number().int().nonnegative(),
  tokensAfter: z.number().int().nonnegative(),
  toolOutputsElided: z.number().int().nonnegative(),
  charactersElided: z.number().int().nonnegative(),
  reasoningDropped: z.number().int().nonnegative(),
  exchangesDropped: z.number().int().nonnegative(),
  messagesDropped: z.number().int().nonnegative(),
  userMessagesDropped: z.number().int().nonnegative(),
  toolCallsDropped: z.number().int().nonnegative(),
  overBudget: z.boolean(),
});

const base = { schema_version: z.literal(1), ok: z.literal(true) };

/** Per-command schemas of successful `--json` output. */
export const OUTPUT_SCHEMAS: Record<string, z.ZodType<unknown>> = {
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
    backupPath: z.string().optional(),
    update: z.object({
      kind: z.enum(["updated", "unchanged", "replaced"]),
      previousMessages: z.number().int().nonnegative(),
      ownMessages: z.number().int().nonnegative().optional(),
    }).optional(),
    budget: budget.optional(),
  }),
  list: z.object({
    ...base,
    command: z.literal("list"),
    total: z.number().int(),
    count: z.number().int(),
    sessions: z.array(summary),
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
    total: z.number().int().nonnegative(),
    results: z.array(z.object({
      provider: z.string(),
      id: z.string(),
      path: z.string(),
      title: z.string().optional(),
      workspace: z.string().optional(),
      startedAt: z.number().optional(),
      lastActiveAt: z.number().optional(),
      score: z.number(),
      field: z.enum(["title", "user", "assistant", "tool"]),
      snippet: z.string(),
      highlights: z.array(z.tuple([z.number().int(), z.number().int()])),
    })),
    index: z.object({
      sessions: z.number().int().nonnegative(),
      read: z.number().int().nonnegative(),
      removed: z.number().int().nonnegative(),
      rebuilt: z.boolean(),
    }),
  }),
  info: z.object({
    ...base,
    command: z.literal("info"),
    session: z.object({
      id: z.string(),
      provider: z.string(),
      messageCount: z.number().int(),
      roles: z.record(z.string(), z.number()),
    }).passthrough(),
    sizeBytes: z.number().optional(),
    messages: z.array(
      z.object({ index: z.number(), role: z.string(), text: z.string() }).passthrough(),
    )
      .optional(),
    warnings: z.array(warning),
    resume: resumeCommand,
    fit: z.object({
      tokens: z.number().int().nonnegative(),
      estimator: z.literal("heuristic"),
      targets: z.array(z.object({
        target: z.string(),
        window: z.number().int().positive(),
        budget: z.number().int().nonnegative(),
        tokens: z.number().int().nonnegative(),
        fits: z.boolean(),
        cut: z.object({}).passthrough().optional(),
      })),
    }).optional(),
  }),
  providers: z.object({
    ...base,
    command: z.literal("providers"),
    providers: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        aliases: z.array(z.string()),
        roots: z.array(z.string()),
        canWrite: z.boolean(),
        carries: z.object({
          images: z.boolean(),
          reasoning: z.boolean(),
          toolNames: z.string().optional(),
          toolFamily: z.string().optional(),
        }),
        detection: z.object({ installed: z.boolean(), roots: z.array(z.string()) }).passthrough(),
      }).passthrough(),
    ),
  }),
  export: z.union([
    z.object({
      ...base,
      command: z.literal("export"),
      provider: z.string(),
      sessionId: z.string(),
      format: z.enum(["md", "html", "json"]),
      bytes: z.number().int(),
      path: z.string().optional(),
      content: z.string().optional(),
    }),
    z.object({
      ...base,
      command: z.literal("export"),
      outDir: z.string(),
      format: z.enum(["md", "html", "json"]),
      sessions: z.number().int().nonnegative(),
      index: z.string().optional(),
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
    bytes: z.number().int().nonnegative(),
    content: z.string().optional(),
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
export const ERROR_SCHEMA: z.ZodType<unknown> = z.object({
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
  const result = schema.safeParse(value);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
}

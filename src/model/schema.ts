/**
 * Runtime schemas (zod) for the canonical model: the pipeline checks every
 * session a reader returns before converting it, so a reader bug surfaces as a
 * clear `invalid-session` error, not as a broken file in another agent's home.
 *
 * A separate entry point (`@casr/core/schema`), so that importing `@casr/core`
 * does not load zod: the pipeline imports this module on first use.
 *
 * ```ts
 * import { sessionProblems } from "@casr/core/schema";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(sessionProblems({ id: "s", provider: "codex", metadata: {}, messages: [] }), []);
 * ```
 *
 * @module
 */
import * as z from "zod/mini";
import en from "zod/v4/locales/en.js";
import { ROLES } from "./types.ts";

// zod/mini loads a fraction of zod's code and has no messages of its own: the
// English ones name what was expected.
z.config(en());

const epochMs = z.number().check(z.nonnegative(), z.lte(8.64e15));

/** The schema of a canonical {@linkcode ToolCall}. */
export const ToolCallSchema: z.ZodMiniType<{ id: string; name: string; input?: unknown }> = z
  .object({
    id: z.string(),
    name: z.string().check(z.minLength(1)),
    input: z.unknown(),
  });

/** The schema of a canonical {@linkcode ImageContent}. */
export const ImageContentSchema: z.ZodMiniType<
  { mediaType: string; data?: string | undefined; source?: string | undefined }
> = z.object({
  mediaType: z.string().check(z.minLength(1)),
  data: z.optional(z.string()),
  source: z.optional(z.string()),
});

/** The schema of a canonical {@linkcode ToolResult}. */
export const ToolResultSchema: z.ZodMiniType<
  {
    callId: string;
    output: string;
    isError: boolean;
    name?: string | undefined;
    images?:
      | { mediaType: string; data?: string | undefined; source?: string | undefined }[]
      | undefined;
  }
> = z.object({
  callId: z.string(),
  output: z.string(),
  isError: z.boolean(),
  name: z.optional(z.string()),
  images: z.optional(z.array(ImageContentSchema)),
});

/** The schema of a canonical message (the raw `extra` is not checked). */
export const MessageSchema: z.ZodMiniType<unknown> = z.object({
  index: z.int().check(z.nonnegative()),
  role: z.enum(ROLES),
  text: z.string(),
  timestamp: z.optional(epochMs),
  author: z.optional(z.string()),
  toolCalls: z.array(ToolCallSchema),
  toolResults: z.array(ToolResultSchema),
  reasoning: z.optional(z.string()),
  images: z.optional(z.array(ImageContentSchema)),
  extra: z.optional(z.unknown()),
});

/** The schema of a canonical session. */
export const SessionSchema: z.ZodMiniType<unknown> = z.object({
  id: z.string().check(z.minLength(1)),
  provider: z.string().check(z.minLength(1)),
  workspace: z.optional(z.string()),
  title: z.optional(z.string()),
  startedAt: z.optional(epochMs),
  endedAt: z.optional(epochMs),
  model: z.optional(z.string()),
  messages: z.array(MessageSchema),
  metadata: z.record(z.string(), z.unknown()),
  sourcePath: z.optional(z.string()),
});

/**
 * Lists what is wrong with a value that should be a canonical session.
 *
 * @param value The value.
 * @returns Problems as `path: message` strings; empty when valid.
 *
 * @example A bad role
 * ```ts
 * import { sessionProblems } from "@casr/core/schema";
 * import assert from "node:assert/strict";
 *
 * const problems = sessionProblems({
 *   id: "s", provider: "codex", metadata: {},
 *   messages: [{ index: 0, role: "robot", text: "", toolCalls: [], toolResults: [] }],
 * });
 * assert.equal(problems.length, 1);
 * assert.match(problems[0] ?? "", /^messages\.0\.role/);
 * ```
 */
export function sessionProblems(value: unknown): string[] {
  const result = SessionSchema.safeParse(value);
  if (result.success) return [];
  return result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
}

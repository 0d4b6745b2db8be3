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
import { z } from "zod";
import { ROLES } from "./types.ts";

const epochMs = z.number().finite().nonnegative().max(8.64e15);

/** The schema of a canonical {@linkcode ToolCall}. */
export const ToolCallSchema: z.ZodType<{ id: string; name: string; input?: unknown }> = z.object({
  id: z.string(),
  name: z.string().min(1),
  input: z.unknown(),
});

/** The schema of a canonical {@linkcode ImageContent}. */
export const ImageContentSchema: z.ZodType<
  { mediaType: string; data?: string | undefined; source?: string | undefined }
> = z.object({
  mediaType: z.string().min(1),
  data: z.string().optional(),
  source: z.string().optional(),
});

/** The schema of a canonical {@linkcode ToolResult}. */
export const ToolResultSchema: z.ZodType<
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
  name: z.string().optional(),
  images: z.array(ImageContentSchema).optional(),
});

/** The schema of a canonical message (the raw `extra` is not checked). */
export const MessageSchema: z.ZodType<unknown> = z.object({
  index: z.number().int().nonnegative(),
  role: z.enum(ROLES),
  text: z.string(),
  timestamp: epochMs.optional(),
  author: z.string().optional(),
  toolCalls: z.array(ToolCallSchema),
  toolResults: z.array(ToolResultSchema),
  reasoning: z.string().optional(),
  images: z.array(ImageContentSchema).optional(),
  extra: z.unknown().optional(),
});

/** The schema of a canonical session. */
export const SessionSchema: z.ZodType<unknown> = z.object({
  id: z.string().min(1),
  provider: z.string().min(1),
  workspace: z.string().optional(),
  title: z.string().optional(),
  startedAt: epochMs.optional(),
  endedAt: epochMs.optional(),
  model: z.string().optional(),
  messages: z.array(MessageSchema),
  metadata: z.record(z.string(), z.unknown()),
  sourcePath: z.string().optional(),
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

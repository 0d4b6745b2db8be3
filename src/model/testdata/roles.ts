/**
 * A test helper: the roles of a session's messages on one line, so that a
 * test states the shape it expects as one string.
 *
 * @module
 */
import type { Message, Session } from "../types.ts";

/**
 * The roles of the messages, in order, separated by spaces.
 *
 * @param of A session, or its messages.
 * @returns E.g. `user assistant tool assistant`.
 */
export function rolesOf(of: Pick<Session, "messages"> | readonly Pick<Message, "role">[]): string {
  const messages = "messages" in of ? of.messages : of;
  return messages.map((m) => m.role).join(" ");
}

/**
 * Role, text and the calls and results of each message, one string each, for
 * comparing whole message lists in tests.
 *
 * @param messages The messages.
 * @returns E.g. `tool |  | result c1=ok (error)`.
 */
export function messageShapes(messages: readonly Message[]): string[] {
  return messages.map((m) =>
    [
      m.role,
      m.text,
      ...m.toolCalls.map((c) => `call ${c.id}`),
      ...m.toolResults.map((r) => `result ${r.callId}=${r.output}${r.isError ? " (error)" : ""}`),
    ].join(" | ")
  );
}

/**
 * Signatures the mock issues for reasoning it returns, and checks when a request replays it.
 *
 * Real model APIs bind reasoning to an opaque token they issued: an Anthropic `thinking`
 * block's `signature`, an OpenAI Responses `reasoning` item's `encrypted_content`, a Gemini
 * part's `thoughtSignature`. A request that carries a token the API did not issue, or a token
 * moved onto other reasoning, is rejected. The mock stands in for that: every token it issues
 * is derived from the reasoning text it belongs to, so any mock run (the one that made a
 * fixture, or the one a converted session is resumed against) can tell a genuine token from a
 * forged one.
 *
 * @module
 */

const PREFIX = "mocksig1.";

/** FNV-1a over UTF-16 code units, twice with different seeds, as 16 hex digits. */
function digest(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c, 0x5bd1e995) >>> 0;
  }
  return a.toString(16).padStart(8, "0") + b.toString(16).padStart(8, "0");
}

/**
 * The token the mock issues for a piece of reasoning (its text, or "" for redacted reasoning).
 *
 * @param reasoning The reasoning text the token is bound to.
 * @returns An opaque-looking token.
 */
export function mockSignature(reasoning: string): string {
  return `${PREFIX}${digest(reasoning)}`;
}

/**
 * Whether a token in a request is one the mock issued for this reasoning text.
 *
 * @param token The replayed token.
 * @param reasoning The reasoning text it arrived with.
 * @returns `true` for a genuine, unmoved token.
 */
export function isMockSignature(token: unknown, reasoning: string): boolean {
  return typeof token === "string" && token === mockSignature(reasoning);
}

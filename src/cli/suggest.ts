/**
 * Help for a word casr did not understand as a command: an agent name used
 * without `resume`, or a near miss of an agent or a command.
 *
 * @module
 */
import { PROVIDERS } from "../../mod.ts";

/** The commands a user types first (besides agent names). */
const COMMANDS = [
  "resume",
  "list",
  "info",
  "export",
  "providers",
  "completions",
  "handoff",
  "help",
];

/** Edit distance between two short words (insert, delete, substitute: 1 each). */
function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + cost);
    }
    row = next;
  }
  return row[b.length]!;
}

/**
 * The lines that help after "unknown command '<word>'".
 *
 * @param word The word casr did not understand.
 * @returns Hint lines (never empty): what to type instead, and the agents.
 */
export function unknownCommandHint(word: string): string[] {
  const lower = word.toLowerCase();
  const agents = PROVIDERS.filter((p) => !p.readOnly);
  const agentList = `agents: ${agents.map((p) => p.id).join(", ")} (casr providers lists aliases)`;
  const exact = PROVIDERS.find((p) => p.id === lower || p.aliases.includes(lower));
  if (exact !== undefined) {
    return [
      `${exact.name} is an agent: use "casr ${word} resume <session>" to convert a session to it`,
    ];
  }
  let best: { name: string; score: number } | undefined;
  for (const name of [...COMMANDS, ...PROVIDERS.flatMap((p) => [p.id, ...p.aliases])]) {
    const score = distance(lower, name);
    if (
      score <= Math.max(1, Math.floor(name.length / 3)) &&
      (best === undefined || score < best.score)
    ) {
      best = { name, score };
    }
  }
  if (best === undefined) return [agentList];
  const agent = PROVIDERS.find((p) => p.id === best.name || p.aliases.includes(best.name));
  const usage = agent === undefined
    ? `did you mean "casr ${best.name}"?`
    : `did you mean "${best.name}" (${agent.name}), as in "casr ${best.name} resume <session>"?`;
  return [usage, agentList];
}

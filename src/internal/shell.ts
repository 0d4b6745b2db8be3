/**
 * Quoting for the printed resume commands.
 *
 * @module
 */

/**
 * Quotes one POSIX shell word when it needs it.
 *
 * @param word The word.
 * @returns The word, single-quoted when it has shell-special characters.
 */
export function shellQuote(word: string): string {
  if (word !== "" && /^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/**
 * Builds the one-line command: `cd <cwd> && <argv...>`.
 *
 * @param argv The command and arguments.
 * @param cwd The directory to run in, if any.
 * @returns The shell line.
 */
export function shellLine(argv: readonly string[], cwd?: string): string {
  const command = argv.map(shellQuote).join(" ");
  return cwd === undefined ? command : `cd ${shellQuote(cwd)} && ${command}`;
}

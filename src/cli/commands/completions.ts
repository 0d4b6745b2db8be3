/**
 * `casr completions bash|zsh|fish`: shell completion scripts.
 *
 * @module
 */

/** The shells casr writes completions for. */
export const SHELLS = ["bash", "zsh", "fish"] as const;

/** A supported shell. */
export type Shell = typeof SHELLS[number];

/** The commands whose first positional is a target agent. */
const TARGET_COMMANDS = ["resume", "handoff"] as const;

/** What completions know about the command line. */
export interface CompletionSpec {
  /** Subcommand names with their flags. */
  commands: { name: string; flags: string[] }[];
  /** Global flags. */
  globalFlags: string[];
  /** Provider aliases (first positional of `resume` and `handoff`). */
  providers: string[];
}

/**
 * Writes a completion script.
 *
 * @param shell The shell.
 * @param spec Commands, flags and provider names.
 * @returns The script.
 */
export function completionScript(shell: Shell, spec: CompletionSpec): string {
  const names = spec.commands.map((c) => c.name);
  if (shell === "bash") {
    const cases = spec.commands.map((c) =>
      `    ${c.name}) opts="${[...c.flags, ...spec.globalFlags].join(" ")}" ;;`
    ).join("\n");
    return `# bash completion for casr: eval "$(casr completions bash)"
_casr() {
  local cur="\${COMP_WORDS[COMP_CWORD]}"
  local cmd="\${COMP_WORDS[1]}"
  local opts=""
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=($(compgen -W "${
      [...names, ...spec.providers, ...spec.globalFlags].join(" ")
    }" -- "$cur"))
    return
  fi
  case "$cmd" in
${cases}
    *) opts="resume ${spec.globalFlags.join(" ")}" ;;
  esac
  if [ "$COMP_CWORD" -eq 2 ] && case "$cmd" in ${
      TARGET_COMMANDS.join("|")
    }) true ;; *) false ;; esac; then
    opts="$opts ${spec.providers.join(" ")}"
  fi
  COMPREPLY=($(compgen -W "$opts" -- "$cur"))
}
complete -F _casr casr
`;
  }
  if (shell === "zsh") {
    const cmds = spec.commands.map((c) => `'${c.name}'`).join(" ");
    const cases = spec.commands.map((c) =>
      `    ${c.name}) compadd -- ${[...c.flags, ...spec.globalFlags].join(" ")} ;;`
    ).join("\n");
    return `#compdef casr
# zsh completion for casr: casr completions zsh > "\${fpath[1]}/_casr"
_casr() {
  if (( CURRENT == 2 )); then
    compadd -- ${cmds} ${spec.providers.join(" ")} ${spec.globalFlags.join(" ")}
    return
  fi
  case "$words[2]" in
${cases}
    *) compadd -- resume ${spec.globalFlags.join(" ")} ;;
  esac
  if [[ "$words[2]" == (${TARGET_COMMANDS.join("|")}) ]] && (( CURRENT == 3 )); then
    compadd -- ${spec.providers.join(" ")}
  fi
}
compdef _casr casr
`;
  }
  const lines = [
    "# fish completion for casr: casr completions fish > ~/.config/fish/completions/casr.fish",
    "complete -c casr -f",
  ];
  for (const c of spec.commands) {
    lines.push(`complete -c casr -n '__fish_use_subcommand' -a '${c.name}'`);
    for (const flag of c.flags) {
      lines.push(
        `complete -c casr -n '__fish_seen_subcommand_from ${c.name}' -l '${
          flag.replace(/^--/, "")
        }'`,
      );
    }
  }
  for (const flag of spec.globalFlags) {
    lines.push(`complete -c casr -l '${flag.replace(/^--/, "")}'`);
  }
  for (const command of TARGET_COMMANDS) {
    lines.push(
      `complete -c casr -n '__fish_seen_subcommand_from ${command}' -a '${
        spec.providers.join(" ")
      }'`,
    );
  }
  return lines.join("\n") + "\n";
}

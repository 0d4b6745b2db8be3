/**
 * `casr completions bash|zsh|fish`: shell completion scripts. Subcommands,
 * flags and agent names are written into the script; session ids come from
 * casr itself at completion time (`casr __complete sessions`), most recent
 * first, with titles where the shell shows descriptions.
 *
 * @module
 */

/** The shells casr writes completions for. */
export const SHELLS = ["bash", "zsh", "fish"] as const;

/** A supported shell. */
export type Shell = typeof SHELLS[number];

/** What a positional argument or a flag's value is. */
export type ValueKind =
  | "target"
  | "session"
  | "agent"
  | "agent-or-file"
  | "file"
  | "dir"
  | "shell"
  | { words: readonly string[] };

/** One subcommand, as completions see it. */
export interface CompletionCommand {
  /** Its name. */
  name: string;
  /** Its flags, long and short. */
  flags: string[];
  /** What each flag that takes a value takes (absent: a value to type). */
  values: Record<string, ValueKind | "other">;
  /** Its positional arguments, in order. */
  positionals: ValueKind[];
}

/** What completions know about the command line. */
export interface CompletionSpec {
  /** Subcommands. */
  commands: CompletionCommand[];
  /** Global flags. */
  globalFlags: string[];
  /** Every agent id and alias. */
  providers: string[];
  /** The ids and aliases of agents casr can write to. */
  targets: string[];
}

/** What `casr __complete <kind>` prints for each kind, one `value<TAB>description` a line. */
export const DYNAMIC_KINDS = ["sessions"] as const;

/** A kind as the scripts' tables spell it: words are joined by commas (never spaces). */
function kindName(kind: ValueKind | "other"): string {
  return typeof kind === "object" ? `words:${kind.words.join(",")}` : kind;
}

/**
 * The completion table every shell's script reads: for each command, the
 * kind of each positional, and for each flag the kind of its value.
 */
function table(spec: CompletionSpec): { positional: string[]; flagValue: string[] } {
  const positional: string[] = [];
  const flagValue: string[] = [];
  for (const c of spec.commands) {
    c.positionals.forEach((kind, i) => positional.push(`${c.name}:${i + 1}=${kindName(kind)}`));
    for (const [flag, kind] of Object.entries(c.values)) {
      flagValue.push(`${c.name}:${flag}=${kindName(kind)}`);
    }
  }
  return { positional, flagValue };
}

/**
 * Writes a completion script.
 *
 * @param shell The shell.
 * @param spec Commands, flags and agent names.
 * @returns The script.
 */
export function completionScript(shell: Shell, spec: CompletionSpec): string {
  if (shell === "bash") return bashScript(spec);
  if (shell === "zsh") return zshScript(spec);
  return fishScript(spec);
}

/**
 * Shell code (POSIX-ish, shared by bash and zsh) that sets `kind` to what the
 * word being completed is, from the words before it: `$1` is the index of the
 * current word, the words are in `$words_` (1-based command word at 1).
 */
function kindFunction(
  spec: CompletionSpec,
  name: string,
  wordsVar: string,
  preamble = "",
): string {
  const t = table(spec);
  const aliases = spec.providers.join("|");
  return `${name}() {
  ${preamble}local cur_i=$1 i w cmd="" pos=0 flag="" k=""
  local positional="${t.positional.join(" ")}"
  local flagvalue="${t.flagValue.join(" ")}"
  kind=""
  i=2
  while [ "$i" -lt "$cur_i" ]; do
    w="\${${wordsVar}[$i]}"
    if [ -n "$flag" ]; then flag=""; i=$((i + 1)); continue; fi
    case "$w" in
      -*)
        for k in $flagvalue; do
          case "$k" in "$cmd:$w="*) flag=1 ;; esac
        done
        ;;
      *)
        if [ -z "$cmd" ]; then
          case "$w" in
            ${aliases}) cmd="@$w" ;;
            *) cmd="$w" ;;
          esac
        elif [ "\${cmd#@}" != "$cmd" ] && [ "$w" = resume ]; then
          cmd=resume; pos=1
        else
          pos=$((pos + 1))
        fi
        ;;
    esac
    i=$((i + 1))
  done
  if [ -z "$cmd" ]; then kind=command; return; fi
  w="\${${wordsVar}[$((cur_i - 1))]}"
  for k in $flagvalue; do
    case "$k" in "$cmd:$w="*) kind="\${k#*=}"; return ;; esac
  done
  w="\${${wordsVar}[$cur_i]}"
  case "$w" in -*) kind=flag; return ;; esac
  [ "\${cmd#@}" != "$cmd" ] && { kind="words:resume"; return; }
  for k in $positional; do
    case "$k" in "$cmd:$((pos + 1))="*) kind="\${k#*=}"; return ;; esac
  done
}`;
}

function flagCases(spec: CompletionSpec, indent: string): string {
  return spec.commands.map((c) =>
    `${indent}${c.name}) opts="${[...c.flags, ...spec.globalFlags].join(" ")}" ;;`
  ).join("\n");
}

function bashScript(spec: CompletionSpec): string {
  const names = spec.commands.map((c) => c.name).filter((n) => !n.startsWith("_"));
  return `# bash completion for casr: eval "$(casr completions bash)"
${kindFunction(spec, "__casr_kind", "COMP_WORDS_")}
_casr() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" opts="" kind="" i
  local -a COMP_WORDS_=()
  for ((i = 0; i < \${#COMP_WORDS[@]}; i++)); do COMP_WORDS_[i + 1]="\${COMP_WORDS[i]}"; done
  __casr_kind $((COMP_CWORD + 1))
  case "$kind" in
    command) opts="${[...names, ...spec.providers, ...spec.globalFlags].join(" ")}" ;;
    target) opts="${spec.targets.join(" ")}" ;;
    agent) opts="${spec.providers.join(" ")}" ;;
    shell) opts="${SHELLS.join(" ")}" ;;
    words:*) opts="\${kind#words:}"; opts="\${opts//,/ }" ;;
    session)
      type compopt >/dev/null 2>&1 && compopt -o nosort 2>/dev/null
      COMPREPLY=($(compgen -W "$(casr __complete sessions 2>/dev/null | cut -f1)" -- "$cur"))
      [ \${#COMPREPLY[@]} -eq 0 ] && COMPREPLY=($(compgen -f -- "$cur"))
      return ;;
    agent-or-file)
      COMPREPLY=($(compgen -W "${spec.providers.join(" ")}" -- "$cur") $(compgen -f -- "$cur"))
      return ;;
    file) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    dir) COMPREPLY=($(compgen -d -- "$cur")); return ;;
    *)
      case "\${COMP_WORDS[1]}" in
${flagCases(spec, "        ")}
        *) opts="resume ${spec.globalFlags.join(" ")}" ;;
      esac ;;
  esac
  COMPREPLY=($(compgen -W "$opts" -- "$cur"))
}
complete -F _casr casr
`;
}

function zshScript(spec: CompletionSpec): string {
  const names = spec.commands.map((c) => c.name).filter((n) => !n.startsWith("_"));
  return `#compdef casr
# zsh completion for casr: casr completions zsh > "\${fpath[1]}/_casr"
${kindFunction(spec, "__casr_kind", "words", "setopt local_options sh_word_split\n  ")}
__casr_files() {
  if (( $+functions[_files] )); then _files "$@"; fi
  return 0
}
_casr() {
  local kind="" line
  local -a ids descs
  __casr_kind $CURRENT
  case "$kind" in
    command) compadd -- ${[...names, ...spec.providers, ...spec.globalFlags].join(" ")} ;;
    target) compadd -- ${spec.targets.join(" ")} ;;
    agent) compadd -- ${spec.providers.join(" ")} ;;
    shell) compadd -- ${SHELLS.join(" ")} ;;
    words:*) compadd -- \${(s:,:)\${kind#words:}} ;;
    session)
      for line in "\${(@f)$(casr __complete sessions 2>/dev/null)}"; do
        [[ -n $line ]] || continue
        ids+=("\${line%%$'\\t'*}")
        descs+=("\${line%%$'\\t'*}  \${line#*$'\\t'}")
      done
      compadd -V sessions -l -d descs -- $ids
      __casr_files ;;
    agent-or-file)
      compadd -- ${spec.providers.join(" ")}
      __casr_files ;;
    file) __casr_files ;;
    dir) __casr_files -/ ;;
    *)
      case "$words[2]" in
${
    spec.commands.map((c) =>
      `        ${c.name}) compadd -- ${[...c.flags, ...spec.globalFlags].join(" ")} ;;`
    ).join("\n")
  }
        *) compadd -- resume ${spec.globalFlags.join(" ")} ;;
      esac ;;
  esac
}
compdef _casr casr
`;
}

function fishScript(spec: CompletionSpec): string {
  const t = table(spec);
  const names = spec.commands.map((c) => c.name).filter((n) => !n.startsWith("_"));
  const lines = [
    "# fish completion for casr: casr completions fish > ~/.config/fish/completions/casr.fish",
    "function __casr_kind",
    "    set -l tokens (commandline -opc)",
    `    set -l positional ${t.positional.join(" ")}`,
    `    set -l flagvalue ${t.flagValue.join(" ")}`,
    `    set -l aliases ${spec.providers.join(" ")}`,
    '    set -l cmd ""',
    "    set -l pos 0",
    "    set -l skip 0",
    "    for w in $tokens[2..-1]",
    "        if test $skip = 1",
    "            set skip 0",
    "            continue",
    "        end",
    "        if string match -q -- '-*' $w",
    '            string match -q -- "$cmd:$w=*" $flagvalue; and set skip 1',
    "            continue",
    "        end",
    '        if test -z "$cmd"',
    "            if contains -- $w $aliases",
    '                set cmd "@$w"',
    "            else",
    "                set cmd $w",
    "            end",
    "        else if string match -q -- '@*' $cmd; and test $w = resume",
    "            set cmd resume",
    "            set pos 1",
    "        else",
    "            set pos (math $pos + 1)",
    "        end",
    "    end",
    '    if test -z "$cmd"',
    "        echo command",
    "        return",
    "    end",
    "    set -l last $tokens[-1]",
    "    if test (count $tokens) -gt 1",
    "        for k in $flagvalue",
    '            if string match -q -- "$cmd:$last=*" $k',
    "                string replace -r '^[^=]*=' '' -- $k",
    "                return",
    "            end",
    "        end",
    "    end",
    "    if string match -q -- '@*' $cmd",
    "        echo words:resume",
    "        return",
    "    end",
    "    for k in $positional",
    '        if string match -q -- "$cmd:"(math $pos + 1)"=*" $k',
    "            string replace -r '^[^=]*=' '' -- $k",
    "            return",
    "        end",
    "    end",
    "end",
    "function __casr_is",
    "    test (__casr_kind) = $argv[1]",
    "end",
    "function __casr_words",
    "    string replace -r '^words:' '' -- (__casr_kind) | string split ,",
    "end",
    "complete -c casr -f",
    `complete -c casr -n '__casr_is command' -a '${[...names, ...spec.providers].join(" ")}'`,
    `complete -c casr -n '__casr_is target' -a '${spec.targets.join(" ")}'`,
    `complete -c casr -n '__casr_is agent' -a '${spec.providers.join(" ")}'`,
    `complete -c casr -n '__casr_is agent-or-file' -F -a '${spec.providers.join(" ")}'`,
    `complete -c casr -n '__casr_is shell' -a '${SHELLS.join(" ")}'`,
    "complete -c casr -n '__casr_is session' -k -a '(casr __complete sessions 2>/dev/null)'",
    "complete -c casr -n '__casr_is session' -F",
    "complete -c casr -n '__casr_is file' -F",
    "complete -c casr -n '__casr_is dir' -x -a '(__fish_complete_directories)'",
    "complete -c casr -n 'string match -q \"words:*\" (__casr_kind)' -x -a '(__casr_words)'",
  ];
  for (const c of spec.commands) {
    for (const flag of c.flags.filter((f) => f.startsWith("--"))) {
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
  return lines.join("\n") + "\n";
}

/** The kinds of the flags casr knows by name, for {@linkcode CompletionCommand.values}. */
export function flagValueKind(
  flag: string,
  choices: readonly string[] | undefined,
): ValueKind | "other" {
  if (choices !== undefined && choices.length > 0) return { words: choices };
  if (flag === "--source" || flag === "-s") return "agent-or-file";
  if (flag === "--from" || flag === "--provider" || flag === "-p") return "agent";
  if (flag === "--out" || flag === "-o") return "file";
  if (flag === "--workspace" || flag === "-w") return "dir";
  return "other";
}

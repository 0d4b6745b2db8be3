/**
 * How Kilo CLI 7.7.9 (an OpenCode fork) makes a messy session offline: OpenCode's plan
 * (`messy_opencode.ts`: thinking, compaction after a reply reporting 5M input tokens, a failing
 * and a huge `bash` output, a PNG read by `read`, a PNG attached with `run -f`, a custom command
 * through `run --command`, a subagent through `task`, an interrupted turn), run with Kilo's
 * model, `--auto`, and Kilo's own directories.
 *
 * @module
 */

import { KILO_MODEL } from "./cli_kilo.ts";
import { OPENCODE_MODEL } from "./cli_opencode.ts";
import { pathExists } from "./fs_utils.ts";
import type { MessyPlan, MessyStep } from "./messy_plan.ts";
import { OPENCODE_MESSY } from "./messy_opencode.ts";

/** OpenCode's argv turned into Kilo's: Kilo's model, and `--auto` (no auto-rejected calls). */
function kiloArgs(args: string[]): string[] {
  const out = args.map((arg) => arg === OPENCODE_MODEL ? KILO_MODEL : arg);
  return out[0] === "run" ? ["run", "--auto", ...out.slice(1)] : out;
}

/** One of OpenCode's steps, run by Kilo. */
function kiloStep(step: MessyStep): MessyStep {
  return { ...step, args: async (id, context) => kiloArgs(await step.args(id, context)) };
}

/** The key of OpenCode's step with an attached picture. */
const ATTACHED_KEY = "Messy step four";

/** Kilo CLI's messy plan. */
export const KILO_MESSY: MessyPlan = {
  ...OPENCODE_MESSY,
  provider: "kilo-cli",
  // Without OpenCode's `run -f` step: Kilo sends the media of earlier turns as an
  // `[Attached <mime>: <name>]` note, which casr's reader does not reproduce (see the notes).
  turns: OPENCODE_MESSY.turns.filter((turn) => turn.key !== ATTACHED_KEY),
  steps: OPENCODE_MESSY.steps.filter((step) => !step.label.includes("run -f")).map(kiloStep),
  setup: async (context, workspace) => {
    await OPENCODE_MESSY.setup(context, workspace);
    const commands = `${context.home}/.config/kilo/command`;
    await Deno.mkdir(commands, { recursive: true });
    await Deno.copyFile(
      `${context.home}/.config/opencode/command/messy-note.md`,
      `${commands}/messy-note.md`,
    );
  },
  extraFiles: async (home) => {
    const dir = `${home}/.local/share/kilo/tool-output`;
    if (!await pathExists(dir)) return [];
    const files = await Array.fromAsync(Deno.readDir(dir));
    return files.filter((entry) => entry.isFile).map((entry) => `${dir}/${entry.name}`).sort();
  },
  notes: [
    "Made offline, as OpenCode (`messy_opencode.ts`, run with `--auto`): `thinking` with a",
    "signature, sent again. Compaction: the first turn's last reply reports 5M input tokens;",
    "Kilo asks its compaction agent for an anchored summary and stores it as the reply to a",
    'synthetic "What did we do so far?" turn; on resume it sends these, not the first turn',
    '(and, unlike OpenCode 1.18.33, no "Continue if you have next steps…" turn). `false` gives',
    "`(no output)`; of the `seq` output Kilo sends only the tail (the whole output is saved in",
    "`tool-output/`, part of the fixture). `read` of `pixel.png` gives `Image read",
    "successfully` plus the image live, but on resume Kilo strips the media of every turn",
    "before the newest prompt, so `expected` has no image. `run --command messy-note alpha",
    "beta` (the file in `~/.config/kilo/command/` and `~/.config/opencode/command/`): only the",
    "expansion is sent. A subagent: `task` with `subagent_type: general` (a child `session`",
    "row). The interrupted turn: killed 20 s into `tail -f /dev/null`, the result becomes",
    '"[Tool execution was interrupted]" with an error flag. Not made: a user-attached image',
    "(`run -f` works live, but on resume Kilo replaces an earlier turn's image file part by",
    "the text `[Attached image/png: attached.png]`, which casr's reader, shared with OpenCode,",
    "reads as an image: every conversion then misses that text, so the step is left out), a",
    "queued prompt (`run` takes one message per run).",
  ],
};

/**
 * Shows that Gemini CLI 0.61.0's own routing side request can break the Gemini API rule
 * `gemini/function-call-turn` when it resumes a session Gemini CLI itself wrote: no casr
 * involved.
 *
 * Why: for a Gemini 3 model with numerical routing, `NumericalClassifierStrategy.route` (bundle
 * `chunk-5FZXKDXH.js`) sends the classifier the last 8 contents of the history
 * (`HISTORY_TURNS_FOR_CONTEXT3 = 8`) from the first one that is neither a function response
 * (a user content with any `functionResponse` part) nor a function call (a model content whose
 * parts are ALL `functionCall`), plus the new prompt, without tools. A model content holding a
 * text AND a call (how Gemini CLI stores "Now the long listing." + its call) counts as neither:
 * when the window starts at `[functionResponse, model(text + functionCall)]`, the request
 * starts with that model turn, which the real API refuses (HTTP 400). Gemini CLI then falls back
 * to its default route.
 *
 * The session: one prompt whose replies make three calls, the second and third with a text,
 * then two more prompts; the third prompt's window is `history[2..9]` = `[functionResponse,
 * model(text + functionCall), …]`.
 *
 * Run: `npx -y deno@2.9.6 run -A scripts/smoke/gemini_routing_probe.ts`. Prints each request's
 * shape and violations; exits 0 when the violation shows, 1 when it does not.
 *
 * @module
 */

import { cliEnv, ensureInstalled } from "./cli_install.ts";
import { geminiCli } from "./cli_gemini.ts";
import { messyScript } from "./messy.ts";
import { startMockServer } from "./mock_server.ts";
import { runBounded } from "./process.ts";

const ROOT = "/tmp/casr-gemini-routing-probe";
const PROMPTS = [
  "Routing probe one: run echo a, b and c.",
  "Routing probe two.",
  "Routing probe three.",
];

/** `role[part kinds]` of each content of a Gemini request body. */
function shape(body: unknown): string {
  const contents = (body as { contents?: { role?: string; parts?: object[] }[] })?.contents ?? [];
  return contents.map((content) =>
    `${content.role}[${
      (content.parts ?? []).map((part) =>
        Object.keys(part).filter((key) => key !== "thoughtSignature").join("+")
      ).join(",")
    }]`
  ).join(" ");
}

if (import.meta.main) {
  const home = `${ROOT}/home`;
  const workspace = `${ROOT}/workspace`;
  await Deno.remove(ROOT, { recursive: true }).catch(() => {});
  await Deno.mkdir(home, { recursive: true });
  await Deno.mkdir(workspace, { recursive: true });
  const install = await ensureInstalled(geminiCli, `${Deno.cwd()}/.cache/clis`);
  if (!install.ok) throw new Error(install.error);
  const mock = await startMockServer({
    script: messyScript([
      {
        key: "Routing probe one",
        replies: [
          { text: "", shellCommands: ["echo a"] },
          { text: "Next one.", shellCommands: ["echo b"] },
          { text: "And the last.", shellCommands: ["echo c"] },
        ],
        final: { text: "All three ran." },
      },
      { key: "Routing probe two", replies: [], final: { text: "Two done." } },
      { key: "Routing probe three", replies: [], final: { text: "Three done." } },
    ]),
  });
  let found = false;
  try {
    const context = { home, baseUrl: mock.url };
    await geminiCli.prepareHome(context);
    const env = cliEnv(geminiCli, context);
    let id: string | undefined;
    for (const prompt of PROMPTS) {
      const args = id === undefined
        ? geminiCli.newSessionArgs(prompt, context)
        : await geminiCli.resumeArgs(id, prompt, context);
      const run = await runBounded(install.cli.binPath, args, {
        cwd: workspace,
        env,
        timeoutMs: 120_000,
      });
      console.log(`${prompt} -> exit ${run.code}`);
      id ??= (await geminiCli.sessionFiles(home))[0]?.sessionId;
    }
    for (const request of mock.requests) {
      const violations = request.violations ?? [];
      found ||= request.kind === "side" &&
        violations.some((violation) => violation.rule === "gemini/function-call-turn");
      console.log(`#${request.seq} ${request.kind} ${request.path} -> ${request.status}`);
      console.log(`   ${shape(request.body)}`);
      for (const violation of violations) {
        console.log(`   VIOLATION ${violation.rule} ${violation.path}: ${violation.message}`);
      }
    }
  } finally {
    await mock.close();
  }
  console.log(
    found
      ? "Gemini CLI's own routing request starts with a function call turn."
      : "No routing request broke gemini/function-call-turn.",
  );
  Deno.exit(found ? 0 : 1);
}

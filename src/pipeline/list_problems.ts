/**
 * Why a list may be short or empty: a home directory that is missing or
 * unset, an agent's storage variable that points at a file or at nothing,
 * sessions an agent keeps where casr does not read them (an older release's
 * store), and paths the operating system refused to read. `casr list` prints each as one
 * warning and `--json` carries them, so "No sessions found." is never silent
 * about a setup that hides sessions.
 *
 * @module
 */
import { constants } from "node:fs";
import * as fsp from "node:fs/promises";
import * as path from "node:path";
import type { Provider, ProviderContext } from "../providers/types.ts";
import { refusingPart } from "../internal/denied.ts";

/** The kinds of {@linkcode ListProblem}. */
export type ListProblemCode =
  | "home-unset"
  | "home-missing"
  | "store-missing"
  | "store-not-directory"
  | "unread-store"
  | "permission-denied";

/** One reason sessions may be missing from a list. */
export interface ListProblem {
  /** The kind. */
  code: ListProblemCode;
  /** One sentence: what is wrong and what to do. */
  message: string;
  /** Every path concerned (for `permission-denied`, each unreadable file or folder). */
  paths: string[];
}

async function statOf(p: string): Promise<"dir" | "file" | "missing" | "denied" | "other"> {
  try {
    return (await fsp.stat(p)).isDirectory() ? "dir" : "file";
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === "ENOENT" || code === "ENOTDIR") return "missing";
    return code === "EACCES" || code === "EPERM" ? "denied" : "other";
  }
}

async function canEnter(dir: string): Promise<boolean> {
  try {
    await fsp.access(dir, constants.R_OK | constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The problems of the home directory and of the given providers' storage roots.
 *
 * @param ctx Where casr looked.
 * @param providers The providers listed.
 * @param options `denied`: paths noted as unreadable while listing; `found`:
 * how many sessions were listed (an unset `HOME` is only worth saying when none were).
 * @returns The problems, home first, then stores, then unreadable paths.
 */
export async function listProblems(
  ctx: ProviderContext,
  providers: readonly Provider[],
  options: { denied: readonly string[]; found: number },
): Promise<ListProblem[]> {
  const problems: ListProblem[] = [];
  const home = ctx.homeDir;
  const homeVar = (ctx.env.HOME ?? "") !== ""
    ? "HOME"
    : (ctx.env.USERPROFILE ?? "") !== ""
    ? "USERPROFILE"
    : undefined;
  const homeState = await statOf(home);
  if (homeState === "missing" || homeState === "file") {
    problems.push({
      code: "home-missing",
      message: `The home directory ${home}${homeVar ? ` (from ${homeVar})` : ""} ${
        homeState === "file" ? "is a file" : "does not exist"
      }, and agents keep their sessions under it: set HOME to your home directory`,
      paths: [home],
    });
  } else if (homeVar === undefined && options.found === 0) {
    problems.push({
      code: "home-unset",
      message: `HOME is not set, so casr looked under ${home} (this account's home directory): ` +
        `set HOME to the home that holds the agents' sessions`,
      paths: [home],
    });
  }
  const denied = new Set<string>();
  const seen = new Set<string>();
  for (const provider of providers) {
    for (const variable of provider.envVars) {
      const value = ctx.env[variable]?.trim();
      if (!value) continue;
      const set = path.resolve(ctx.cwd, value);
      const under = provider.roots(ctx).some((r) => r === set || r.startsWith(set + path.sep));
      if (!under || seen.has(`${variable}=${set}`)) continue;
      seen.add(`${variable}=${set}`);
      const state = await statOf(set);
      if (state === "missing" || state === "file") {
        problems.push({
          code: state === "file" ? "store-not-directory" : "store-missing",
          message: `${variable} is ${set}, which ${
            state === "file" ? "is a file, not a directory" : "does not exist"
          }: casr looks for ${provider.name} sessions there (fix or unset ${variable})`,
          paths: [set],
        });
      }
    }
    for (const store of await provider.unreadStores?.(ctx) ?? []) {
      problems.push({ code: "unread-store", message: store.message, paths: [store.path] });
    }
    for (const root of provider.roots(ctx)) {
      const state = await statOf(root);
      if (state === "denied") denied.add(root);
      else if (state === "dir" && !(await canEnter(root))) denied.add(root);
    }
  }
  for (const p of options.denied) denied.add(p);
  const blocked = [...new Set(await Promise.all([...denied].map(refusingPart)))].sort();
  if (blocked.length > 0) {
    const first = blocked[0] as string;
    problems.push({
      code: "permission-denied",
      message: blocked.length === 1
        ? `Could not read ${first} (permission denied), so the sessions in it are left out: ` +
          `make it readable (chmod u+rwX) or run casr as its owner`
        : `Could not read ${blocked.length} paths (permission denied), e.g. ${first}, so the ` +
          `sessions in them are left out: make them readable or run casr as their owner`,
      paths: blocked,
    });
  }
  return problems;
}

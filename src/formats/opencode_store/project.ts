/**
 * Which OpenCode project a workspace belongs to (Kilo CLI 7.x resolves
 * projects the same way, with its own cache file name).
 *
 * OpenCode 1.18.33 (`Project.resolve`): outside a git repo the project is
 * `global` (worktree `/`); in a repo its id comes from the origin remote
 * (`sha1("git-remote:<host>/<path>")`), else the id cached in
 * `<git common dir>/opencode` (Kilo: `…/kilo`), else the first root commit, and the project row
 * records the repo root as `worktree`. casr does not run git: in a repo it
 * uses the project row OpenCode already wrote for that worktree, else the
 * cached id, else `global` — OpenCode moves `global` sessions whose directory
 * is the repo root into the repo's project the next time it starts there.
 *
 * @module
 */
import * as fsp from "node:fs/promises";
import * as path from "node:path";
import type { SqliteDatabase } from "../../internal/sqlite.ts";
import type { StoreFlavor } from "./flavor.ts";

/** The project a new session goes to. */
export interface ProjectChoice {
  /** `global` or the repo's project id. */
  id: string;
  /** The project's worktree (`/` for `global`). */
  worktree: string;
  /** `git` for a repo project. */
  vcs?: string;
  /** The repo root, when the workspace is inside a git repo. */
  repoRoot?: string;
  /** Why the choice may not match what the agent computes, if it may not. */
  caveat?: string;
}

/** The global project id. */
export const GLOBAL_PROJECT = "global";

async function gitInfo(dir: string): Promise<{ root: string; commonDir: string } | undefined> {
  let current = path.resolve(dir);
  for (;;) {
    const dotGit = path.join(current, ".git");
    try {
      const stat = await fsp.stat(dotGit);
      if (stat.isDirectory()) return { root: current, commonDir: dotGit };
      const text = await fsp.readFile(dotGit, "utf8");
      const match = /^gitdir:\s*(.+)$/m.exec(text);
      if (match?.[1]) {
        const gitDir = path.resolve(current, match[1].trim());
        let commonDir = gitDir;
        try {
          const common = (await fsp.readFile(path.join(gitDir, "commondir"), "utf8")).trim();
          if (common) commonDir = path.resolve(gitDir, common);
        } catch {
          // not a linked worktree
        }
        return { root: current, commonDir };
      }
    } catch {
      // no .git here
    }
    const parent = path.dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

/**
 * Chooses the project for a workspace.
 *
 * @param flavor The agent.
 * @param workspace The session's directory.
 * @param db The open database, when it exists (its project rows are looked up).
 * @returns The project.
 */
export async function chooseProject(
  flavor: StoreFlavor,
  workspace: string,
  db: SqliteDatabase | undefined,
): Promise<ProjectChoice> {
  const git = await gitInfo(workspace);
  if (git === undefined) return { id: GLOBAL_PROJECT, worktree: "/" };
  if (db !== undefined) {
    try {
      const row = db.prepare("SELECT id FROM project WHERE worktree = ? ORDER BY time_updated DESC")
        .all(git.root)[0];
      if (typeof row?.id === "string" && row.id !== "") {
        return { id: row.id, worktree: git.root, vcs: "git", repoRoot: git.root };
      }
    } catch {
      // no project table: fall through
    }
  }
  try {
    const cached = (await fsp.readFile(path.join(git.commonDir, flavor.projectCacheFile), "utf8"))
      .trim();
    if (/^[A-Za-z0-9_.:-]+$/.test(cached)) {
      return { id: cached, worktree: git.root, vcs: "git", repoRoot: git.root };
    }
  } catch {
    // the agent never ran in this repo
  }
  const choice: ProjectChoice = { id: GLOBAL_PROJECT, worktree: "/", repoRoot: git.root };
  if (path.resolve(workspace) !== git.root) {
    choice.caveat =
      `${flavor.app} has not opened the git repo ${git.root} yet, so the session is filed under the global project; \`${flavor.binary} --session <id>\` resumes it, but the repo's session list will not show it`;
  }
  return choice;
}

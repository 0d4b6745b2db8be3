/**
 * Where Gemini CLI keeps its files, and how it names a project's directory.
 *
 * Layout (Gemini CLI ≥ 0.29): `<root>/projects.json` maps absolute project
 * paths to short slugs; sessions live in `<root>/tmp/<slug>/chats/`, and both
 * `<root>/tmp/<slug>/` and `<root>/history/<slug>/` hold a `.project_root`
 * marker naming the project path. Older versions named the directory by the
 * SHA-256 hex of the project path instead of a slug.
 *
 * @module
 */
import { createHash } from "node:crypto";
import * as fsp from "node:fs/promises";
import * as path from "node:path";
import process from "node:process";
import type { ProviderContext } from "../types.ts";
import { readTextIfExists } from "../../internal/fast_fs.ts";
import { listDir } from "../../internal/fs.ts";
import { isRecord } from "../../internal/jsonl.ts";

/** Environment variable that replaces the home directory (the root is `<it>/.gemini`). */
export const GEMINI_CLI_HOME_ENV = "GEMINI_CLI_HOME";
/**
 * casr-specific override naming the `.gemini` directory itself. Gemini CLI
 * does not read it; it exists so casr can point at a copied `.gemini` tree.
 */
export const GEMINI_HOME_ENV = "GEMINI_HOME";
/** The marker file naming a slug directory's project. */
export const PROJECT_ROOT_FILE = ".project_root";
/** The slug registry file name. */
export const PROJECTS_FILE = "projects.json";

const SLUG_RE = /^[a-z0-9-]+$/;
const HASH_DIR_RE = /^[0-9a-f]{64}$/;

/**
 * The Gemini storage root (the `.gemini` directory): `<GEMINI_CLI_HOME>/.gemini`
 * when `GEMINI_CLI_HOME` is set (as the CLI does), else `GEMINI_HOME` taken as the
 * `.gemini` directory itself (casr only), else `<home>/.gemini`.
 *
 * @param ctx Environment and home directory.
 * @returns The absolute root path (it may not exist).
 */
export function geminiRoot(ctx: ProviderContext): string {
  const cliHome = ctx.env[GEMINI_CLI_HOME_ENV];
  if (cliHome !== undefined && cliHome !== "") return path.resolve(cliHome, ".gemini");
  const geminiHome = ctx.env[GEMINI_HOME_ENV];
  if (geminiHome !== undefined && geminiHome !== "") return path.resolve(geminiHome);
  return path.resolve(ctx.homeDir, ".gemini");
}

/**
 * Lowercase hex SHA-256 of a string: Gemini's `projectHash` of a project path.
 *
 * @param text The text (an absolute project path).
 * @returns 64 hex characters.
 */
export function sha256Hex(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/**
 * Normalizes a project path the way Gemini's registry does: `path.resolve`,
 * lowercased on Windows.
 *
 * @param projectPath The path.
 * @returns The registry key.
 */
export function normalizeProjectPath(projectPath: string): string {
  const resolved = path.resolve(projectPath);
  return process.platform === "win32" ? resolved.toLowerCase() : resolved;
}

/**
 * The project root Gemini CLI will see when started in `workspace`: its cwd is
 * the physical path, so symbolic links are resolved when the directory exists;
 * then {@linkcode normalizeProjectPath}.
 *
 * @param workspace The target directory.
 * @returns The registry key and `projectHash` input.
 */
export async function projectRootFor(workspace: string): Promise<string> {
  const resolved = path.resolve(workspace);
  try {
    return normalizeProjectPath(await fsp.realpath(resolved));
  } catch {
    return normalizeProjectPath(resolved);
  }
}

/**
 * Gemini's slug for a directory base name: lowercase, every character outside
 * `[a-z0-9]` becomes `-`, runs of `-` collapse, edges are trimmed, `project` if empty.
 *
 * @param text The base name.
 * @returns The slug.
 */
export function slugify(text: string): string {
  const slug = text.toLowerCase().replace(/[^a-z0-9]/g, "-").replace(/-+/g, "-")
    .replace(/^-|-$/g, "");
  return slug === "" ? "project" : slug;
}

/** The parsed slug registry: project path → slug. */
export interface ProjectRegistry {
  /** Valid entries of `projects.json`. */
  projects: Record<string, string>;
  /** Whether the file existed. */
  existed: boolean;
  /** Why the file was unusable (then `projects` is empty, as the CLI resets it). */
  problem?: string;
}

/**
 * Reads `<root>/projects.json`. A missing file is an empty registry; a file
 * that is not valid JSON or breaks the schema is reported as `problem` and
 * read as empty, which is what Gemini CLI itself does.
 *
 * @param root The Gemini root.
 * @returns The registry.
 */
export async function readProjectRegistry(root: string): Promise<ProjectRegistry> {
  let text: string;
  try {
    text = await fsp.readFile(path.join(root, PROJECTS_FILE), "utf8");
  } catch {
    return { projects: {}, existed: false };
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (!isRecord(parsed) || !isRecord(parsed.projects)) {
      return { projects: {}, existed: true, problem: "it has no projects object" };
    }
    const projects: Record<string, string> = {};
    for (const [key, value] of Object.entries(parsed.projects)) {
      if (typeof value !== "string" || !SLUG_RE.test(value)) {
        return { projects: {}, existed: true, problem: `the slug of "${key}" is invalid` };
      }
      projects[key] = value;
    }
    return { projects, existed: true };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { projects: {}, existed: true, problem: reason };
  }
}

/**
 * Reads a slug directory's `.project_root` marker.
 *
 * @param dir `<root>/tmp/<slug>` or `<root>/history/<slug>`.
 * @returns The trimmed project path, or `undefined` when there is no marker.
 */
export async function readProjectMarker(dir: string): Promise<string | undefined> {
  const text = (await readTextIfExists(path.join(dir, PROJECT_ROOT_FILE)))?.trim();
  return text === "" ? undefined : text;
}

/** How the project directory for a workspace was found. */
export interface ProjectSlug {
  /** The directory name under `tmp/` and `history/`. */
  slug: string;
  /** Whether casr must create it (write markers and a registry entry). */
  isNew: boolean;
  /** The registry read on the way (for writing it back). */
  registry: ProjectRegistry;
}

async function markerConflicts(root: string, slug: string, project: string): Promise<boolean> {
  for (const base of ["tmp", "history"]) {
    const owner = await readProjectMarker(path.join(root, base, slug));
    if (owner !== undefined && normalizeProjectPath(owner) !== project) return true;
  }
  return false;
}

/**
 * Resolves the slug Gemini CLI uses for a project, exactly as its registry does:
 * the `projects.json` entry (when no marker names another path), else a
 * `tmp/<slug>` or `history/<slug>` directory whose `.project_root` names the
 * path, else a new slug `slugify(basename)` with `-1`, `-2`… appended while the
 * name is in the registry or its marker names another path.
 *
 * @param root The Gemini root.
 * @param workspace The project path.
 * @returns The slug and whether it is new.
 */
export async function resolveProjectSlug(root: string, workspace: string): Promise<ProjectSlug> {
  const project = normalizeProjectPath(workspace);
  const registry = await readProjectRegistry(root);
  const known = registry.projects[project];
  if (known !== undefined && !(await markerConflicts(root, known, project))) {
    return { slug: known, isNew: false, registry };
  }
  for (const base of ["tmp", "history"]) {
    for (const entry of await listDir(path.join(root, base))) {
      if (!entry.isDir) continue;
      const owner = await readProjectMarker(entry.path);
      if (owner !== undefined && normalizeProjectPath(owner) === project) {
        return { slug: entry.name, isNew: false, registry };
      }
    }
  }
  const base = slugify(path.basename(project));
  const taken = new Set(
    Object.entries(registry.projects).filter(([key]) => key !== project).map(([, v]) => v),
  );
  for (let counter = 0;; counter++) {
    const candidate = counter === 0 ? base : `${base}-${counter}`;
    if (taken.has(candidate)) continue;
    if (await markerConflicts(root, candidate, project)) continue;
    return { slug: candidate, isNew: true, registry };
  }
}

/**
 * Finds the project path of a session file from its location: the
 * `.project_root` marker of its slug directory, else the `projects.json` entry
 * naming that slug, else (legacy SHA-256 directories, or `projectHash`) the
 * registry path whose hash matches.
 *
 * @param file The session file (`<root>/tmp/<slug>/chats/<file>`).
 * @param projectHash The session's `projectHash`, when known.
 * @returns The project path, or `undefined`.
 */
export async function projectPathForFile(
  file: string,
  projectHash?: string,
): Promise<string | undefined> {
  const chatsDir = path.dirname(file);
  const slugDir = path.basename(chatsDir) === "chats"
    ? path.dirname(chatsDir)
    : path.dirname(path.dirname(chatsDir));
  const marker = await readProjectMarker(slugDir);
  if (marker !== undefined) return marker;
  const slug = path.basename(slugDir);
  const root = path.dirname(path.dirname(slugDir));
  const registry = await readProjectRegistry(root);
  for (const [project, value] of Object.entries(registry.projects)) {
    if (value === slug) return project;
  }
  const hashes = [projectHash, HASH_DIR_RE.test(slug) ? slug : undefined];
  for (const [project] of Object.entries(registry.projects)) {
    const hash = sha256Hex(project);
    if (hashes.includes(hash)) return project;
  }
  return undefined;
}

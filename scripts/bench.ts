/**
 * The performance benchmark: on a generated home (`deno task corpus`), times
 * `casr --version` paired with an empty Deno script, `casr list` cold and warm,
 * the full `list --json`, `info`, `search` (building its index cold, and warm),
 * the picker's first frame, and `resume` of the largest session to each core
 * agent, next to floors measured in the same run
 * (walking the directories, reading the head and tail of every file, reading
 * every byte, a streaming parse-and-reserialise of the largest file) and
 * `ccusage session` on the same home. Every figure is the median of several runs
 * of a child process (process start included), printed as a ratio to its floor,
 * with peak RSS from `/usr/bin/time`. casr runs as the binaries run it, from
 * the bundle (`scripts/bundle.ts`, built at the start into the run's folder);
 * one row times a warm list from `cli.ts`'s module graph beside it.
 *
 * Usage: `deno task bench [--home DIR] [--reps 3] [--ccusage 20.0.24|none] [--ccusage-reps 1] [--resume-reps 1] [--no-resume] [--from-disk]`
 *
 * Without `--home` it runs on `/tmp/casr-c10k`, generating that corpus first
 * (10,000 sessions and one of 101 MB, `deno task corpus --sessions 10000
 * --huge`) when it is missing: about 3 minutes in all on a 2-core VM.
 *
 * `--from-disk` drops the OS page cache (Linux, as root) before every run of
 * a cold figure and of its floors, so they read from disk. Each row carries
 * the 1-minute load average when it was taken.
 *
 * @module
 */
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { bundle } from "./bundle.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
/** The module graph's entry (`deno run -A cli.ts`). */
const GRAPH_CLI = path.join(ROOT, "cli.ts");
/** What the figures time: the bundle (`scripts/bundle.ts`), made at the start of the run. */
let CLI = GRAPH_CLI;
const DENO = Deno.execPath();
/** The corpus used when no `--home` is given, generated on first use. */
const DEFAULT_HOME = "/tmp/casr-c10k";
/** The cold list's floor reads this much of each file's head and tail (issue 17's definition). */
const HEAD = 64 * 1024;
const TAIL = 16 * 1024;

/** One timed child run. */
interface Run {
  seconds: number;
  rssMb: number;
  stdout: string;
}

/** The floor programs, run as child Deno processes like casr itself. */
const FLOOR_SCRIPT = `
const [mode, root, a, b] = Deno.args;
const files = [];
async function walk(dir) {
  const subdirs = [];
  for await (const e of Deno.readDir(dir)) {
    const p = dir + "/" + e.name;
    if (e.isDirectory) subdirs.push(p);
    else if (e.isFile && (p.endsWith(".jsonl") || p.endsWith(".json"))) files.push(p);
  }
  await Promise.all(subdirs.map(walk));
}
async function pool(n, fn) {
  let i = 0;
  await Promise.all(Array.from({ length: n }, async () => { while (i < files.length) await fn(files[i++]); }));
}
let bytes = 0;
if (mode === "reserialize") {
  // A streaming parse-and-reserialise of one file: read in chunks, JSON.parse
  // each line, JSON.stringify it, write in chunks.
  const input = await Deno.open(root);
  const output = await Deno.open(a, { write: true, create: true, truncate: true });
  const dec = new TextDecoder(), enc = new TextEncoder();
  const buf = new Uint8Array(1 << 20);
  let pending = "", out = [], outLen = 0;
  const flush = async () => { const d = enc.encode(out.join("")); out = []; outLen = 0; let o = 0; while (o < d.length) o += await output.write(d.subarray(o)); };
  for (;;) {
    const n = await input.read(buf);
    if (n === null) break;
    pending += dec.decode(buf.subarray(0, n), { stream: true });
    let s = 0, nl;
    while ((nl = pending.indexOf("\\n", s)) !== -1) {
      const line = pending.slice(s, nl); s = nl + 1;
      try { const t = JSON.stringify(JSON.parse(line)) + "\\n"; out.push(t); outLen += t.length; } catch {}
      if (outLen > (1 << 20)) await flush();
    }
    pending = pending.slice(s);
  }
  await flush();
  input.close(); output.close();
} else {
  await Promise.all([".claude", ".codex", ".gemini"].map((d) => walk(root + "/" + d).catch(() => {})));
  if (mode === "stat") {
    // What a warm list cannot avoid: one stat per session file, 32 at a time.
    await pool(32, async (p) => { bytes += (await Deno.stat(p)).size; });
  }
  if (mode === "headtail" || mode === "cat") {
    const H = Number(a), T = Number(b);
    await pool(32, async (p) => {
      const f = await Deno.open(p);
      try {
        const size = (await f.stat()).size;
        if (mode === "cat" || size <= H + T) {
          const buf = new Uint8Array(Math.min(size, 1 << 20) || 1);
          for (;;) { const n = await f.read(buf); if (n === null) break; bytes += n; }
        } else {
          const h = new Uint8Array(H); bytes += (await f.read(h)) ?? 0;
          await f.seek(size - T, Deno.SeekMode.Start);
          const t = new Uint8Array(T); bytes += (await f.read(t)) ?? 0;
        }
      } finally { f.close(); }
    });
  }
}
console.log(JSON.stringify({ files: files.length, bytes }));
`;

async function timed(cmd: string[], env: Record<string, string>, cwd = ROOT): Promise<Run> {
  const rssFile = await Deno.makeTempFile({ prefix: "casr-bench-rss-" });
  try {
    const started = performance.now();
    const out = await new Deno.Command("/usr/bin/time", {
      args: ["-f", "%M", "-o", rssFile, ...cmd],
      env,
      clearEnv: true,
      cwd,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const seconds = (performance.now() - started) / 1000;
    if (!out.success) {
      throw new Error(
        `${cmd.join(" ")} failed: ${new TextDecoder().decode(out.stderr).slice(-2000)}`,
      );
    }
    const rssKb = Number((await Deno.readTextFile(rssFile)).trim().split("\n").at(-1));
    return { seconds, rssMb: rssKb / 1024, stdout: new TextDecoder().decode(out.stdout) };
  } finally {
    await Deno.remove(rssFile);
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] as number : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/** Runs `fn` `reps` times (with an optional untimed `before` each time) and keeps medians. */
async function repeat(
  reps: number,
  fn: () => Promise<Run>,
  before?: () => Promise<void>,
): Promise<{ seconds: number; rssMb: number; last: Run }> {
  const runs: Run[] = [];
  for (let i = 0; i < reps; i++) {
    if (before) await before();
    runs.push(await fn());
  }
  return {
    seconds: median(runs.map((r) => r.seconds)),
    rssMb: median(runs.map((r) => r.rssMb)),
    last: runs.at(-1) as Run,
  };
}

/** A row of the result table. */
interface Row {
  figure: string;
  /** Median seconds; `0` for a figure that is not a time. */
  seconds: number;
  /** Peak RSS; `0` where it was not measured (printed blank). */
  rssMb: number;
  floor?: string;
  floorSeconds?: number;
  floorRssMb?: number;
  /** The 1-minute load average when the figure was taken. */
  load?: number | undefined;
}

async function hasScript(): Promise<boolean> {
  return await new Deno.Command("script", { args: ["--version"], stdout: "null", stderr: "null" })
    .output().then((o) => o.success, () => false);
}

/** Seconds from starting `casr cc resume` in a pseudo-terminal to its picker's first frame. */
async function firstFrame(env: Record<string, string>): Promise<number> {
  const command = `${DENO} run -A ${CLI} cc resume`;
  const child = new Deno.Command("script", {
    args: ["-qfec", command, "/dev/null"],
    env: { ...env, TERM: "xterm", COLUMNS: "120", LINES: "40" },
    clearEnv: true,
    stdin: "piped",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const started = performance.now();
  const writer = child.stdin.getWriter();
  const decoder = new TextDecoder();
  let seen = "";
  let at = Number.NaN;
  for await (const chunk of child.stdout) {
    seen += decoder.decode(chunk, { stream: true });
    if (Number.isNaN(at) && seen.includes("type to filter")) {
      at = (performance.now() - started) / 1000;
      await writer.write(new TextEncoder().encode("\x1b"));
    }
  }
  await writer.close().catch(() => {});
  await child.status;
  if (Number.isNaN(at)) throw new Error("the picker never drew its first frame");
  return at;
}

function fmtRow(r: Row): string {
  const ratio = r.floorSeconds ? `${(r.seconds / r.floorSeconds).toFixed(2)}×` : "";
  const rssRatio = r.floorRssMb ? `${(r.rssMb / r.floorRssMb).toFixed(2)}×` : "";
  const blankIfZero = (value: number, digits: number) => value > 0 ? value.toFixed(digits) : "";
  return `| ${r.figure} | ${blankIfZero(r.seconds, 3)} | ${r.floor ?? ""} | ${ratio} | ${
    blankIfZero(r.rssMb, 0)
  } | ${rssRatio} | ${r.load === undefined || r.seconds === 0 ? "" : r.load.toFixed(2)} |`;
}

/** The 1-minute load average (Linux), or `undefined` where it cannot be read. */
function loadAverage(): number | undefined {
  try {
    return Number(Deno.readTextFileSync("/proc/loadavg").split(" ")[0]);
  } catch {
    return undefined;
  }
}

/**
 * Drops the OS page cache so the next run reads from disk (Linux, as root).
 *
 * @returns Whether it could.
 */
async function dropPageCache(): Promise<boolean> {
  try {
    await new Deno.Command("sync").output();
    await Deno.writeTextFile("/proc/sys/vm/drop_caches", "3\n");
    return true;
  } catch {
    return false;
  }
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      home: { type: "string", default: DEFAULT_HOME },
      reps: { type: "string", default: "3" },
      "resume-reps": { type: "string", default: "1" },
      // The newest release that runs on Linux x64: 20.0.26 is on npm, but its
      // native @ccusage/ccusage-linux-x64 package was never published.
      ccusage: { type: "string", default: "20.0.24" },
      "ccusage-reps": { type: "string", default: "1" },
      "no-resume": { type: "boolean", default: false },
      "from-disk": { type: "boolean", default: false },
    },
  });
  const home = path.resolve(values.home);
  if (home === DEFAULT_HOME && !(await Deno.stat(home).then(() => true, () => false))) {
    // The default corpus: 10,000 sessions and one of 101 MB, made once (about a minute).
    console.error(`bench: generating the 10,000-session corpus in ${home} (once)`);
    const made = await new Deno.Command(DENO, {
      args: [
        "run",
        "-A",
        path.join(ROOT, "scripts", "gen_corpus.ts"),
        "--sessions",
        "10000",
        "--huge",
        "--out",
        home,
      ],
      stdout: "inherit",
      stderr: "inherit",
    }).output();
    if (!made.success) Deno.exit(1);
  }
  const reps = Number(values.reps);
  const resumeReps = Number(values["resume-reps"]);
  const work = await Deno.makeTempDir({ prefix: "casr-bench-" });
  const cacheHome = path.join(work, "cache");
  const floorScript = path.join(work, "floor.js");
  await Deno.writeTextFile(floorScript, FLOOR_SCRIPT);
  // casr as the binaries run it: the bundle, which starts faster than cli.ts's
  // module graph (one row below times the graph too).
  CLI = await bundle(path.join(work, "casr"), ROOT);
  const baseEnv: Record<string, string> = {
    HOME: home,
    XDG_CACHE_HOME: cacheHome,
    PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
    TZ: "UTC",
    NO_COLOR: "1",
  };
  for (const name of ["DENO_DIR", "npm_config_cache"]) {
    const v = Deno.env.get(name);
    if (v !== undefined) baseEnv[name] = v;
  }
  // Deno's own cache would follow XDG_CACHE_HOME into the throwaway folder and
  // download casr's npm dependencies again: keep the real one.
  baseEnv.DENO_DIR ??= path.join(
    Deno.env.get("XDG_CACHE_HOME") ?? path.join(Deno.env.get("HOME") ?? "/root", ".cache"),
    "deno",
  );
  // npx keeps its cache under HOME; point it at the real one so ccusage is not re-downloaded.
  baseEnv.npm_config_cache ??= path.join(Deno.env.get("HOME") ?? "/root", ".npm");
  const casr = (...args: string[]) => () => timed([DENO, "run", "-A", CLI, ...args], baseEnv);
  const floor = (...args: string[]) => () =>
    timed([DENO, "run", "-A", floorScript, ...args], baseEnv);
  const dropCache = () => Deno.remove(cacheHome, { recursive: true }).catch(() => {});
  const rows: Row[] = [];
  const addRow = (row: Row): void => void rows.push({ load: loadAverage(), ...row });
  const loadAtStart = loadAverage();
  // --from-disk: every cold figure and its floors start with an empty page cache.
  const fromDisk = values["from-disk"];
  if (fromDisk && !(await dropPageCache())) {
    console.error("--from-disk: cannot drop the page cache here (Linux, as root); stopping");
    Deno.exit(2);
  }
  const coldBefore = fromDisk ? async () => void (await dropPageCache()) : undefined;
  try {
    // Warm the OS page cache and Deno's module cache first; every figure below
    // is "hot" unless --from-disk drops the page cache before the cold ones.
    await floor("cat", home, String(HEAD), String(TAIL))();
    await casr("list", "--json", "--limit", "0", "--no-cache")();

    const walk = await repeat(reps, floor("walk", home));
    const walkStat = await repeat(reps, floor("stat", home));
    const headTail = await repeat(
      reps,
      floor("headtail", home, String(HEAD), String(TAIL)),
      coldBefore,
    );
    const cat = await repeat(reps, floor("cat", home, String(HEAD), String(TAIL)), coldBefore);
    const corpus = JSON.parse(cat.last.stdout) as { files: number; bytes: number };
    console.error(`corpus: ${corpus.files} files, ${(corpus.bytes / 1024 / 1024).toFixed(0)} MB`);
    const hello = await repeat(
      reps,
      () => timed([DENO, "run", "-A", floorScript, "none", "/nonexistent"], baseEnv),
    );
    addRow({ figure: "floor: deno start (no I/O)", ...hello });
    // Start-up, paired: casr --version and an empty script in turn, the ratio
    // taken pair by pair so a drifting machine does not skew it.
    const empty = path.join(work, "empty.ts");
    await Deno.writeTextFile(empty, "");
    const pairs: number[] = [];
    const startRuns: Run[] = [];
    const emptyRuns: Run[] = [];
    for (let i = 0; i < reps * 2; i++) {
      const a = await timed([DENO, "run", "-A", CLI, "--version"], baseEnv);
      const b = await timed([DENO, "run", "-A", empty], baseEnv);
      startRuns.push(a);
      emptyRuns.push(b);
      pairs.push(a.seconds / b.seconds);
    }
    const emptyMedian = median(emptyRuns.map((r) => r.seconds));
    addRow({ figure: "floor: deno run of an empty script", seconds: emptyMedian, rssMb: 0 });
    addRow({
      figure: `casr --version (median of ${pairs.length} paired ratios: ${
        median(pairs).toFixed(2)
      }×)`,
      seconds: median(startRuns.map((r) => r.seconds)),
      rssMb: median(startRuns.map((r) => r.rssMb)),
      floor: "empty script",
      floorSeconds: emptyMedian,
    });
    addRow({ figure: "floor: walk the directories", ...walk });
    addRow({ figure: "floor: walk and stat every session file", ...walkStat });
    addRow({
      figure: `floor: head ${HEAD / 1024} KiB + tail ${TAIL / 1024} KiB of every file`,
      ...headTail,
    });
    addRow({ figure: "floor: read every byte (cat)", ...cat });

    const listCold = await repeat(reps, casr("list"), async () => {
      await dropCache();
      await coldBefore?.();
    });
    const listWarm = await repeat(reps, casr("list"));
    const listWarmGraph = await repeat(
      reps,
      () => timed([DENO, "run", "-A", GRAPH_CLI, "list"], baseEnv),
    );
    const listJson = await repeat(reps, casr("list", "--json"));
    const listNoCache = await repeat(reps, casr("list", "--no-cache"), coldBefore);
    const ht = { floor: "head+tail", floorSeconds: headTail.seconds };
    addRow({ figure: "casr list, cold (empty index cache)", ...listCold, ...ht });
    addRow({
      figure: "casr list, warm (index cache; goal 1.3×)",
      ...listWarm,
      floor: "walk+stat",
      floorSeconds: walkStat.seconds,
    });
    addRow({
      figure: "casr list, warm, from the module graph (deno run cli.ts)",
      ...listWarmGraph,
      floor: "walk+stat",
      floorSeconds: walkStat.seconds,
    });
    addRow({
      figure: "casr list --json (every row), warm (goal 1.5×)",
      ...listJson,
      floor: "walk+stat",
      floorSeconds: walkStat.seconds,
    });
    addRow({ figure: "casr list --no-cache", ...listNoCache, ...ht });

    // Search: the index built from cold (next to a cold list without its
    // cache), a warm search, and the index's size beside the corpus's.
    const searchIndex = path.join(cacheHome, "casr", "search.sqlite");
    const dropSearch = async () => {
      for (const suffix of ["", "-wal", "-shm"]) {
        await Deno.remove(searchIndex + suffix).catch(() => {});
      }
    };
    const searchCold = await repeat(
      Math.min(reps, 3),
      casr("search", "error", "--json"),
      async () => {
        await dropSearch();
        await coldBefore?.();
      },
    );
    addRow({
      figure: "casr search, index built from cold",
      ...searchCold,
      floor: "list --no-cache",
      floorSeconds: listNoCache.seconds,
    });
    const searchWarm = await repeat(reps, casr("search", "error", "--json"));
    addRow({
      figure: "casr search, warm (goal: under 0.5 s)",
      ...searchWarm,
      floor: "list warm",
      floorSeconds: listWarm.seconds,
    });
    const indexBytes = (await Deno.stat(searchIndex)).size;
    console.error(
      `search index: ${(indexBytes / 1024 / 1024).toFixed(0)} MB, ${
        (100 * indexBytes / corpus.bytes).toFixed(1)
      }% of the corpus (goal: at most 25%)`,
    );
    addRow({
      figure: `search index size: ${(indexBytes / 1024 / 1024).toFixed(0)} MB, ${
        (100 * indexBytes / corpus.bytes).toFixed(1)
      }% of the corpus`,
      seconds: 0,
      rssMb: 0,
    });
    // The picker's first frame, through a pseudo-terminal: from start to the
    // frame, next to a warm list.
    if (await hasScript()) {
      const frames: number[] = [];
      for (let i = 0; i < reps; i++) frames.push(await firstFrame(baseEnv));
      addRow({
        figure: "picker: first frame on a terminal (goal: warm list + 0.3 s)",
        seconds: median(frames),
        rssMb: 0,
        floor: "list warm",
        floorSeconds: listWarm.seconds,
      });
    }

    const all = JSON.parse((await casr("list", "--json")()).stdout).sessions as {
      id: string;
      provider: string;
      path: string;
      sizeBytes?: number;
    }[];
    const bySize = [...all].sort((a, b) => (a.sizeBytes ?? 0) - (b.sizeBytes ?? 0));
    const typical = bySize[Math.floor(bySize.length / 2)] as (typeof all)[number];
    const info = await repeat(reps, casr("info", typical.id));
    addRow({
      figure: `casr info <median session, ${((typical.sizeBytes ?? 0) / 1024).toFixed(0)} KB>`,
      ...info,
      floor: "walk",
      floorSeconds: walk.seconds,
    });

    if (values.ccusage !== "none") {
      const cc = await repeat(
        Number(values["ccusage-reps"]),
        () =>
          timed(
            ["npx", "-y", `ccusage@${values.ccusage}`, "session", "--offline", "--json"],
            baseEnv,
          ),
        coldBefore,
      );
      addRow({ figure: `ccusage@${values.ccusage} session (Claude files only)`, ...cc });
      addRow({
        figure: "casr list cold ÷ ccusage session",
        seconds: listCold.seconds,
        rssMb: listCold.rssMb,
        floor: "ccusage",
        floorSeconds: cc.seconds,
        floorRssMb: cc.rssMb,
      });
    }

    if (!values["no-resume"]) {
      const largest = bySize.at(-1) as (typeof all)[number];
      const mb = ((largest.sizeBytes ?? 0) / 1024 / 1024).toFixed(0);
      const out = path.join(work, "reserialized.jsonl");
      const reser = await repeat(resumeReps, floor("reserialize", largest.path, out));
      await Deno.remove(out);
      addRow({ figure: `floor: stream parse+reserialise ${mb} MB`, ...reser });
      const floorOf = {
        floor: "reserialise",
        floorSeconds: reser.seconds,
        floorRssMb: reser.rssMb,
      };
      const info = await repeat(resumeReps, casr("info", largest.id));
      addRow({
        figure: `casr info <largest, ${mb} MB ${largest.provider}>`,
        ...info,
        ...floorOf,
      });
      let codexCopy: { id: string; files: string[] } | undefined;
      // Each target twice: with the default context budget (what a user gets:
      // a 100 MB session is cut to the target's window) and whole, with the
      // budget off, which writes and verifies all of it.
      const modes = [
        { label: "default budget", args: [] },
        { label: "whole, --max-context-tokens 0", args: ["--max-context-tokens", "0"] },
      ];
      for (const target of ["codex", "gemini-cli", "claude-code"]) {
        for (const mode of modes) {
          let source = largest.id;
          if (target === largest.provider) {
            if (codexCopy === undefined) continue;
            source = codexCopy.id; // the largest session, converted whole to Codex above
          }
          const runs: Run[] = [];
          for (let i = 0; i < resumeReps; i++) {
            const run = await casr(target, "resume", source, "--json", ...mode.args)();
            runs.push(run);
            const result = JSON.parse(run.stdout) as {
              target: { sessionId: string };
              files: string[];
            };
            // Each run writes a new session; remove it so the next run is not a conflict.
            if (target === "codex" && mode.args.length > 0 && i === resumeReps - 1) {
              codexCopy = { id: result.target.sessionId, files: result.files };
            } else {
              for (const f of result.files) await Deno.remove(f).catch(() => {});
            }
          }
          addRow({
            figure: `casr resume <${mb} MB ${
              source === largest.id ? largest.provider : "codex copy"
            }> → ${target} (${mode.label})`,
            seconds: median(runs.map((r) => r.seconds)),
            rssMb: median(runs.map((r) => r.rssMb)),
            ...floorOf,
          });
        }
      }
      for (const f of codexCopy?.files ?? []) await Deno.remove(f).catch(() => {});
    }
  } finally {
    await Deno.remove(work, { recursive: true }).catch(() => {});
  }
  const fmtLoad = (l: number | undefined) => (l === undefined ? "unknown" : l.toFixed(2));
  console.log(
    `\nHome ${home}: ${rows.length} figures, medians of ${reps} runs (resume: ${
      values["no-resume"] ? "not run" : resumeReps
    }), ` +
      `${Deno.build.os}/${Deno.build.arch}, ${navigator.hardwareConcurrency} cores, Deno ${Deno.version.deno}, ` +
      `${
        fromDisk ? "cold figures from disk (page cache dropped before each run)" : "page cache warm"
      }, ` +
      `load average ${fmtLoad(loadAtStart)} at the start and ${
        fmtLoad(loadAverage())
      } at the end\n`,
  );
  console.log("| figure | median s | floor | ratio | peak RSS MB | RSS ratio | load |");
  console.log("| --- | ---: | --- | ---: | ---: | ---: | ---: |");
  for (const r of rows) console.log(fmtRow(r));
}

/**
 * The `index.html` of `casr export --all --format html`: one self-contained
 * page listing every exported session, filtered in the browser (no server) by
 * agent, workspace, date and text. The filter also reads the page's query
 * string (`?agent=codex&q=login&since=2026-01-01`), so a filtered view can be
 * linked to.
 *
 * @module
 */
import { escapeHtml } from "./transcript.ts";

/** One session of the index. */
export interface IndexEntry {
  /** The agent id. */
  provider: string;
  /** The session id. */
  id: string;
  /** Its title. */
  title: string;
  /** Its workspace, if known. */
  workspace?: string | undefined;
  /** Last activity, epoch ms. */
  lastActiveAt?: number | undefined;
  /** Conversation messages. */
  messages: number;
  /** The page's path relative to the index. */
  href: string;
  /** Text the filter searches besides the title: the user's prompts, cut short. */
  text: string;
}

const STYLE = `
body{font:15px/1.45 system-ui,sans-serif;max-width:1100px;margin:1.5rem auto;padding:0 1rem;color:#1d1d1f;background:#fff}
h1{font-size:1.3rem}form{display:flex;flex-wrap:wrap;gap:.5rem;margin:1rem 0}
input,select{font:inherit;padding:.3rem .5rem}#q{flex:1;min-width:14rem}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #eee;vertical-align:top}
th{font-size:.8rem;color:#666}td.n{text-align:right}.ws{color:#666;font-size:.85rem}#count{color:#666}
@media (prefers-color-scheme:dark){body{background:#111;color:#eee}th,td{border-color:#333}}
`;

/** The page's script: reads the controls (or the query string), hides the rows that do not match. */
const SCRIPT = `
const rows = [...document.querySelectorAll("tbody tr")];
const fold = (s) => s.normalize("NFKD").replace(/\\p{M}/gu, "").toLowerCase();
const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
for (const k of ["q", "agent", "workspace", "since", "until"]) if (params.has(k)) $(k).value = params.get(k);
function apply() {
  const words = fold($("q").value).split(/\\s+/).filter(Boolean);
  const agent = $("agent").value, ws = $("workspace").value;
  const since = $("since").value ? Date.parse($("since").value) : -Infinity;
  const until = $("until").value ? Date.parse($("until").value) + 86400000 : Infinity;
  let shown = 0;
  for (const r of rows) {
    const d = r.dataset, t = Number(d.time || 0);
    const ok = (!agent || d.agent === agent) && (!ws || d.workspace === ws) &&
      t >= since && t < until && words.every((w) => d.text.includes(w));
    r.hidden = !ok;
    if (ok) shown++;
  }
  $("count").textContent = shown + " of " + rows.length + " sessions";
}
for (const id of ["q", "agent", "workspace", "since", "until"]) $(id).addEventListener("input", apply);
apply();
`;

function fold(text: string): string {
  return text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
}

function day(ms: number | undefined): string {
  return ms === undefined ? "" : new Date(ms).toISOString().slice(0, 10);
}

/**
 * Renders the index page.
 *
 * @param entries The sessions, newest first.
 * @param generatedAt When, epoch ms.
 * @returns The HTML document.
 */
export function renderIndex(entries: readonly IndexEntry[], generatedAt: number): string {
  const agents = [...new Set(entries.map((e) => e.provider))].sort();
  const workspaces = [...new Set(entries.flatMap((e) => e.workspace ? [e.workspace] : []))].sort();
  const option = (v: string): string =>
    `<option value="${escapeHtml(v)}">${escapeHtml(v)}</option>`;
  const rows = entries.map((e) =>
    `<tr data-agent="${escapeHtml(e.provider)}" data-workspace="${
      escapeHtml(e.workspace ?? "")
    }" data-time="${e.lastActiveAt ?? ""}" data-text="${
      escapeHtml(fold(`${e.title} ${e.provider} ${e.id} ${e.workspace ?? ""} ${e.text}`))
    }"><td>${escapeHtml(day(e.lastActiveAt))}</td><td>${escapeHtml(e.provider)}</td><td><a href="${
      escapeHtml(e.href)
    }">${escapeHtml(e.title)}</a><div class="ws">${
      escapeHtml(e.workspace ?? "")
    }</div></td><td class="n">${e.messages}</td></tr>`
  );
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="generator" content="casr">
<title>casr sessions</title><style>${STYLE}</style></head>
<body><h1>Sessions</h1>
<p id="count">${entries.length} sessions</p>
<form onsubmit="return false">
<input id="q" type="search" placeholder="Filter: words in titles and prompts" aria-label="text">
<select id="agent" aria-label="agent"><option value="">every agent</option>${
    agents.map(option).join("")
  }</select>
<select id="workspace" aria-label="workspace"><option value="">every workspace</option>${
    workspaces.map(option).join("")
  }</select>
<label>from <input id="since" type="date"></label><label>to <input id="until" type="date"></label>
</form>
<table><thead><tr><th>Date</th><th>Agent</th><th>Title</th><th>Messages</th></tr></thead>
<tbody>
${rows.join("\n")}
</tbody></table>
<p class="ws">Written by casr on ${escapeHtml(new Date(generatedAt).toISOString())}.</p>
<script>${SCRIPT}</script>
</body></html>
`;
}

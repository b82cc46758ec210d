/**
 * @module The inspector's page (/-/mock/ui): the frame rendered on the server (landmarks, labelled
 * controls, empty tables), filled by the small script of client.ts from the control API. No data is
 * in the HTML itself: with a control token set, the script asks for it before it reads anything.
 */

const esc = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`)

const STYLE = `
:root{--fg:#1f2328;--muted:#57606a;--bg:#fff;--panel:#f6f8fa;--line:#d0d7de;--accent:#0a58ca;--focus:#0a58ca}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:var(--fg);background:var(--bg)}
a{color:var(--accent)}
header{display:flex;flex-wrap:wrap;gap:12px 24px;align-items:center;padding:10px 20px;background:#1f2937;color:#f9fafb}
header h1{font-size:18px;margin:0}
header a{color:#bfdbfe}
header .meta{color:#e5e7eb}
header label{color:#f9fafb}
.sr-only{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0,0,0,0);border:0}
.bar{display:flex;flex-wrap:wrap;gap:16px;padding:12px 20px;background:var(--panel);border-bottom:1px solid var(--line)}
.bar section{display:flex;flex-wrap:wrap;align-items:center;gap:8px}
.bar h2{font-size:14px;margin:0 4px 0 0}
button,select,input{font:inherit;color:var(--fg)}
button{padding:4px 10px;border:1px solid #8c959f;border-radius:6px;background:#fff;cursor:pointer}
button:hover{background:#eef1f4}
button.primary{background:#0a58ca;color:#fff;border-color:#0a58ca}
button.danger{color:#a40e26;border-color:#a40e26}
button:disabled{opacity:.55;cursor:default}
input,select{padding:4px 6px;border:1px solid #8c959f;border-radius:6px;background:#fff}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
nav.tabs{display:flex;gap:4px;padding:0 20px;border-bottom:1px solid var(--line);margin-top:8px}
nav.tabs button{border:1px solid transparent;border-bottom:none;border-radius:6px 6px 0 0;background:none;padding:8px 14px}
nav.tabs button[aria-selected=true]{border-color:var(--line);background:#fff;font-weight:600;margin-bottom:-1px}
main{padding:16px 20px}
[role=tabpanel][hidden]{display:none}
form.filters{display:flex;flex-wrap:wrap;gap:10px;align-items:end;margin-bottom:10px}
form.filters label{display:flex;flex-direction:column;font-size:12px;color:var(--muted);gap:2px}
.total{font-weight:600;margin:6px 0}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:6px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{background:var(--panel);font-weight:600}
tbody tr.clickable{cursor:pointer}
tbody tr.clickable:hover{background:#f3f6fb}
tbody tr[aria-selected=true]{background:#e7f0fe}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600;color:#fff;white-space:nowrap}
.b-online{background:#116329}.b-offline{background:#57606a}.b-stale{background:#a40e26}.b-never_contacted{background:#6639ba}.b-paused{background:#8a4600}
.b-frozen{background:#0a58ca}.b-real{background:#116329}
.s2{background:#116329}.s3{background:#0a58ca}.s4{background:#8a4600}.s5{background:#a40e26}
.tag{display:inline-block;padding:0 6px;margin:0 3px 2px 0;border:1px solid var(--line);border-radius:4px;font-size:12px;background:#fff}
.muted{color:var(--muted)}
.pager{display:flex;gap:8px;align-items:center;margin-top:10px}
.layout{display:grid;grid-template-columns:minmax(0,1fr);gap:16px}
.layout.with-detail{grid-template-columns:minmax(0,1fr) minmax(300px,360px)}
.table-wrap{overflow-x:auto}
aside.detail{border:1px solid var(--line);border-radius:8px;padding:12px;background:#fff;align-self:start;position:sticky;top:8px;max-height:calc(100vh - 16px);overflow:auto}
aside.detail h3{margin:0 0 8px;font-size:16px}
aside.detail h4{margin:12px 0 4px;font-size:13px}
dl.kv{display:grid;grid-template-columns:max-content 1fr;gap:2px 10px;margin:0}
dl.kv dt{color:var(--muted)}
dl.kv dd{margin:0;overflow-wrap:anywhere}
code{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#f3f4f6;padding:1px 4px;border-radius:4px;overflow-wrap:anywhere}
ul.tree{list-style:none;padding-left:18px;margin:0}
ul.tree>li{margin:3px 0}
.kind{display:inline-block;min-width:54px;margin-right:6px;font-size:11px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted)}
.notice{padding:10px 12px;border:1px solid var(--line);border-radius:6px;background:var(--panel)}
.status{margin:0;color:var(--muted);align-self:center}
.status:empty{display:none}
ul.journal{list-style:none;padding:0;margin:0}
ul.journal>li{border-bottom:1px solid var(--line);padding:6px 0}
ul.journal summary{cursor:pointer}
.entry h4{margin:8px 0 2px;font-size:12px;color:var(--muted)}
details pre{max-height:320px;overflow:auto;white-space:pre-wrap;overflow-wrap:anywhere;background:#f6f8fa;padding:8px;border-radius:6px;margin:6px 0}
#token-dialog{max-width:420px;border:1px solid var(--line);border-radius:8px;padding:16px}
#token-dialog::backdrop{background:rgba(0,0,0,.35)}
`

/** The page for a server emulating `gitlabVersion`; `base` is the path the page is served under (`/-/mock/ui` or a world's). */
export function inspectorPage(gitlabVersion: string): string {
  const option = (value: string, label: string) => `<option value="${esc(value)}">${esc(label)}</option>`
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Inspector · gitlab-runners-mock</title>
<link rel="icon" href="data:,">
<style>${STYLE}</style>
</head>
<body>
<header>
  <h1>gitlab-runners-mock inspector</h1>
  <span class="meta">GitLab ${esc(gitlabVersion)}</span>
  <span class="meta" id="world-summary"></span>
  <label id="world-picker" hidden>World <select id="world-select"></select></label>
  <a href="docs">API docs</a>
  <a href="openapi.json">openapi.json</a>
</header>
<div class="bar">
  <section aria-labelledby="clock-h">
    <h2 id="clock-h">Clock</h2>
    <time id="clock-now">…</time>
    <span id="clock-mode" class="badge"></span>
    <button type="button" data-advance="1h">+1 hour</button>
    <button type="button" data-advance="1d">+1 day</button>
    <button type="button" data-advance="7d">+7 days</button>
    <button type="button" data-advance="3mo">+3 months</button>
    <button type="button" id="clock-freeze">Freeze</button>
    <button type="button" id="clock-real">Unfreeze (real time)</button>
  </section>
  <section aria-labelledby="actions-h">
    <h2 id="actions-h">Actions</h2>
    <button type="button" id="action-reset" class="danger">Reset</button>
    <label for="snapshot-name" class="sr-only">Snapshot name</label>
    <input id="snapshot-name" placeholder="snapshot name" value="default" size="12">
    <button type="button" id="action-snapshot">Snapshot</button>
    <label for="snapshot-select" class="sr-only">Snapshot to restore</label>
    <select id="snapshot-select"></select>
    <button type="button" id="action-restore">Restore</button>
  </section>
  <p class="status" id="status" role="status" aria-live="polite"></p>
</div>
<nav class="tabs" role="tablist" aria-label="Inspector sections">
  <button type="button" role="tab" id="tab-runners" aria-controls="panel-runners" aria-selected="true">Runners</button>
  <button type="button" role="tab" id="tab-tree" aria-controls="panel-tree" aria-selected="false" tabindex="-1">Projects &amp; groups</button>
  <button type="button" role="tab" id="tab-users" aria-controls="panel-users" aria-selected="false" tabindex="-1">Users</button>
  <button type="button" role="tab" id="tab-tokens" aria-controls="panel-tokens" aria-selected="false" tabindex="-1">Tokens</button>
  <button type="button" role="tab" id="tab-requests" aria-controls="panel-requests" aria-selected="false" tabindex="-1">Requests</button>
  <button type="button" role="tab" id="tab-faults" aria-controls="panel-faults" aria-selected="false" tabindex="-1">Faults</button>
</nav>
<main>
  <section role="tabpanel" id="panel-runners" aria-labelledby="tab-runners">
    <form class="filters" id="runner-filters">
      <label>Type<select name="type">${option('', 'any')}${option('instance_type', 'instance')}${option('group_type', 'group')}${option('project_type', 'project')}</select></label>
      <label>Status<select name="status">${option('', 'any')}${['online', 'offline', 'stale', 'never_contacted', 'paused', 'active'].map((s) => option(s, s.replace('_', ' '))).join('')}</select></label>
      <label>Tag<input name="tag" placeholder="docker,linux" size="14"></label>
      <label>Search<input name="q" type="search" placeholder="id, description, owner…" size="22"></label>
      <label>Per page<select name="per_page">${option('50', '50')}${option('100', '100')}${option('200', '200')}</select></label>
      <button type="submit" class="primary">Apply</button>
      <button type="reset">Clear</button>
    </form>
    <p class="total" id="runner-total" aria-live="polite"></p>
    <div class="layout" id="runner-layout">
      <div class="table-wrap">
        <table id="runner-table">
          <caption class="sr-only">Runners in id order</caption>
          <thead><tr><th scope="col">ID</th><th scope="col">Description</th><th scope="col">Type</th><th scope="col">Owner</th><th scope="col">Tags</th><th scope="col">Status</th><th scope="col">Last contact</th></tr></thead>
          <tbody></tbody>
        </table>
        <div class="pager">
          <button type="button" id="page-prev">Previous</button>
          <span id="page-info"></span>
          <button type="button" id="page-next">Next</button>
        </div>
      </div>
      <aside class="detail" id="runner-detail" aria-live="polite" hidden></aside>
    </div>
  </section>
  <section role="tabpanel" id="panel-tree" aria-labelledby="tab-tree" hidden><div id="tree"></div></section>
  <section role="tabpanel" id="panel-users" aria-labelledby="tab-users" hidden>
    <table id="user-table"><caption class="sr-only">Users</caption><thead><tr><th scope="col">ID</th><th scope="col">Username</th><th scope="col">Name</th><th scope="col">Admin</th><th scope="col">State</th><th scope="col">Roles</th></tr></thead><tbody></tbody></table>
  </section>
  <section role="tabpanel" id="panel-tokens" aria-labelledby="tab-tokens" hidden><div id="tokens"></div></section>
  <section role="tabpanel" id="panel-requests" aria-labelledby="tab-requests" hidden>
    <div class="filters">
      <label><input type="checkbox" id="journal-control"> show control-API and inspector calls</label>
      <button type="button" id="journal-refresh">Refresh</button>
    </div>
    <p class="muted" id="journal-info"></p>
    <ul id="journal" class="journal"></ul>
  </section>
  <section role="tabpanel" id="panel-faults" aria-labelledby="tab-faults" hidden>
    <p class="muted" id="faults-info"></p>
    <ul id="faults" class="tree"></ul>
    <button type="button" id="faults-clear" class="danger">Remove every fault</button>
  </section>
</main>
<dialog id="token-dialog" aria-labelledby="token-h">
  <form method="dialog" id="token-form">
    <h2 id="token-h">Control token</h2>
    <p>This server guards its control API. Enter the control token it was started with (kept in this tab only).</p>
    <label for="token-input">Control token</label>
    <input id="token-input" type="password" autocomplete="off" required>
    <p><button type="submit" class="primary">Use token</button></p>
  </form>
</dialog>
<script src="ui/app.js"></script>
</body>
</html>
`
}

// @ts-nocheck -- browser code: the project compiles without the DOM library; this function runs in the page, never in Node.
/**
 * @module The inspector's script (served as /-/mock/ui/app.js): one self-contained function, sent as
 * its source text. It reads the control API relative to the page (so it works under a world's prefix
 * too), asks for the control token on a 401, and builds every node with textContent (no HTML from data).
 */

export function inspectorClient() {
  const TOKEN_KEY = 'gitlab-runners-mock-control-token'
  const base = location.pathname.replace(/\/-\/mock\/ui\/?$/, '')
  const control = base + '/-/mock'
  const $ = (id) => document.getElementById(id)
  const state = { page: 1, filters: {}, selected: null, now: null, tab: 'runners', journal: null, journalTimer: null }

  function h(tag, attrs, ...children) {
    const el = document.createElement(tag)
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue
      if (k === 'class') el.className = v
      else if (k.startsWith('on')) el.addEventListener(k.slice(2), v)
      else el.setAttribute(k, v === true ? '' : String(v))
    }
    for (const child of children.flat()) if (child !== null && child !== undefined && child !== false) el.append(child instanceof Node ? child : String(child))
    return el
  }

  /** replaceChildren, skipping the null/false a conditional child gives (the DOM would print "null"). */
  function fill(el, ...children) {
    el.replaceChildren()
    for (const child of children.flat(2)) if (child !== null && child !== undefined && child !== false) el.append(child)
  }

  function say(text) {
    $('status').textContent = text
  }

  let asking = null
  function askToken() {
    asking ??= new Promise((resolve) => {
      const dialog = $('token-dialog')
      $('token-form').onsubmit = () => {
        sessionStorage.setItem(TOKEN_KEY, $('token-input').value)
        asking = null
        resolve()
      }
      dialog.showModal()
      $('token-input').focus()
    })
    return asking
  }

  /** A control-API call: JSON in and out, the control token sent when known, asked for on a 401. */
  async function call(path, options = {}) {
    for (;;) {
      const headers = { Accept: 'application/json' }
      const token = sessionStorage.getItem(TOKEN_KEY)
      if (token) headers['X-Mock-Control-Token'] = token
      if (options.body !== undefined) headers['Content-Type'] = 'application/json'
      const res = await fetch(control + path, { method: options.method || 'GET', headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) })
      if (res.status === 401) {
        sessionStorage.removeItem(TOKEN_KEY)
        await askToken()
        continue
      }
      const text = await res.text()
      let body = null
      try {
        body = text ? JSON.parse(text) : null
      } catch {
        body = text
      }
      return { status: res.status, body }
    }
  }

  // ---- time ----
  function ago(iso, nowIso) {
    if (!iso) return 'never'
    const seconds = Math.round((Date.parse(nowIso) - Date.parse(iso)) / 1000)
    const future = seconds < 0
    const s = Math.abs(seconds)
    const units = [
      ['year', 365 * 86400],
      ['month', 30 * 86400],
      ['day', 86400],
      ['hour', 3600],
      ['minute', 60],
    ]
    let text = 'just now'
    for (const [name, size] of units) {
      if (s >= size) {
        const n = Math.floor(s / size)
        text = n + ' ' + name + (n === 1 ? '' : 's')
        break
      }
    }
    if (text === 'just now' && s >= 10) text = s + ' seconds'
    return text === 'just now' ? text : future ? 'in ' + text : text + ' ago'
  }
  const when = (iso) => (iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, ' UTC') : '—')

  function badge(status) {
    return h('span', { class: 'badge b-' + status }, status.replace('_', ' '))
  }

  function copyButton(value, label) {
    return h(
      'button',
      {
        type: 'button',
        'aria-label': 'Copy ' + label,
        onclick: async (event) => {
          const button = event.currentTarget
          try {
            await navigator.clipboard.writeText(value)
            button.textContent = 'Copied'
          } catch {
            const field = h('textarea', {}, value)
            document.body.append(field)
            field.select()
            document.execCommand('copy')
            field.remove()
            button.textContent = 'Copied'
          }
          setTimeout(() => (button.textContent = 'Copy'), 1500)
        },
      },
      'Copy',
    )
  }

  // ---- clock ----
  async function loadClock() {
    const { body } = await call('/clock')
    state.now = body.now
    const t = $('clock-now')
    t.textContent = when(body.now)
    t.setAttribute('datetime', body.now)
    const mode = $('clock-mode')
    mode.textContent = body.frozen ? 'frozen' : 'real time'
    mode.className = 'badge ' + (body.frozen ? 'b-frozen' : 'b-real')
  }

  async function changeClock(path, body, message) {
    const res = await call(path, { method: path === '/clock' ? 'PUT' : 'POST', body })
    if (res.status !== 200) return say('Clock: ' + (res.body && res.body.message))
    say(message + ': now ' + when(res.body.now))
    await refresh()
  }

  // ---- runners ----
  function runnerQuery() {
    const q = new URLSearchParams()
    for (const [k, v] of Object.entries(state.filters)) if (v) q.set(k, v)
    q.set('page', String(state.page))
    return q.toString()
  }

  async function loadRunners() {
    const res = await call('/inspect/runners?' + runnerQuery())
    if (res.status !== 200) return say('Runners: ' + (res.body && res.body.message))
    const data = res.body
    state.now = data.now
    if (data.page > data.total_pages && data.total > 0) {
      state.page = data.total_pages
      return loadRunners()
    }
    $('runner-total').textContent = data.total + (data.total === 1 ? ' runner' : ' runners') + (Object.values(state.filters).some((v) => v && v !== '50' && v !== '100' && v !== '200') ? ' match' : '')
    $('runner-total').dataset.total = String(data.total)
    const tbody = $('runner-table').tBodies[0]
    tbody.replaceChildren(
      ...data.runners.map((r) =>
        h(
          'tr',
          { class: 'clickable', 'data-id': r.id, 'aria-selected': state.selected === r.id ? 'true' : 'false', onclick: () => showRunner(r.id) },
          h('td', {}, h('button', { type: 'button', 'aria-label': 'Details of runner ' + r.id, onclick: (e) => (e.stopPropagation(), showRunner(r.id)) }, '#' + r.id)),
          h('td', {}, r.description || h('span', { class: 'muted' }, '(none)')),
          h('td', {}, r.runner_type.replace('_type', '')),
          h('td', {}, r.owners.length ? r.owners.join(', ') : h('span', { class: 'muted' }, 'instance')),
          h('td', {}, r.tag_list.map((t) => h('span', { class: 'tag' }, t))),
          h('td', { class: 'status-cell' }, badge(r.status), r.paused && r.status !== 'paused' ? [' ', badge('paused')] : null),
          h('td', { class: 'contact', title: r.contacted_at || '' }, r.contacted_at ? 'contacted ' + ago(r.contacted_at, data.now) : 'never contacted'),
        ),
      ),
    )
    $('page-info').textContent = 'Page ' + data.page + ' of ' + data.total_pages
    $('page-prev').disabled = data.page <= 1
    $('page-next').disabled = data.page >= data.total_pages
  }

  async function showRunner(id) {
    state.selected = id
    for (const tr of $('runner-table').tBodies[0].rows) tr.setAttribute('aria-selected', tr.dataset.id === String(id) ? 'true' : 'false')
    const res = await call('/inspect/runners/' + id)
    const aside = $('runner-detail')
    $('runner-layout').classList.add('with-detail')
    aside.hidden = false
    if (res.status !== 200) {
      fill(aside, h('p', {}, 'Runner ' + id + ': ' + ((res.body && res.body.message) || res.status)))
      return
    }
    const { runner: r, projects, group, jobs, jobs_total, token, token_expires_at, now } = res.body
    const kv = (pairs) => h('dl', { class: 'kv' }, pairs.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v === null || v === undefined || v === '' ? h('span', { class: 'muted' }, '—') : v)]))
    fill(
      aside,
      h('h3', { id: 'detail-h', tabindex: '-1' }, 'Runner #' + r.id, ' ', badge(r.status), r.paused && r.status !== 'paused' ? [' ', badge('paused')] : null),
      h('button', { type: 'button', onclick: closeRunner }, 'Close'),
      kv([
        ['description', r.description],
        ['type', r.runner_type],
        ['tags', r.tag_list.join(', ')],
        ['contacted', r.contacted_at ? ago(r.contacted_at, now) + ' (' + when(r.contacted_at) + ')' : 'never'],
        ['created', when(r.created_at)],
        ['ip address', r.ip_address],
        ['version', r.version],
        ['platform', [r.platform, r.architecture].filter(Boolean).join(' / ')],
        ['locked', String(r.locked)],
        ['run untagged', String(r.run_untagged)],
        ['access level', r.access_level],
        ['maximum timeout', r.maximum_timeout],
      ]),
      h('h4', {}, 'Token'),
      h('p', {}, h('code', { id: 'runner-token' }, token), ' ', copyButton(token, 'runner token'), token_expires_at ? h('span', { class: 'muted' }, ' expires ' + when(token_expires_at)) : null),
      group ? [h('h4', {}, 'Group'), h('p', {}, group.full_path)] : null,
      h('h4', {}, 'Projects (' + projects.length + ')'),
      projects.length ? h('ul', { class: 'tree' }, projects.map((p) => h('li', {}, p.path_with_namespace, h('span', { class: 'muted' }, ' #' + p.id)))) : h('p', { class: 'muted' }, 'none'),
      r.managers ? [h('h4', {}, 'Managers (' + r.managers.length + ')'), h('ul', { class: 'tree' }, r.managers.map((m) => h('li', {}, m.system_id || JSON.stringify(m))))] : null,
      h('h4', {}, 'Jobs (' + jobs_total + (jobs_total > jobs.length ? ', latest ' + jobs.length : '') + ')'),
      jobs.length
        ? h('table', {}, h('thead', {}, h('tr', {}, ['ID', 'Name', 'Status', 'Project'].map((t) => h('th', { scope: 'col' }, t)))), h('tbody', {}, jobs.map((j) => h('tr', {}, h('td', {}, j.id), h('td', {}, j.name), h('td', {}, j.status), h('td', {}, j.project)))))
        : h('p', { class: 'muted' }, 'none'),
    )
    $('detail-h').focus()
  }

  function closeRunner() {
    const id = state.selected
    state.selected = null
    $('runner-detail').hidden = true
    $('runner-layout').classList.remove('with-detail')
    const button = document.querySelector('#runner-table tr[data-id="' + id + '"] button')
    if (button) button.focus()
    for (const tr of $('runner-table').tBodies[0].rows) tr.setAttribute('aria-selected', 'false')
  }

  // ---- projects, groups, users ----
  async function loadWorld() {
    const res = await call('/inspect/world')
    if (res.status !== 200) return
    const w = res.body
    $('world-summary').textContent = 'seed ' + w.seed + ' · ' + w.runners.total + ' runners · ' + w.projects.length + ' projects · ' + w.groups.length + ' groups · ' + w.users.length + ' users'
    const children = new Map()
    for (const g of w.groups) {
      const list = children.get(g.parent_id) || []
      list.push(g)
      children.set(g.parent_id, list)
    }
    const projectsOf = new Map()
    for (const p of w.projects) {
      const list = projectsOf.get(p.group_id) || []
      list.push(p)
      projectsOf.set(p.group_id, list)
    }
    const vis = (v) => h('span', { class: 'tag' }, v)
    const count = (n) => h('span', { class: 'muted' }, ' · ' + n + (n === 1 ? ' runner' : ' runners'))
    const kind = (k) => h('span', { class: 'kind' }, k)
    const projectItem = (p) => h('li', {}, kind('project'), p.path_with_namespace, ' ', vis(p.visibility), count(p.runners))
    const groupItem = (g) =>
      h('li', {}, kind('group'), h('strong', {}, g.full_path), ' ', vis(g.visibility), count(g.runners), h('ul', { class: 'tree' }, (children.get(g.id) || []).map(groupItem), (projectsOf.get(g.id) || []).map(projectItem)))
    const personal = projectsOf.get(null) || []
    fill(
      $('tree'),
      h('h2', {}, 'Groups and their projects'),
      h('ul', { class: 'tree', 'aria-label': 'Groups' }, (children.get(null) || []).map(groupItem)),
      personal.length ? [h('h2', {}, 'Personal projects'), h('ul', { class: 'tree' }, personal.map(projectItem))] : null,
    )
    $('user-table').tBodies[0].replaceChildren(
      ...w.users.map((u) =>
        h('tr', {}, h('td', {}, u.id), h('td', {}, u.username), h('td', {}, u.name), h('td', {}, u.admin ? 'admin' : ''), h('td', {}, u.state), h('td', {}, u.memberships.map((m) => h('div', {}, m.role + ' of ' + m.source + ' ' + m.path)))),
      ),
    )
  }

  // ---- tokens ----
  async function loadTokens() {
    const res = await call('/tokens')
    if (res.status !== 200) return
    const t = res.body
    const rows = []
    for (const [user, token] of Object.entries(t.users)) rows.push(['personal access token', user, token])
    rows.push(['registration token', 'instance', t.registration.instance])
    for (const [path, token] of Object.entries(t.registration.groups)) rows.push(['registration token', 'group ' + path, token])
    for (const [path, token] of Object.entries(t.registration.projects)) rows.push(['registration token', 'project ' + path, token])
    for (const [id, token] of Object.entries(t.runners)) rows.push(['runner authentication token', 'runner #' + id, token])
    fill(
      $('tokens'),
      h('p', { class: 'muted' }, 'The well-known tokens of the records the fixture names.'),
      h('table', {}, h('caption', { class: 'sr-only' }, 'Tokens'), h('thead', {}, h('tr', {}, ['Kind', 'For', 'Token', ''].map((x) => h('th', { scope: 'col' }, x)))), h('tbody', {}, rows.map(([kind, who, token]) => h('tr', {}, h('td', {}, kind), h('td', {}, who), h('td', {}, h('code', {}, token)), h('td', {}, copyButton(token, kind + ' of ' + who)))))),
    )
  }

  // ---- snapshots ----
  async function loadSnapshots() {
    const res = await call('/snapshots')
    if (res.status !== 200) return
    const select = $('snapshot-select')
    select.replaceChildren(...(res.body.snapshots.length ? res.body.snapshots.map((n) => h('option', { value: n }, n)) : [h('option', { value: '' }, 'no snapshots')]))
    $('action-restore').disabled = res.body.snapshots.length === 0
  }

  // ---- journal and faults ----
  const CONTROL_PATH = /\/-\/(mock|worlds\/[^/]+\/-\/mock)(\/|$)/
  async function loadJournal() {
    const res = await call('/requests')
    const info = $('journal-info')
    if (res.status === 404) {
      info.textContent = 'journal not available on this server'
      $('journal').replaceChildren()
      return
    }
    if (res.status !== 200) return
    const showControl = $('journal-control').checked
    const entries = (res.body.requests || []).filter((e) => showControl || !CONTROL_PATH.test(e.path)).slice().reverse()
    info.textContent = entries.length + (entries.length === 1 ? ' request shown' : ' requests shown') + (res.body.dropped ? ' (' + res.body.dropped + ' older ones dropped)' : '') + ', newest first'
    const pretty = (text) => {
      if (text === null || text === undefined || text === '') return '(none)'
      try {
        return JSON.stringify(JSON.parse(text), null, 2)
      } catch {
        return String(text)
      }
    }
    const section = (title, text) => [h('h4', {}, title), h('pre', {}, text)]
    $('journal').replaceChildren(
      ...entries.map((e) => {
        const duration = e.duration_ms ?? e.duration
        const headers = e.request_headers || {}
        return h(
          'li',
          { 'data-seq': e.seq },
          h(
            'details',
            {},
            h(
              'summary',
              {},
              h('span', { class: 'badge s' + String(e.status).charAt(0) }, e.status === 0 ? 'closed' : e.status),
              ' ',
              h('strong', {}, e.method),
              ' ',
              h('code', { class: 'journal-path' }, e.path),
              ' ',
              h('span', { class: 'muted' }, (typeof duration === 'number' ? duration.toFixed(1) + ' ms · ' : '') + when(e.time) + ' · #' + e.seq),
            ),
            h(
              'div',
              { class: 'entry' },
              h('p', { class: 'muted' }, 'endpoint ' + (e.endpoint || 'none matched') + (e.world_time ? ' · world time ' + when(e.world_time) : '') + (e.fault ? ' · answered by fault rule ' + e.fault : '')),
              e.query && Object.keys(e.query).length ? section('Query', JSON.stringify(e.query, null, 2)) : null,
              section('Request headers', Object.entries(headers).map(([k, v]) => k + ': ' + v).join('\n') || '(none)'),
              e.request_body !== undefined ? section('Request body', pretty(e.request_body)) : null,
              e.response_body !== undefined ? section('Response body', pretty(e.response_body)) : null,
            ),
          ),
        )
      }),
    )
  }

  async function loadFaults() {
    const res = await call('/faults')
    const info = $('faults-info')
    if (res.status === 404) {
      info.textContent = 'faults not available on this server'
      $('faults-clear').hidden = true
      return
    }
    if (res.status !== 200) return
    const faults = res.body.faults || []
    info.textContent = faults.length ? faults.length + ' faults in force' : 'no faults in force'
    $('faults-clear').hidden = faults.length === 0
    $('faults').replaceChildren(
      ...faults.map((f) =>
        h(
          'li',
          {},
          h('code', {}, JSON.stringify(f)),
          ' ',
          f.id === undefined
            ? null
            : h(
                'button',
                {
                  type: 'button',
                  class: 'danger',
                  'aria-label': 'Remove fault rule ' + f.id,
                  onclick: async () => {
                    const res = await call('/faults/' + f.id, { method: 'DELETE' })
                    say(res.status < 300 ? 'Fault rule ' + f.id + ' removed' : 'Faults: ' + (res.body && res.body.message))
                    await loadFaults()
                  },
                },
                'Remove',
              ),
        ),
      ),
    )
  }

  async function loadWorlds() {
    const res = await call('/worlds')
    if (res.status !== 200 || !res.body) return
    const list = (Array.isArray(res.body) ? res.body : res.body.worlds || []).map((w) => (typeof w === 'string' ? w : w.name)).filter(Boolean)
    if (list.length === 0) return
    const current = (/\/-\/worlds\/([^/]+)/.exec(base) || [])[1] || 'default'
    const select = $('world-select')
    const names = list.includes('default') ? list : ['default', ...list]
    select.replaceChildren(...names.map((n) => h('option', { value: n, selected: n === current }, n)))
    select.onchange = () => {
      const root = base.replace(/\/-\/worlds\/[^/]+$/, '')
      location.href = (select.value === 'default' ? root : root + '/-/worlds/' + encodeURIComponent(select.value)) + '/-/mock/ui'
    }
    $('world-picker').hidden = false
  }

  // ---- tabs ----
  const TABS = ['runners', 'tree', 'users', 'tokens', 'requests', 'faults']
  function selectTab(name, focus) {
    state.tab = name
    for (const t of TABS) {
      const tab = $('tab-' + t)
      tab.setAttribute('aria-selected', t === name ? 'true' : 'false')
      tab.tabIndex = t === name ? 0 : -1
      $('panel-' + t).hidden = t !== name
    }
    if (focus) $('tab-' + name).focus()
    clearInterval(state.journalTimer)
    if (name === 'requests') {
      loadJournal()
      state.journalTimer = setInterval(loadJournal, 1500)
    }
    if (name === 'faults') loadFaults()
  }

  async function refresh() {
    await loadClock()
    await Promise.all([loadRunners(), loadWorld(), loadTokens(), loadSnapshots()])
    if (state.selected !== null) await showRunner(state.selected)
    if (state.tab === 'faults') await loadFaults()
  }

  function readFilters() {
    const form = new FormData($('runner-filters'))
    state.filters = { type: form.get('type'), status: form.get('status'), tag: form.get('tag').trim(), q: form.get('q').trim(), per_page: form.get('per_page') }
    state.page = 1
  }

  function wire() {
    for (const t of TABS) $('tab-' + t).addEventListener('click', () => selectTab(t))
    document.querySelector('[role=tablist]').addEventListener('keydown', (e) => {
      const i = TABS.indexOf(state.tab)
      if (e.key === 'ArrowRight') selectTab(TABS[(i + 1) % TABS.length], true)
      else if (e.key === 'ArrowLeft') selectTab(TABS[(i + TABS.length - 1) % TABS.length], true)
      else if (e.key === 'Home') selectTab(TABS[0], true)
      else if (e.key === 'End') selectTab(TABS[TABS.length - 1], true)
      else return
      e.preventDefault()
    })
    $('runner-filters').addEventListener('submit', (e) => {
      e.preventDefault()
      readFilters()
      loadRunners()
    })
    $('runner-filters').addEventListener('change', (e) => {
      if (e.target.tagName === 'SELECT') {
        readFilters()
        loadRunners()
      }
    })
    $('runner-filters').addEventListener('reset', () =>
      setTimeout(() => {
        readFilters()
        loadRunners()
      }),
    )
    $('page-prev').addEventListener('click', () => {
      state.page = Math.max(1, state.page - 1)
      loadRunners()
    })
    $('page-next').addEventListener('click', () => {
      state.page += 1
      loadRunners()
    })
    document.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && state.selected !== null && !$('token-dialog').open) closeRunner()
    })
    for (const button of document.querySelectorAll('[data-advance]'))
      button.addEventListener('click', () => changeClock('/clock/advance', { duration: button.dataset.advance }, 'Advanced ' + button.textContent))
    $('clock-freeze').addEventListener('click', () => changeClock('/clock', { now: state.now, frozen: true }, 'Frozen'))
    $('clock-real').addEventListener('click', () => changeClock('/clock/real', undefined, 'Real time'))
    $('action-reset').addEventListener('click', async () => {
      const res = await call('/reset', { method: 'POST' })
      say(res.status === 200 ? 'World reset to its initial state' : 'Reset: ' + (res.body && res.body.message))
      await refresh()
    })
    $('action-snapshot').addEventListener('click', async () => {
      const name = $('snapshot-name').value.trim() || 'default'
      const res = await call('/snapshots', { method: 'POST', body: { name } })
      say(res.status === 201 ? 'Snapshot "' + name + '" saved' : 'Snapshot: ' + (res.body && res.body.message))
      await loadSnapshots()
    })
    $('action-restore').addEventListener('click', async () => {
      const name = $('snapshot-select').value
      if (!name) return
      const res = await call('/snapshots/' + encodeURIComponent(name) + '/restore', { method: 'POST' })
      say(res.status === 200 ? 'Snapshot "' + name + '" restored' : 'Restore: ' + (res.body && res.body.message))
      await refresh()
    })
    $('journal-control').addEventListener('change', loadJournal)
    $('journal-refresh').addEventListener('click', loadJournal)
    $('faults-clear').addEventListener('click', async () => {
      const res = await call('/faults', { method: 'DELETE' })
      say(res.status < 300 ? 'Every fault removed' : 'Faults: ' + (res.body && res.body.message))
      await loadFaults()
    })
  }

  wire()
  readFilters()
  refresh()
    .then(loadWorlds)
    .then(() => document.body.setAttribute('data-ready', 'true'))
}

/**
 * The script as served: the function's source, called once. Loaders that keep function names (tsx)
 * wrap inner functions in a `__name` helper that exists only in Node: the page gets a no-op one.
 */
export const CLIENT_SCRIPT = `var __name = function (f) { return f };\n(${inspectorClient.toString()})()\n`

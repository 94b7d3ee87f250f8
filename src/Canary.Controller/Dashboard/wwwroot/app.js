// The Canary dashboard. Draws the overview (every Canary) and a Canary's page from the controller's JSON, then redraws
// them when the controller pushes a change over Server-Sent Events: no timer, no polling. The Content-Security-Policy
// allows no inline script or style, so everything is built with the DOM and styled by class (app.css).

const SVG_NS = 'http://www.w3.org/2000/svg';
const SUCCESS_RATE = 'request-success-rate';
const DURATION = 'request-duration';
const ACTIVE = ['Waiting', 'Progressing', 'WaitingPromotion', 'Promoting', 'Finalising'];

// ---------------------------------------------------------------------------------------------------------------------
// Small DOM helpers (text always goes in as text nodes: nothing from the API is parsed as markup).

function setAttributes(node, attributes) {
  for (const [key, value] of Object.entries(attributes || {})) {
    if (value === null || value === undefined || value === false) {
      continue;
    }

    if (key === 'class') {
      node.setAttribute('class', Array.isArray(value) ? value.filter(Boolean).join(' ') : value);
    } else {
      node.setAttribute(key, value === true ? '' : String(value));
    }
  }
}

function appendChildren(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) {
      continue;
    }

    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  setAttributes(node, attributes);
  appendChildren(node, children);
  return node;
}

function svg(tag, attributes, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  setAttributes(node, attributes);
  appendChildren(node, children);
  return node;
}

const byId = (id) => document.getElementById(id);

function fill(node, ...children) {
  node.replaceChildren();
  appendChildren(node, children);
}

// ---------------------------------------------------------------------------------------------------------------------
// Formatting

function parseTime(text) {
  if (!text) {
    return null;
  }

  const date = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text}Z`);
  return Number.isNaN(date.getTime()) ? null : date;
}

const clockFormat = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
const clock = (date) => clockFormat.format(date);

function timeCell(text) {
  const date = parseTime(text);
  return date ? el('time', { datetime: date.toISOString(), title: date.toLocaleString() }, clock(date)) : '-';
}

function number(value) {
  if (value === null || value === undefined) {
    return '-';
  }

  return Number.isInteger(value) ? String(value) : String(Math.round(value * 100) / 100);
}

// A metric value with its unit: % for the success rate, ms for the duration.
function metricValue(value, metric) {
  const text = number(value);
  if (text === '-') {
    return text;
  }

  return metric === SUCCESS_RATE ? `${text}%` : metric === DURATION ? `${text}ms` : text;
}

function thresholdRange(check) {
  const { thresholdMin: min, thresholdMax: max, metric } = check;
  const has = (v) => v !== null && v !== undefined;
  if (has(min) && has(max)) {
    return `${metricValue(min, metric)} .. ${metricValue(max, metric)}`;
  }

  if (has(min)) {
    return `≥ ${metricValue(min, metric)}`;
  }

  return has(max) ? `≤ ${metricValue(max, metric)}` : '-';
}

const plain = (text) => (text === null || text === undefined || text === '' ? '-' : text);
const lower = (text) => (text || 'none').toLowerCase();

function phaseBadge(phase, paused) {
  return [
    el('span', { class: ['badge', `phase-${lower(phase)}`], 'data-phase': phase || '' }, phase || 'not reconciled'),
    paused ? [' ', el('span', { class: 'badge paused', 'data-paused': '' }, '(paused)')] : null,
  ];
}

function verdictBadge(verdict) {
  return verdict ? el('span', { class: ['badge', `verdict-${lower(verdict)}`] }, verdict) : '-';
}

const canaryHref = (ns, name) => `/canaries/${encodeURIComponent(ns)}/${encodeURIComponent(name)}`;

// ---------------------------------------------------------------------------------------------------------------------
// Where we are, and what the page has done (the counters are on <body> for tests and the curious).

function currentRoute() {
  const match = window.location.pathname.match(/^\/canaries\/([^/]+)\/([^/]+)\/?$/);
  if (match) {
    return { view: 'canary', ns: decodeURIComponent(match[1]), name: decodeURIComponent(match[2]) };
  }

  return { view: 'overview', ns: new URLSearchParams(window.location.search).get('namespace') || '' };
}

let route = currentRoute();
const counters = { hellos: 0, pushes: 0, fetches: 0, renders: 0 };

function count(name) {
  counters[name] += 1;
  document.body.dataset[name] = String(counters[name]);
}

function showProblem(text) {
  const problem = byId('problem');
  problem.hidden = !text;
  problem.textContent = text || '';
}

async function getJson(url) {
  count('fetches');
  const response = await fetch(url, { cache: 'no-store', headers: { Accept: 'application/json' } });
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }

  return { status: response.status, ok: response.ok, body };
}

// One fetch at a time; a change pushed meanwhile asks for one more when it ends (never more fetches than pushes).
let loading = false;
let stale = false;
let loadedOnce = false;

async function refresh() {
  if (loading) {
    stale = true;
    return;
  }

  loading = true;
  try {
    do {
      stale = false;
      await load();
    } while (stale);
  } finally {
    loading = false;
  }
}

async function load() {
  const at = route;
  try {
    if (at.view === 'overview') {
      await loadOverview(at);
    } else {
      await loadCanary(at);
    }

    loadedOnce = true;
    showProblem(null);
  } catch (error) {
    showProblem(`Could not read from the controller: ${error.message}`);
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Live: one EventSource; the browser reconnects by itself (and the hello of a new connection re-reads the page).

function setLive(state, text) {
  const live = byId('live');
  live.dataset.state = state;
  live.querySelector('.live-text').textContent = text;
}

function concerns(change) {
  return route.view === 'overview' || (change.namespace === route.ns && change.name === route.name);
}

function listen() {
  const stream = new EventSource('/api/stream');
  stream.addEventListener('hello', () => {
    count('hellos');
    setLive('live', 'live');
    refresh();
  });
  stream.addEventListener('canary', (event) => {
    let change = null;
    try {
      change = JSON.parse(event.data);
    } catch {
      return;
    }

    if (change && concerns(change)) {
      count('pushes');
      refresh();
    }
  });
  stream.addEventListener('error', () => {
    if (stream.readyState === EventSource.CLOSED) {
      setLive('closed', 'disconnected: reload the page');
    } else {
      setLive('disconnected', 'disconnected, reconnecting');
    }

    // Without the stream, still show what there is once.
    if (!loadedOnce && !loading) {
      refresh();
    }
  });
}

// ---------------------------------------------------------------------------------------------------------------------
// The overview

async function loadOverview(at) {
  const query = at.ns ? `?namespace=${encodeURIComponent(at.ns)}` : '';
  const { ok, status, body } = await getJson(`/api/canaries${query}`);
  if (!ok || !body) {
    throw new Error(body?.error || `HTTP ${status}`);
  }

  if (route === at) {
    renderOverview(body, at.ns);
  }
}

function renderOverview(data, ns) {
  document.title = ns ? `Canaries in ${ns} · Canary` : 'Canaries · Canary';
  const select = byId('namespace');
  const namespaces = [...data.namespaces];
  if (ns && !namespaces.includes(ns)) {
    namespaces.push(ns);
  }

  fill(select, el('option', { value: '' }, 'All namespaces'), namespaces.map((n) => el('option', { value: n }, n)));
  select.value = ns;

  const rows = data.canaries.map((c) => el('tr', { 'data-canary': `${c.namespace}/${c.name}`, 'data-phase': c.phase },
    el('td', {}, el('a', { href: canaryHref(c.namespace, c.name) }, c.name)),
    el('td', {}, c.namespace),
    el('td', {}, phaseBadge(c.phase, c.paused)),
    el('td', { class: 'num' }, el('span', { class: 'weight' },
      el('meter', { min: 0, max: 100, value: c.weight, 'aria-hidden': 'true' }), `${c.weight}%`)),
    el('td', { class: 'num' }, c.step),
    el('td', { class: 'num' }, `${c.failedChecks}/${c.threshold}`),
    el('td', {}, c.lastVerdict ? [`${plain(c.lastVerdict.metric)} `, verdictBadge(c.lastVerdict.verdict)] : '-'),
    el('td', { class: 'num' }, el('span', { title: parseTime(c.creationTimestamp)?.toLocaleString() || '' }, c.age))));
  fill(document.querySelector('#canaries tbody'), rows);

  const phases = {};
  for (const c of data.canaries) {
    const key = c.paused ? 'paused' : (c.phase || 'not reconciled').toLowerCase();
    phases[key] = (phases[key] || 0) + 1;
  }

  const total = data.canaries.length;
  const parts = Object.entries(phases).sort(([a], [b]) => a.localeCompare(b)).map(([phase, n]) => `${n} ${phase}`);
  byId('overview-summary').textContent = `${total} ${total === 1 ? 'canary' : 'canaries'}${parts.length ? `: ${parts.join(', ')}` : ''}`;
  byId('canaries').hidden = total === 0;
  const empty = byId('overview-empty');
  empty.hidden = total !== 0;
  empty.textContent = ns ? `No Canary in namespace ${ns}.` : 'No Canary yet: apply one and it shows up here.';
  count('renders');
}

function showOverview() {
  byId('overview').hidden = false;
  byId('namespace').addEventListener('change', (event) => {
    const ns = event.target.value;
    const url = ns ? `/?namespace=${encodeURIComponent(ns)}` : '/';
    window.history.pushState({ ns }, '', url);
    route = currentRoute();
    refresh();
  });
  byId('filter').addEventListener('submit', (event) => event.preventDefault());
  window.addEventListener('popstate', () => {
    route = currentRoute();
    refresh();
  });
}

// ---------------------------------------------------------------------------------------------------------------------
// A Canary's page

let shown = null;

async function loadCanary(at) {
  const { ok, status, body } = await getJson(`/api/canaries/${encodeURIComponent(at.ns)}/${encodeURIComponent(at.name)}`);
  if (route !== at) {
    return;
  }

  if (status === 404) {
    renderMissing(at, body?.error);
    return;
  }

  if (!ok || !body?.screen) {
    throw new Error(body?.error || `HTTP ${status}`);
  }

  renderCanary(body.screen, body.controls === true);
}

function renderMissing(at, error) {
  shown = null;
  byId('canary-body').hidden = true;
  const missing = byId('missing');
  missing.hidden = false;
  missing.textContent = `${error || `canary ${at.ns}/${at.name} not found`}. This page shows it as soon as it exists.`;
  count('renders');
}

function renderCanary(s, controls) {
  shown = s;
  byId('missing').hidden = true;
  byId('canary-body').hidden = false;
  document.title = `${s.name} (${s.phase || 'new'}) · ${s.namespace} · Canary`;
  byId('canary-title').textContent = s.name;
  fill(byId('phase'), phaseBadge(s.phase, s.paused));
  const meta = [`namespace ${s.namespace}`, `${s.strategy} strategy`, `provider ${s.provider || 'controller default'}`];
  const since = parseTime(s.lastTransitionTime);
  if (since) {
    meta.push(`last transition ${clock(since)}`);
  }

  byId('canary-meta').textContent = meta.join(' · ');
  renderProgress(s);
  renderBanner(s);
  renderButtons(s, controls);
  byId('chart-title').textContent = countsWeights(s) ? 'Traffic weight' : 'Iterations';
  fill(byId('chart'), chart(s));
  renderLegend(s);
  fill(byId('workloads'), workloads(s));
  fill(byId('checks'), checksTable(s));
  fill(byId('webhooks'), webhooksTable(s));
  fill(byId('controls'), controlsTable(s));
  fill(byId('events'), eventsTable(s));
  count('renders');
}

const countsWeights = (s) => s.strategy === 'canary';

function renderProgress(s) {
  const active = ACTIVE.includes(s.phase);
  const facts = [];
  if (countsWeights(s)) {
    facts.push(['Weight', [el('span', { 'data-weight': s.weight }, `${s.weight}% of ${s.maxWeight}%`)]]);
    facts.push(['Step', active
      ? [`${s.step}/${s.steps}`, el('progress', { max: s.steps || 1, value: s.step, 'aria-label': `step ${s.step} of ${s.steps}` })]
      : `- (${s.steps} steps)`]);
  } else {
    facts.push(['Weight', el('span', { 'data-weight': s.weight }, `${s.weight}%`)]);
    facts.push(['Iteration', [`${s.step}/${s.steps}`, el('progress', { max: s.steps || 1, value: s.step, 'aria-label': `iteration ${s.step} of ${s.steps}` })]]);
  }

  facts.push(['Failed checks', `${s.failedChecks} of ${s.threshold}`]);
  const flags = [];
  if (s.paused) {
    flags.push('paused');
  }

  if (s.requestedPromotion) {
    flags.push(`promotion requested (${s.requestedPromotion.toLowerCase()})`);
  }

  if (s.skipAnalysisOnce) {
    flags.push('skip analysis once');
  }

  facts.push(['Flags', flags.length ? flags.join(', ') : 'none']);
  fill(byId('progress'), facts.map(([term, description]) => [el('dt', {}, term), el('dd', {}, description)]));
}

// Events and controls of this release only (the timeline starts with it; Event times have whole seconds).
function sinceRelease(s, time) {
  const start = parseTime(s.timeline[0]?.time);
  const at = parseTime(time);
  return !start || !at || at.getTime() >= start.getTime() - 1000;
}

const newestFirst = (items) => [...items].reverse();

// Why a release failed: the controller's "Rolling back ..." warning, an abort, another warning, or the last failed check.
function failureReason(s) {
  const events = newestFirst(s.events).filter((e) => sinceRelease(s, e.time));
  const rollingBack = events.find((e) => e.type === 'Warning' && (e.message || '').startsWith('Rolling back'));
  if (rollingBack) {
    return rollingBack.message;
  }

  const abort = newestFirst(s.controls).find((c) => c.action === 'abort' && c.result === 'Accepted' && sinceRelease(s, c.handledTime));
  if (abort) {
    return `Aborted by ${abort.request}${abort.reason ? ` (reason: ${abort.reason})` : ''}: ${abort.message || 'rolled back'}`;
  }

  const warning = events.find((e) => e.type === 'Warning' && !(e.message || '').startsWith('Canary failed!'))
    || events.find((e) => e.type === 'Warning');
  if (warning) {
    return warning.message;
  }

  const failed = newestFirst(s.checks).find((c) => c.verdict === 'Fail');
  return failed ? `${failed.metric}: ${failed.message || 'failed'}` : 'The release was rolled back.';
}

function renderBanner(s) {
  const banner = byId('banner');
  const notice = byId('notice');
  banner.hidden = s.phase !== 'Failed';
  if (s.phase === 'Failed') {
    fill(banner,
      el('strong', {}, 'Rolled back'),
      el('span', { id: 'failure-reason' }, failureReason(s)),
      s.primary.revision ? el('span', { class: 'muted' }, ` · the primary still runs revision ${s.primary.revision}`) : null);
  }

  notice.className = 'notice';
  let text = null;
  if (s.paused) {
    const pause = newestFirst(s.controls).find((c) => c.action === 'pause' && c.result === 'Accepted');
    notice.classList.add('paused-note');
    text = [el('strong', {}, 'Paused'), ` · ${pause?.message || `holding at weight ${s.weight}`}`,
      pause?.reason ? ` (reason: ${pause.reason})` : '', '. Checks keep running; none counts as failed.'];
  } else if (ACTIVE.includes(s.phase)) {
    // A gate or an external check holding the release is the newest Event, a Warning starting with "Halt".
    const last = s.events[s.events.length - 1];
    if (last && last.type === 'Warning' && (last.message || '').startsWith('Halt') && sinceRelease(s, last.time)) {
      text = [el('strong', {}, 'Held'), ` · ${last.message}`];
    }
  }

  notice.hidden = !text;
  if (text) {
    fill(notice, text);
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Buttons (only with --dashboard-controls): each asks for confirmation, then creates a CanaryRequest.

const ACTIONS = [
  {
    id: 'promote', label: 'Promote', action: 'promote', force: false, phases: ['Progressing', 'WaitingPromotion'],
    text: 'Skips the remaining steps. The confirm-promotion gates still decide.',
  },
  {
    id: 'promote-force', label: 'Promote (force)', action: 'promote', force: true, phases: ['Progressing', 'WaitingPromotion'], danger: true,
    text: 'Skips the remaining steps and the confirm-promotion gates: the canary is promoted now.',
  },
  {
    id: 'abort', label: 'Abort', action: 'abort', phases: ['Progressing', 'WaitingPromotion', 'Waiting'], danger: true,
    text: 'Rolls back now: all traffic goes back to the primary and the canary is scaled down.',
  },
  {
    id: 'pause', label: 'Pause', action: 'pause', allowed: (s) => !s.paused, why: 'already paused',
    text: 'Holds the weight: checks keep running and are recorded, none counts as failed, nothing advances until resumed.',
  },
  {
    id: 'resume', label: 'Resume', action: 'resume', allowed: (s) => s.paused, why: 'only while paused',
    text: 'Advances again from the held weight.',
  },
  {
    id: 'retry', label: 'Retry', action: 'retry', phases: ['Failed'],
    text: 'Starts a new analysis of the same revision (the gates are asked again).',
  },
  {
    id: 'skip-analysis', label: 'Skip analysis', action: 'skip-analysis',
    allowed: (s) => !['Promoting', 'Finalising'].includes(s.phase) && !s.skipAnalysisOnce, why: 'not while promoting or finalising, nor twice',
    text: 'Promotes the current release, or the next one, without analysis.',
  },
];

function allowed(action, s) {
  if (action.phases) {
    return { ok: action.phases.includes(s.phase), why: `only in ${action.phases.join(', ')}` };
  }

  return { ok: action.allowed(s), why: action.why };
}

let waitingFor = null;

function renderButtons(s, controls) {
  const actions = byId('actions');
  actions.hidden = !controls;
  if (!controls) {
    return;
  }

  const buttons = byId('buttons');
  if (!buttons.childElementCount) {
    for (const action of ACTIONS) {
      const button = el('button', { type: 'button', 'data-action': action.id, class: action.danger ? 'danger' : null }, action.label);
      button.addEventListener('click', () => ask(action));
      buttons.append(button);
    }
  }

  for (const action of ACTIONS) {
    const button = buttons.querySelector(`[data-action="${action.id}"]`);
    const { ok, why } = allowed(action, s);
    button.disabled = !ok;
    button.title = ok ? action.text : `${action.label}: ${why}`;
  }

  updateAnswer(s);
}

function setAnswer(kind, text) {
  const answer = byId('answer');
  answer.className = ['answer', kind].filter(Boolean).join(' ');
  answer.textContent = text;
}

// Once the controller handled our request, say what it answered (as status.controls records it).
function updateAnswer(s) {
  if (!waitingFor || !s) {
    return;
  }

  const handled = s.controls.find((c) => c.request === waitingFor.request);
  if (handled) {
    const result = handled.result || 'Handled';
    setAnswer(result === 'Accepted' ? 'accepted' : 'refused', `${waitingFor.label} ${result.toLowerCase()}: ${handled.message || ''} (${handled.request})`);
    byId('answer').dataset.request = handled.request;
    byId('answer').dataset.result = result;
    waitingFor = null;
  }
}

function ask(action) {
  if (!shown) {
    return;
  }

  const dialog = byId('confirm');
  dialog.dataset.action = action.id;
  byId('confirm-title').textContent = `${action.label} ${shown.namespace}/${shown.name}?`;
  byId('confirm-text').textContent = action.text;
  const ok = byId('confirm-ok');
  ok.textContent = action.label;
  ok.className = action.danger ? 'primary danger' : 'primary';
  byId('confirm-reason').value = '';
  dialog.showModal();
  byId('confirm-reason').focus();
}

function setUpDialog() {
  const dialog = byId('confirm');
  byId('confirm-cancel').addEventListener('click', () => dialog.close('cancel'));
  byId('confirm-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const action = ACTIONS.find((a) => a.id === dialog.dataset.action);
    const reason = byId('confirm-reason').value.trim();
    dialog.close('confirm');
    if (action) {
      send(action, reason);
    }
  });
}

async function send(action, reason) {
  const at = route;
  setAnswer('pending', `${action.label}: asking…`);
  try {
    const response = await fetch(`/api/canaries/${encodeURIComponent(at.ns)}/${encodeURIComponent(at.name)}/requests`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Canary-Dashboard': '1' },
      body: JSON.stringify({ action: action.action, force: action.force === true, reason: reason || null }),
    });
    let body = null;
    try {
      body = await response.json();
    } catch {
      body = null;
    }

    if (response.status === 202 && body?.request) {
      waitingFor = { request: body.request, label: action.label };
      setAnswer('pending', `${action.label}: request ${body.request} created, waiting for the controller…`);
      updateAnswer(shown);
    } else {
      setAnswer('error', `${action.label} not sent: ${body?.error || `HTTP ${response.status}`}`);
    }
  } catch (error) {
    setAnswer('error', `${action.label} not sent: ${error.message}`);
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// The chart: the weight (iterations for blue/green and A/B) over time as a step line, a point per timeline entry, and
// each check marked at its time and weight by verdict (a circle passes, a cross fails, a diamond is inconclusive).

function chart(s) {
  const weights = countsWeights(s);
  const valueOf = (t) => (weights ? t.weight ?? 0 : t.iterations ?? 0);
  const points = s.timeline.map((t) => ({ at: parseTime(t.time), value: valueOf(t), entry: t })).filter((p) => p.at);
  const checks = s.checks.map((c) => ({ at: parseTime(c.time), value: c.weight ?? 0, check: c })).filter((p) => p.at);
  if (!points.length && !checks.length) {
    return el('p', { class: 'none' }, 'No release yet: the chart starts with the next revision.');
  }

  // Controls accepted during this release (pause, resume, promote, ...), as a dashed line where they were handled.
  const controls = s.controls
    .filter((c) => c.result === 'Accepted' && parseTime(c.handledTime) && sinceRelease(s, c.handledTime))
    .map((c) => ({ at: parseTime(c.handledTime), control: c }));

  const width = 720;
  const height = 250;
  const margin = { left: 46, right: 16, top: 14, bottom: 30 };
  const times = [...points, ...checks, ...controls].map((p) => p.at.getTime());
  const t0 = Math.min(...times);
  let t1 = Math.max(...times);
  if (t1 - t0 < 1000) {
    t1 = t0 + 1000;
  }

  const span = t1 - t0;
  const left = t0 - span * 0.02;
  const right = t1 + span * 0.03;
  const top = weights ? 100 : Math.max(s.steps, 1, ...points.map((p) => p.value), ...checks.map((p) => p.value));
  const x = (time) => margin.left + ((time - left) / (right - left)) * (width - margin.left - margin.right);
  const y = (value) => height - margin.bottom - (value / top) * (height - margin.top - margin.bottom);
  const unit = weights ? '%' : '';
  const what = weights ? 'weight' : 'iteration';

  const grid = [];
  const ticks = weights ? [0, 25, 50, 75, 100] : Array.from({ length: top + 1 }, (_, i) => i).filter((i) => i % Math.ceil(top / 5) === 0 || i === top);
  for (const tick of ticks) {
    grid.push(svg('line', { class: tick === 0 ? 'axis' : 'gridline', x1: margin.left, x2: width - margin.right, y1: y(tick), y2: y(tick) }));
    grid.push(svg('text', { x: margin.left - 6, y: y(tick) + 4, 'text-anchor': 'end' }, `${tick}${unit}`));
  }

  if (weights && s.maxWeight > 0 && s.maxWeight < 100) {
    grid.push(svg('line', { class: 'max', x1: margin.left, x2: width - margin.right, y1: y(s.maxWeight), y2: y(s.maxWeight) }));
    grid.push(svg('text', { x: width - margin.right, y: y(s.maxWeight) - 4, 'text-anchor': 'end' }, `promotion at ${s.maxWeight}%`));
  }

  const timeTicks = 5;
  for (let i = 0; i < timeTicks; i += 1) {
    const time = t0 + ((t1 - t0) * i) / (timeTicks - 1);
    const anchor = i === 0 ? 'start' : i === timeTicks - 1 ? 'end' : 'middle';
    grid.push(svg('text', { x: x(time), y: height - 10, 'text-anchor': anchor }, clock(new Date(time))));
  }

  grid.push(svg('line', { class: 'axis', x1: margin.left, x2: margin.left, y1: margin.top, y2: height - margin.bottom }));

  let path = '';
  points.forEach((p, i) => {
    path += i === 0 ? `M${x(p.at.getTime()).toFixed(1)} ${y(p.value).toFixed(1)}` : ` H${x(p.at.getTime()).toFixed(1)} V${y(p.value).toFixed(1)}`;
  });
  if (points.length) {
    path += ` H${x(t1).toFixed(1)}`;
  }

  const line = points.length ? svg('path', { class: 'step', d: path }) : null;
  const handled = controls.map(({ at, control: c }) => {
    const cx = x(at.getTime()).toFixed(1);
    const action = c.force ? `${c.action} (force)` : c.action;
    return svg('g', { class: 'control', 'data-action': c.action, 'data-request': c.request || '' },
      svg('line', { x1: cx, x2: cx, y1: margin.top, y2: height - margin.bottom }),
      svg('text', { x: Number(cx) + 3, y: margin.top + 9 }, action),
      svg('title', {}, `${clock(at)} ${action} by ${c.request}${c.reason ? ` (reason: ${c.reason})` : ''}: ${c.message || ''}`));
  });
  const dots = points.map((p) => svg('circle', {
    class: 'point',
    cx: x(p.at.getTime()).toFixed(1), cy: y(p.value).toFixed(1), r: 4.5,
    'data-weight': p.entry.weight ?? 0, 'data-iterations': p.entry.iterations ?? null, 'data-phase': p.entry.phase || '', 'data-time': p.entry.time,
  }, svg('title', {}, `${clock(p.at)} ${p.entry.phase || ''}: ${what} ${p.value}${unit}`)));

  // Checks of one tick (one per metric) stack above the line.
  const stacked = new Map();
  const marks = checks.map((p) => {
    const key = `${p.at.getTime()}/${p.value}`;
    const index = stacked.get(key) || 0;
    stacked.set(key, index + 1);
    const cx = x(p.at.getTime());
    let cy = y(p.value) - 10 - index * 11;
    if (cy < 5) {
      cy = y(p.value) + 10 + index * 11;
    }

    const c = p.check;
    const verdict = lower(c.verdict);
    const attributes = {
      class: ['check', verdict], 'data-verdict': c.verdict || '', 'data-metric': c.metric || '', 'data-weight': c.weight ?? 0, 'data-time': c.time,
    };
    const title = svg('title', {}, `${clock(p.at)} ${c.metric} at ${what} ${p.value}${unit}: ${metricValue(c.canaryValue, c.metric)}`
      + `${c.primaryValue !== null && c.primaryValue !== undefined ? ` (primary ${metricValue(c.primaryValue, c.metric)})` : ''}, ${c.verdict}`);
    const [mx, my] = [cx.toFixed(1), cy.toFixed(1)];
    if (verdict === 'pass') {
      return svg('circle', { ...attributes, cx: mx, cy: my, r: 4 }, title);
    }

    if (verdict === 'fail') {
      return svg('path', { ...attributes, d: `M${cx - 4} ${cy - 4} L${cx + 4} ${cy + 4} M${cx + 4} ${cy - 4} L${cx - 4} ${cy + 4}` }, title);
    }

    return svg('path', { ...attributes, d: `M${cx} ${cy - 5} L${cx + 5} ${cy} L${cx} ${cy + 5} L${cx - 5} ${cy} Z` }, title);
  });

  const tally = ['Pass', 'Fail', 'Inconclusive'].map((v) => [v, s.checks.filter((c) => c.verdict === v).length]).filter(([, n]) => n);
  const label = `${weights ? 'Traffic weight' : 'Iterations'} over time: `
    + `${points.map((p) => `${p.value}${unit}`).join(', ') || 'no step yet'}; `
    + `${s.checks.length} checks${tally.length ? ` (${tally.map(([v, n]) => `${n} ${v.toLowerCase()}`).join(', ')})` : ''}.`;
  const picture = svg('svg', {
    class: 'weight-chart', viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': label, 'data-points': points.length, 'data-checks': checks.length,
  }, grid, handled, line, dots, marks);

  const data = el('details', { class: 'data' },
    el('summary', {}, 'The timeline as a table'),
    table(['Time', 'Phase', 'Weight', 'Iterations'], s.timeline.map((t) => [timeCell(t.time), plain(t.phase), `${t.weight ?? 0}%`, number(t.iterations)]), 'No step yet.'));
  return [picture, data];
}

function renderLegend(s) {
  const icon = (shape) => svg('svg', { width: 14, height: 14, viewBox: '0 0 14 14', 'aria-hidden': 'true' }, shape);
  fill(byId('legend'),
    el('li', {}, icon(svg('path', { class: 'step', d: 'M1 10 H6 V4 H13' })), countsWeights(s) ? 'weight at each step' : 'iterations'),
    el('li', {}, icon(svg('circle', { class: 'pass', cx: 7, cy: 7, r: 4 })), 'check passed'),
    el('li', {}, icon(svg('path', { class: 'fail', d: 'M3 3 L11 11 M11 3 L3 11' })), 'check failed'),
    el('li', {}, icon(svg('path', { class: 'inconclusive', d: 'M7 2 L12 7 L7 12 L2 7 Z' })), 'check inconclusive'),
    s.controls.some((c) => c.result === 'Accepted' && sinceRelease(s, c.handledTime))
      ? el('li', {}, icon(svg('path', { class: 'control', d: 'M7 1 V13' })), 'control handled')
      : null);
}

// ---------------------------------------------------------------------------------------------------------------------
// Workloads and tables

function workloads(s) {
  const active = ACTIVE.includes(s.phase);
  const card = (label, w, tag) => el('div', { class: 'workload', 'data-workload': label.toLowerCase() },
    el('h3', {}, label, el('span', { class: 'muted' }, `${w.kind} ${w.name}`), tag ? el('span', { class: 'tag' }, tag) : null),
    el('dl', {},
      el('dt', {}, 'Revision'), el('dd', { class: 'mono' }, plain(w.revision)),
      el('dt', {}, w.images && w.images.length === 1 ? 'Image' : 'Images'),
      el('dd', { class: 'mono' }, w.images ? (w.images.length ? w.images.join(', ') : '-') : 'not known to the controller')));
  const differs = s.target.revision && s.target.revision !== s.primary.revision;
  return [
    card('Target', s.target, active && differs ? 'under analysis' : null),
    card('Primary', s.primary, 'serving'),
  ];
}

function table(headers, rows, empty, rowAttributes) {
  if (!rows.length) {
    return el('p', { class: 'none' }, empty);
  }

  return el('table', { class: 'grid' },
    el('thead', {}, el('tr', {}, headers.map((h) => (h.num ? el('th', { scope: 'col', class: 'num' }, h.num) : el('th', { scope: 'col' }, h))))),
    el('tbody', {}, rows.map((cells, i) => el('tr', rowAttributes ? rowAttributes(i) : {}, cells.map((cell) => cell && cell.td ? el('td', cell.td, cell.content) : el('td', {}, cell))))));
}

const td = (attributes, content) => ({ td: attributes, content });

function checksTable(s) {
  const weights = countsWeights(s);
  return table(
    ['Time', { num: weights ? 'Weight' : 'Iteration' }, 'Metric', { num: 'Canary' }, { num: 'Primary' }, 'Threshold', 'Verdict', 'Message'],
    s.checks.map((c) => [
      timeCell(c.time), td({ class: 'num' }, weights ? `${c.weight ?? 0}%` : number(c.weight)), td({ class: 'nowrap' }, plain(c.metric)),
      td({ class: 'num' }, metricValue(c.canaryValue, c.metric)), td({ class: 'num' }, metricValue(c.primaryValue, c.metric)),
      td({ class: 'nowrap' }, thresholdRange(c)), verdictBadge(c.verdict), td({ class: 'message' }, plain(c.message)),
    ]),
    'No check in this release yet.',
    (i) => ({ 'data-verdict': s.checks[i].verdict || '' }));
}

function webhooksTable(s) {
  return table(
    ['Time', 'Name', 'Type', 'Result', 'Message'],
    s.webhooks.map((w) => [
      timeCell(w.time), plain(w.name), plain(w.type),
      w.passed === true ? el('span', { class: 'badge verdict-pass' }, 'passed') : w.passed === false ? el('span', { class: 'badge verdict-fail' }, 'failed') : '-',
      td({ class: 'message' }, plain(w.message)),
    ]),
    'No webhook answered in this release.');
}

function controlsTable(s) {
  return table(
    ['Handled', 'Request', 'Action', 'Reason', 'Result', 'Message'],
    s.controls.map((c) => [
      timeCell(c.handledTime || c.requestedTime), td({ class: 'mono nowrap' }, plain(c.request)), c.force ? `${c.action} (force)` : plain(c.action), plain(c.reason),
      c.result ? el('span', { class: ['badge', c.result === 'Accepted' ? 'verdict-pass' : 'verdict-fail'] }, c.result) : 'pending',
      td({ class: 'message' }, plain(c.message)),
    ]),
    'No control handled.',
    (i) => ({ 'data-request': s.controls[i].request || '', 'data-result': s.controls[i].result || '' }));
}

function eventsTable(s) {
  return table(
    ['Time', 'Type', 'Reason', 'Message'],
    s.events.map((e) => [
      timeCell(e.time),
      el('span', { class: ['badge', `type-${lower(e.type)}`] }, e.type === 'Warning' ? '⚠ Warning' : plain(e.type)),
      plain(e.reason),
      td({ class: 'message' }, [plain(e.message), e.count > 1 ? el('span', { class: 'muted' }, ` (×${e.count})`) : null]),
    ]),
    'No event recorded.',
    (i) => ({ class: s.events[i].type === 'Warning' ? 'warning' : null, 'data-type': s.events[i].type || '' }));
}

// ---------------------------------------------------------------------------------------------------------------------

function showCanary() {
  byId('canary').hidden = false;
  byId('canary-title').textContent = route.name;
  document.title = `${route.name} · ${route.ns} · Canary`;
  const crumb = byId('crumb-namespace');
  crumb.textContent = route.ns;
  crumb.href = `/?namespace=${encodeURIComponent(route.ns)}`;
  setUpDialog();
}

function start() {
  if (route.view === 'overview') {
    showOverview();
  } else {
    showCanary();
  }

  // The first read comes with the stream's hello, so no change can slip between the read and the subscription.
  listen();
}

start();

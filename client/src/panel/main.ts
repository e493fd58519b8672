// The growth panel's webview script (bundled by scripts/build.mjs into dist/panel.js, browser IIFE).
// It renders what the extension host relays from the language server (common/protocol.ts) and
// keeps its own state with setState, so hiding and showing the view restores it. No inline
// handlers, no innerHTML with data, colours only from CSS classes (panel.css, --vscode-* variables).
//
// Stable hooks for tests (test/e2e drives these):
//   #empty, #empty-message              shown when there is nothing to list (no Go editor, no maps)
//   #content                            shown when the file has map sites
//   #file-name                          the file the sites belong to
//   #site-list button[data-site]        one button per site (data-site = site id, aria-pressed on the selected one)
//   #site-title, #key-layout, #value-layout, #shape, #current-hint, #inferred-size   the selected site's facts
//   #notes li                           assumptions behind the numbers
//   #entries                            number input: entries to insert
//   #slider                             range input, log scale of entries (0…1000 → 0…10,000,000)
//   #reset-entries                      back to the inferred size (or the mapscope.defaultMapSize setting)
//   #impl-select                        select: classic | swiss
//   #go-version                         "Go 1.26 · swiss map" of the last prediction
//   #log-x                              checkbox: logarithmic x axis
//   #chart                              the SVG chart; path.line-asis, path.line-hint, path.live-asis, path.live-hint,
//                                       path.band-asis, path.band-hint, circle.mark[data-variant][data-insert] > title
//   #legend                             the chart's legend
//   #totals tbody tr[data-row]          growths | allocated | peak | final; td[data-col] asIs | withHint | saved
//   #events-asis, #events-hint          which variant the events table shows (aria-pressed)
//   #events tbody tr                    one growth event per row (data-insert, data-kind)
//   #add-hint                           applies the map-without-hint quick fix through the server (hidden when there is none)
//   #status                             one line: progress and errors (role=status)
import type { HostToView, MapImpl, MapSiteInfo, MapSitesResult, PredictResult, SiteType, TimelineEvent, ViewToHost } from '../../../common/protocol';
import { assertNever } from '../../../common/protocol';
import { chartModel, describeEvent, entriesToSlider, formatBytes, SLIDER_STEPS, sliderToEntries } from './chart';
import './panel.css';

interface VsCodeApi {
  postMessage(message: ViewToHost): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

type Prediction = NonNullable<PredictResult>;

interface ViewState {
  file?: string;
  sites?: MapSitesResult;
  selectedId?: string;
  /** Entries the user chose, by site id, for the current file. */
  entries: Record<string, number>;
  /** The implementation the user switched to, when not the file's own. */
  impl?: MapImpl;
  logX: boolean;
  variant: 'asIs' | 'withHint';
  prediction?: Prediction;
  empty?: string;
}

const vscode = acquireVsCodeApi();
const saved = vscode.getState() as Partial<ViewState> | undefined;
const state: ViewState = { entries: {}, logX: false, variant: 'asIs', ...saved };
let predictSeq = 0;
let pendingSeq = 0;
let entriesTimer: ReturnType<typeof setTimeout> | undefined;

const save = () => vscode.setState(state);
const post = (m: ViewToHost) => vscode.postMessage(m);

// ---- DOM helpers ----

const SVG_NS = 'http://www.w3.org/2000/svg';

function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  for (const c of children) el.append(c);
  return el;
}

/** Replaces an element's children one by one: a list may be longer than a call can take arguments. */
function fill(el: Element, children: Iterable<Node>): void {
  el.replaceChildren();
  for (const c of children) el.append(c);
}

function s(tag: string, attrs: Record<string, string | number> = {}, ...children: (Node | string)[]): SVGElement {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  for (const c of children) el.append(c);
  return el;
}

function byId<T extends HTMLElement>(id: string): T {
  return document.getElementById(id) as T;
}

// ---- skeleton ----

function skeleton(): void {
  const app = byId('app');
  const implSelect = h('select', { id: 'impl-select', 'aria-label': 'Map implementation' },
    h('option', { value: 'classic' }, 'classic buckets (Go ≤ 1.23)'),
    h('option', { value: 'swiss' }, 'swiss tables (Go ≥ 1.24)'));
  app.append(
    h('section', { id: 'empty', hidden: '' }, h('p', { id: 'empty-message' })),
    h('section', { id: 'content', hidden: '' },
      h('p', { class: 'file' }, h('span', { id: 'file-name' })),
      h('ul', { id: 'site-list', 'aria-label': 'Map sites in this file' }),
      h('section', { id: 'details', 'aria-labelledby': 'site-title' },
        h('h2', { id: 'site-title' }),
        h('dl', { class: 'facts' },
          h('dt', {}, 'Key'), h('dd', { id: 'key-layout' }),
          h('dt', {}, 'Value'), h('dd', { id: 'value-layout' }),
          h('dt', {}, 'Layout'), h('dd', { id: 'shape' }),
          h('dt', {}, 'Hint'), h('dd', { id: 'current-hint' }),
          h('dt', {}, 'Size'), h('dd', { id: 'inferred-size' })),
        h('ul', { id: 'notes', class: 'notes' }),
        h('div', { class: 'controls' },
          h('label', { for: 'entries' }, 'Entries'),
          h('input', { id: 'entries', type: 'number', min: '0', max: '50000000', step: '1', inputmode: 'numeric' }),
          h('input', { id: 'slider', type: 'range', min: '0', max: String(SLIDER_STEPS), step: '1', 'aria-label': 'Entries, logarithmic scale' }),
          h('button', { id: 'reset-entries', type: 'button', class: 'secondary', title: 'Back to the inferred size' }, 'Reset')),
        h('div', { class: 'controls' },
          h('label', { for: 'impl-select' }, 'Map'),
          implSelect,
          h('span', { id: 'go-version', class: 'muted' })),
        h('div', { class: 'controls' },
          h('button', { id: 'add-hint', type: 'button', hidden: '' }, 'Add hint'),
          h('label', { class: 'check' }, h('input', { id: 'log-x', type: 'checkbox' }), 'Log scale')),
        h('p', { id: 'status', role: 'status', 'aria-live': 'polite' }),
        h('figure', { id: 'chart-box' },
          s('svg', { id: 'chart', role: 'img', 'aria-label': 'Bytes allocated against entries inserted' }),
          h('figcaption', { id: 'legend' },
            legendItem('line-asis', 'as is: bytes allocated'),
            legendItem('line-hint', 'with hint: bytes allocated'),
            legendItem('live-asis', 'as is: live bytes'),
            legendItem('live-hint', 'with hint: live bytes'),
            legendItem('band-asis', 'spread over hash seeds'))),
        h('table', { id: 'totals' },
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, ''), h('th', { scope: 'col' }, 'As is'), h('th', { scope: 'col', id: 'totals-hint' }, 'With hint'), h('th', { scope: 'col' }, 'Saved'))),
          h('tbody')),
        h('div', { class: 'controls', role: 'group', 'aria-label': 'Events table shows' },
          h('button', { id: 'events-asis', type: 'button', class: 'toggle', 'aria-pressed': 'true' }, 'As is'),
          h('button', { id: 'events-hint', type: 'button', class: 'toggle', 'aria-pressed': 'false' }, 'With hint')),
        h('table', { id: 'events' },
          h('caption', { id: 'events-caption' }, 'Growth events'),
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Insert #'), h('th', { scope: 'col' }, 'What happened'), h('th', { scope: 'col' }, 'Bytes'), h('th', { scope: 'col' }, 'Capacity'))),
          h('tbody')))),
  );
}

function legendItem(cls: string, label: string): HTMLElement {
  const swatch = s('svg', { class: 'swatch', width: 18, height: 10, 'aria-hidden': 'true' },
    cls.startsWith('band') ? s('rect', { class: cls, x: 0, y: 1, width: 18, height: 8 }) : s('line', { class: cls, x1: 0, y1: 5, x2: 18, y2: 5 }));
  return h('span', { class: 'legend-item', 'data-series': cls }, swatch, label);
}

// ---- rendering ----

function selected(): MapSiteInfo | undefined {
  return state.sites?.sites.find((x) => x.id === state.selectedId);
}

function siteLabel(site: MapSiteInfo): string {
  return site.kind === 'make' ? `make(${site.type}${site.hint ? `, ${site.hint.text}` : ''})` : `${site.type}{…}`;
}

function render(): void {
  const empty = byId('empty');
  const content = byId('content');
  const sites = state.sites?.sites ?? [];
  if (state.empty !== undefined || sites.length === 0) {
    content.hidden = true;
    empty.hidden = false;
    byId('empty-message').textContent = state.empty
      ?? (state.sites ? `No maps in ${state.file ?? 'this file'}. MapScope lists make(map[K]V) calls and map literals.` : 'Looking for maps…');
    return;
  }
  empty.hidden = true;
  content.hidden = false;
  byId('file-name').textContent = `${state.file ?? ''} · Go ${state.sites!.go}`;
  renderList();
  renderDetails();
  renderPrediction();
}

function renderList(): void {
  const list = byId('site-list');
  fill(
    list,
    state.sites!.sites.map((site) => {
      const pressed = site.id === state.selectedId;
      const size = site.size.value !== undefined ? `${site.size.value} entries` : site.size.expr ?? 'size unknown';
      const button = h('button', { type: 'button', class: 'site', 'data-site': site.id, 'aria-pressed': String(pressed), tabindex: pressed ? '0' : '-1' },
        h('span', { class: 'site-name' }, site.name ?? '(unnamed)'),
        h('code', { class: 'site-code' }, siteLabel(site)),
        h('span', { class: 'site-meta muted' }, `line ${site.range.start.line + 1}${site.function ? ` · ${site.function}` : ''} · ${size}${site.fix ? ' · hint suggested' : ''}`));
      return h('li', {}, button);
    }),
  );
  // Exactly one tab stop in the list, even before anything is selected.
  if (!state.sites!.sites.some((x) => x.id === state.selectedId)) list.querySelector('button')?.setAttribute('tabindex', '0');
}

function layoutText(t: SiteType, shapeBytes?: string): string {
  if (!t.layout) return `${t.text}: cannot lay out`;
  const l = t.layout;
  return `${t.text} — ${l.size} B, align ${l.align}${l.pointers ? ', has pointers' : ''}${t.indirect ? ', stored behind a pointer' : ''}${shapeBytes ?? ''}`;
}

function renderDetails(): void {
  const site = selected();
  if (!site) return;
  byId('site-title').textContent = `${site.name ? `${site.name} := ` : ''}${siteLabel(site)}`;
  byId('key-layout').textContent = layoutText(site.key);
  byId('value-layout').textContent = layoutText(site.value);
  byId('shape').textContent = site.shape
    ? `swiss: slot ${site.shape.slotBytes} B, group ${site.shape.groupBytes} B · classic: bucket ${site.shape.bucketBytes} B` +
      (site.shape.perEntryBytes ? ` · ${site.shape.perEntryBytes} B per entry` : '')
    : 'unknown';
  byId('current-hint').textContent = site.hint ? (site.kind === 'literal' ? `${site.hint.text} (the literal's entries)` : site.hint.text) : 'none';
  byId('inferred-size').textContent = site.size.description;
  const add = byId<HTMLButtonElement>('add-hint');
  add.hidden = !site.fix;
  add.disabled = false;
  add.textContent = site.suggestedHint ? `Add hint ${site.suggestedHint}` : 'Add hint';
  add.title = site.fix?.title ?? '';
  const entries = state.entries[site.id] ?? (state.prediction?.siteId === site.id ? state.prediction.entries : undefined) ?? site.size.value ?? state.sites!.defaultMapSize;
  setEntriesInputs(entries);
  byId<HTMLSelectElement>('impl-select').value = state.impl ?? state.sites!.impl;
  byId<HTMLInputElement>('log-x').checked = state.logX;
}

function setEntriesInputs(entries: number): void {
  byId<HTMLInputElement>('entries').value = String(entries);
  byId<HTMLInputElement>('slider').value = String(entriesToSlider(entries));
  byId<HTMLInputElement>('slider').setAttribute('aria-valuetext', `${entries} entries`);
}

function renderPrediction(): void {
  const p = state.prediction;
  const site = selected();
  const current = p && site && p.siteId === site.id && p.uri === state.sites?.uri;
  byId('chart-box').hidden = !current;
  byId('totals').hidden = !current;
  byId('events').hidden = !current;
  if (!current) return;
  byId('go-version').textContent = `Go ${p.go} · ${p.impl} map${p.impl !== p.naturalImpl ? ` (the file's Go uses ${p.naturalImpl})` : ''} · ${p.runs} seed${p.runs === 1 ? '' : 's'}`;
  const notes = byId('notes');
  fill(notes, p.notes.map((n) => h('li', {}, n)));
  renderChart(p);
  renderTotals(p);
  renderEvents(p);
}

function renderChart(p: Prediction): void {
  const svg = document.getElementById('chart') as unknown as SVGSVGElement;
  const width = Math.max(240, Math.floor(byId('chart-box').clientWidth || 320));
  const height = 220;
  const m = chartModel(p, width, height, state.logX);
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', String(height));
  const { plot } = m;
  const children: SVGElement[] = [];
  for (const t of m.yTicks) {
    children.push(s('line', { class: 'grid', x1: plot.left, x2: plot.right, y1: t.at, y2: t.at }));
    children.push(s('text', { class: 'tick', x: plot.left - 4, y: t.at, 'text-anchor': 'end', 'dominant-baseline': 'middle' }, t.label));
  }
  for (const t of m.xTicks) {
    children.push(s('line', { class: 'axis', x1: t.at, x2: t.at, y1: plot.bottom, y2: plot.bottom + 4 }));
    children.push(s('text', { class: 'tick', x: t.at, y: plot.bottom + 16, 'text-anchor': 'middle' }, t.label));
  }
  children.push(s('line', { class: 'axis', x1: plot.left, x2: plot.right, y1: plot.bottom, y2: plot.bottom }));
  children.push(s('line', { class: 'axis', x1: plot.left, x2: plot.left, y1: plot.top, y2: plot.bottom }));
  if (m.paths.bandWithHint) children.push(s('path', { class: 'band band-hint', d: m.paths.bandWithHint }));
  if (m.paths.band) children.push(s('path', { class: 'band band-asis', d: m.paths.band }));
  children.push(s('path', { class: 'live live-hint', d: m.paths.liveWithHint }));
  children.push(s('path', { class: 'live live-asis', d: m.paths.liveAsIs }));
  children.push(s('path', { class: 'line line-hint', d: m.paths.withHint }));
  children.push(s('path', { class: 'line line-asis', d: m.paths.asIs }));
  for (const mark of m.marks) {
    children.push(s('circle', { class: `mark mark-${mark.variant === 'asIs' ? 'asis' : 'hint'}`, cx: mark.cx, cy: mark.cy, r: 3.5, 'data-variant': mark.variant, 'data-insert': mark.insert },
      s('title', {}, mark.title)));
  }
  fill(svg, children);
  svg.setAttribute('aria-label', `Bytes allocated against entries inserted, up to ${p.entries}: as is ${formatBytes(p.asIs.totals.totalBytes)}, with hint ${formatBytes(p.withHint.totals.totalBytes)}`);
}

function renderTotals(p: Prediction): void {
  byId('totals-hint').textContent = `With hint ${p.withHint.hint}`;
  const rows: [string, string, keyof Prediction['savings'], (n: number) => string][] = [
    ['growths', 'Growths', 'growths', (n) => String(n)],
    ['allocated', 'Bytes allocated', 'totalBytes', formatBytes],
    ['peak', 'Peak live bytes', 'peakBytes', formatBytes],
    ['final', 'Final live bytes', 'liveBytes', formatBytes],
  ];
  const spreadOf = (v: Prediction['asIs'], k: keyof Prediction['savings'], f: (n: number) => string) => {
    const st = v.spread?.[k];
    return st && st.min !== st.max ? ` (${f(st.min)}–${f(st.max)})` : '';
  };
  fill(
    byId('totals').querySelector('tbody')!,
    rows.map(([row, label, k, f]) =>
      h('tr', { 'data-row': row },
        h('th', { scope: 'row' }, label),
        h('td', { 'data-col': 'asIs', title: String(p.asIs.totals[k]) }, f(p.asIs.totals[k]) + spreadOf(p.asIs, k, f)),
        h('td', { 'data-col': 'withHint', title: String(p.withHint.totals[k]) }, f(p.withHint.totals[k]) + spreadOf(p.withHint, k, f)),
        h('td', { 'data-col': 'saved', title: String(p.savings[k]) }, f(p.savings[k])))),
  );
}

function renderEvents(p: Prediction): void {
  const v = state.variant === 'asIs' ? p.asIs : p.withHint;
  byId('events-asis').setAttribute('aria-pressed', String(state.variant === 'asIs'));
  byId('events-hint').setAttribute('aria-pressed', String(state.variant === 'withHint'));
  byId('events-caption').textContent = `Growth events ${state.variant === 'asIs' ? `as is (hint ${v.hint})` : `with hint ${v.hint}`}, ${p.entries} entries`;
  fill(
    byId('events').querySelector('tbody')!,
    v.events.map((e: TimelineEvent) =>
      h('tr', { 'data-insert': String(e.insert), 'data-kind': e.kind },
        h('td', {}, e.count ? `${e.insert}–${e.lastInsert}` : String(e.insert)),
        h('td', {}, describeEvent(e)),
        h('td', { title: `${e.bytes} B` }, formatBytes(e.bytes)),
        h('td', {}, `${e.capacityBefore}→${e.capacityAfter}`))),
  );
}

function setStatus(text: string): void {
  byId('status').textContent = text;
}

// ---- requests ----

function requestPrediction(): void {
  const site = selected();
  if (!site || !state.sites) return;
  const seq = ++predictSeq;
  pendingSeq = seq;
  const entries = state.entries[site.id];
  post({ type: 'predict', seq, uri: state.sites.uri, position: site.range.start, ...(entries !== undefined ? { entries } : {}), ...(state.impl ? { impl: state.impl } : {}) });
  // Only say so when it takes a while (millions of entries).
  setTimeout(() => {
    if (pendingSeq === seq) setStatus('Predicting…');
  }, 250);
}

function select(id: string, reveal: boolean): void {
  const site = state.sites?.sites.find((x) => x.id === id);
  if (!site) return;
  const changed = state.selectedId !== id;
  state.selectedId = id;
  save();
  renderList();
  renderDetails();
  renderPrediction();
  if (reveal) post({ type: 'reveal', uri: state.sites!.uri, range: site.range });
  if (changed || state.prediction?.siteId !== id) requestPrediction();
}

function setEntries(entries: number, now: boolean): void {
  const site = selected();
  if (!site || !Number.isSafeInteger(entries) || entries < 0 || entries > 50_000_000) return;
  state.entries[site.id] = entries;
  save();
  clearTimeout(entriesTimer);
  entriesTimer = setTimeout(requestPrediction, now ? 0 : 120);
}

// ---- messages from the host ----

function onMessage(m: HostToView): void {
  switch (m.type) {
    case 'sites': {
      const sameFile = state.sites?.uri === m.result.uri;
      if (!sameFile) {
        state.entries = {};
        state.impl = undefined;
        state.prediction = undefined;
      }
      state.sites = m.result;
      state.file = m.file;
      state.empty = undefined;
      const keep = sameFile && m.result.sites.some((x) => x.id === state.selectedId) ? state.selectedId : undefined;
      state.selectedId = m.selectedId ?? keep ?? m.result.sites[0]?.id;
      save();
      render();
      requestPrediction();
      return;
    }
    case 'select':
      if (state.sites?.uri === m.uri) select(m.siteId, false);
      return;
    case 'empty':
      state.empty = m.message;
      state.sites = undefined;
      state.prediction = undefined;
      state.selectedId = undefined;
      save();
      render();
      return;
    case 'prediction':
      if (m.seq !== predictSeq) return; // superseded
      pendingSeq = 0;
      if (m.error !== undefined || !m.result) {
        setStatus(m.error ? `No prediction: ${m.error}` : 'No map site here.');
        return;
      }
      setStatus('');
      state.prediction = m.result;
      save();
      if (state.entries[m.result.siteId] === undefined && m.result.siteId === state.selectedId) setEntriesInputs(m.result.entries);
      renderPrediction();
      return;
    case 'applied':
      byId<HTMLButtonElement>('add-hint').disabled = false;
      setStatus(m.result.applied ? 'Hint added.' : `The hint was not added: ${m.result.reason ?? 'the editor refused the edit'}`);
      return;
    default:
      assertNever(m);
  }
}

// ---- wiring ----

function wire(): void {
  byId('site-list').addEventListener('click', (e) => {
    const button = (e.target as Element).closest<HTMLButtonElement>('button[data-site]');
    if (button) select(button.dataset.site!, true);
  });
  byId('site-list').addEventListener('keydown', (e) => {
    const buttons = [...byId('site-list').querySelectorAll<HTMLButtonElement>('button[data-site]')];
    const i = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (i < 0) return;
    const next = e.key === 'ArrowDown' ? i + 1 : e.key === 'ArrowUp' ? i - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? buttons.length - 1 : -1;
    if (next < 0 || next >= buttons.length || next === i) return;
    e.preventDefault();
    select(buttons[next].dataset.site!, true);
    byId('site-list').querySelector<HTMLButtonElement>(`button[data-site="${CSS.escape(buttons[next].dataset.site!)}"]`)?.focus();
  });
  const entries = byId<HTMLInputElement>('entries');
  entries.addEventListener('input', () => {
    const n = Number(entries.value);
    if (entries.value !== '' && Number.isSafeInteger(n)) {
      byId<HTMLInputElement>('slider').value = String(entriesToSlider(n));
      setEntries(n, false);
    }
  });
  entries.addEventListener('change', () => {
    const n = Math.round(Number(entries.value));
    if (entries.value === '' || !Number.isFinite(n)) return;
    const clamped = Math.min(50_000_000, Math.max(0, n));
    setEntriesInputs(clamped);
    setEntries(clamped, true);
  });
  const slider = byId<HTMLInputElement>('slider');
  slider.addEventListener('input', () => {
    const n = sliderToEntries(Number(slider.value));
    entries.value = String(n);
    slider.setAttribute('aria-valuetext', `${n} entries`);
    setEntries(n, false);
  });
  byId('reset-entries').addEventListener('click', () => {
    const site = selected();
    if (!site) return;
    delete state.entries[site.id];
    save();
    setEntriesInputs(site.size.value ?? state.sites!.defaultMapSize);
    requestPrediction();
  });
  byId<HTMLSelectElement>('impl-select').addEventListener('change', (e) => {
    const impl = (e.target as HTMLSelectElement).value as MapImpl;
    state.impl = impl === state.sites?.impl ? undefined : impl;
    save();
    requestPrediction();
  });
  byId<HTMLInputElement>('log-x').addEventListener('change', (e) => {
    state.logX = (e.target as HTMLInputElement).checked;
    save();
    if (state.prediction) renderChart(state.prediction);
  });
  for (const [id, variant] of [['events-asis', 'asIs'], ['events-hint', 'withHint']] as const) {
    byId(id).addEventListener('click', () => {
      state.variant = variant;
      save();
      if (state.prediction) renderEvents(state.prediction);
    });
  }
  byId<HTMLButtonElement>('add-hint').addEventListener('click', (e) => {
    const site = selected();
    if (!site?.fix || !state.sites) return;
    (e.target as HTMLButtonElement).disabled = true;
    setStatus(`Adding hint ${site.suggestedHint ?? ''}…`);
    post({ type: 'applyHint', args: { uri: state.sites.uri, version: state.sites.version, siteId: site.id } });
  });
  new ResizeObserver(() => {
    if (state.prediction && !byId('chart-box').hidden) renderChart(state.prediction);
  }).observe(byId('chart-box'));
  window.addEventListener('message', (e: MessageEvent<HostToView>) => onMessage(e.data));
}

skeleton();
wire();
// Restore what was shown before the view was hidden, then ask the host for the current state.
render();
post({ type: 'ready' });

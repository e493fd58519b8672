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
//   #measured-box, #measured li[data-row]   what a loaded profile measured at the site (hidden without one):
//                                       growth | creation | cpu | size | hint | note; #inferred-size then starts "from profile:"
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
//   #small                              instead of the chart and tables when the map never grows (8 entries or fewer)
//   #totals tbody tr[data-row]          growths | allocated | peak | final; td[data-col] asIs | withHint | saved
//   #totals-hint                        the "with hint" column's header: the hint it models, as Add hint writes it
//   #events-asis, #events-hint          which variant the events table shows (aria-pressed)
//   #events tbody tr                    one row per growth event, runs of splits folded (data-insert, data-kind, data-count)
//   #events-more                        shows every event, or goes back to the folded, shortened table
//   #add-hint                           applies the map-without-hint quick fix through the server (hidden when there is none)
//   #status                             one line: progress and errors (role=status)
//
// The layout follows the view's width: one column in a side bar (300 px wide and up, no sideways
// scrolling), the site list beside the details from 640 px (panel.css, container queries).
import type { HostToView, MapImpl, MapSiteInfo, MapSitesResult, MeasuredSiteInfo, PredictResult, SiteType, ViewToHost } from '../../../common/protocol';
import { assertNever } from '../../../common/protocol';
import { growthBytesText, growthCpuText, headline, hintText, sizeText } from '../../../server/src/core/profile/describe';
import { chartModel, entriesToSlider, formatBytes, SLIDER_STEPS, sliderToEntries } from './chart';
import { eventRows, groupEvents, ROW_LIMIT } from './events';
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
  /** The events table shows every event, unfolded and uncut. */
  allEvents: boolean;
  prediction?: Prediction;
  empty?: string;
  /** What the loaded profiles measured, by site id (none loaded: undefined). */
  measured?: Record<string, MeasuredSiteInfo>;
}

const vscode = acquireVsCodeApi();
const saved = vscode.getState() as Partial<ViewState> | undefined;
const state: ViewState = { entries: {}, logX: false, variant: 'asIs', allEvents: false, ...saved };
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
      h('div', { class: 'layout' },
        h('ul', { id: 'site-list', 'aria-label': 'Map sites in this file' }),
        h('section', { id: 'details', 'aria-labelledby': 'site-title' },
          h('h2', { id: 'site-title' }),
          h('dl', { class: 'facts' },
            h('dt', {}, 'Key'), h('dd', { id: 'key-layout' }),
            h('dt', {}, 'Value'), h('dd', { id: 'value-layout' }),
            h('dt', {}, 'Layout'), h('dd', { id: 'shape' }),
            h('dt', {}, 'Hint'), h('dd', { id: 'current-hint' }),
            h('dt', {}, 'Size'), h('dd', { id: 'inferred-size' })),
          h('section', { id: 'measured-box', hidden: '', 'aria-labelledby': 'measured-title' },
            h('h3', { id: 'measured-title' }, 'From the profile'),
            h('ul', { id: 'measured', class: 'notes' })),
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
          h('p', { id: 'small', hidden: '' }),
          h('figure', { id: 'chart-box' },
            s('svg', { id: 'chart', role: 'img', 'aria-label': 'Bytes allocated against entries inserted' }),
            h('figcaption', { id: 'legend' },
              legendItem('line-asis', 'as is: bytes allocated'),
              legendItem('line-hint', 'with hint: bytes allocated'),
              legendItem('live-asis', 'as is: live bytes'),
              legendItem('live-hint', 'with hint: live bytes'),
              legendItem('band-asis', 'spread over hash seeds'))),
          h('table', { id: 'totals' },
            h('caption', { id: 'totals-caption' }),
            h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, ''), h('th', { scope: 'col' }, 'As is'), h('th', { scope: 'col', id: 'totals-hint' }, 'With hint'), h('th', { scope: 'col' }, 'Saved'))),
            h('tbody')),
          h('div', { id: 'events-switch', class: 'controls', role: 'group', 'aria-label': 'Events table shows' },
            h('button', { id: 'events-asis', type: 'button', class: 'toggle', 'aria-pressed': 'true' }, 'As is'),
            h('button', { id: 'events-hint', type: 'button', class: 'toggle', 'aria-pressed': 'false' }, 'With hint')),
          h('table', { id: 'events' },
            h('caption', { id: 'events-caption' }, 'Growth events'),
            h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Insert #'), h('th', { scope: 'col' }, 'What happened'), h('th', { scope: 'col' }, 'Bytes'), h('th', { scope: 'col' }, 'Capacity'))),
            h('tbody')),
          h('p', { id: 'events-footer', class: 'muted' },
            h('span', { id: 'events-summary' }), ' ',
            h('button', { id: 'events-more', type: 'button', class: 'secondary' }, 'Show all'))))),
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

function measuredOf(site: MapSiteInfo): MeasuredSiteInfo | undefined {
  return state.measured?.[site.id];
}

/** The size a loaded profile implies for the site: the top of its range, what the suggested hint covers. */
function profileEntries(site: MapSiteInfo): number | undefined {
  const r = measuredOf(site)?.inferred;
  return r ? r.max ?? r.min : undefined;
}

/** The entries shown when the user has not chosen any: the profile's, else the code's, else the setting's. */
function defaultEntries(site: MapSiteInfo): number {
  return profileEntries(site) ?? site.size.value ?? state.sites!.defaultMapSize;
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
      const m = measuredOf(site);
      const button = h('button', { type: 'button', class: 'site', 'data-site': site.id, 'aria-pressed': String(pressed), tabindex: pressed ? '0' : '-1' },
        h('span', { class: 'site-name' }, site.name ?? '(unnamed)'),
        h('code', { class: 'site-code' }, siteLabel(site)),
        h('span', { class: 'site-meta muted' }, `line ${site.range.start.line + 1}${site.function ? ` · ${site.function}` : ''} · ${size}${site.fix ? ' · hint suggested' : ''}${m ? ` · ${headline(m)}` : ''}`));
      return h('li', {}, button);
    }),
  );
  // Exactly one tab stop in the list, even before anything is selected.
  if (!state.sites!.sites.some((x) => x.id === state.selectedId)) list.querySelector('button')?.setAttribute('tabindex', '0');
  scrollSelectedIntoView();
}

/** Scrolls the site list (only the list, not the page) so that the selected site shows in full. */
function scrollSelectedIntoView(): void {
  const list = byId('site-list');
  const button = list.querySelector<HTMLElement>('button[aria-pressed="true"]');
  if (!button || list.clientHeight === 0) return;
  const l = list.getBoundingClientRect();
  const b = button.getBoundingClientRect();
  if (b.top < l.top) list.scrollTop -= l.top - b.top;
  else if (b.bottom > l.bottom) list.scrollTop += Math.min(b.bottom - l.bottom, b.top - l.top);
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
  const m = measuredOf(site);
  const fromProfile = m ? sizeText(m) : undefined;
  byId('inferred-size').textContent = fromProfile ? `from profile: ${fromProfile}; in the code: ${site.size.description}` : site.size.description;
  renderMeasured(m);
  const add = byId<HTMLButtonElement>('add-hint');
  add.hidden = !site.fix;
  add.disabled = false;
  add.textContent = site.suggestedHint ? `Add hint ${site.suggestedHint}` : 'Add hint';
  add.title = site.fix ? `${site.fix.title}: the "with hint" numbers below are for this hint` : '';
  const entries = state.entries[site.id] ?? (state.prediction?.siteId === site.id ? state.prediction.entries : undefined) ?? defaultEntries(site);
  setEntriesInputs(entries);
  byId<HTMLSelectElement>('impl-select').value = state.impl ?? state.sites!.impl;
  byId<HTMLInputElement>('log-x').checked = state.logX;
}

function renderMeasured(m: MeasuredSiteInfo | undefined): void {
  byId('measured-box').hidden = !m;
  if (!m) return;
  const rows: [string, string | undefined][] = [
    ['growth', growthBytesText(m) && `Growth: ${growthBytesText(m)}${m.hot ? ' — hot' : ''}`],
    ['creation', m.initial.allocObjects > 0 ? `At the creation: ${formatBytes(m.initial.allocBytes)}${m.maps !== undefined ? ` for ${m.maps} map${m.maps === 1 ? '' : 's'}` : ''}` : undefined],
    ['cpu', growthCpuText(m) && `CPU in growth: ${growthCpuText(m)}`],
    ['size', m.inferred && `Size: ${sizeText(m)}, from profile (${m.inferred.basis})`],
    ['hint', hintText(m) && `Suggested: ${hintText(m)}`],
    ...m.notes.map((n): [string, string] => ['note', n]),
  ];
  fill(byId('measured'), rows.filter((r): r is [string, string] => r[1] !== undefined).map(([row, text]) => h('li', { 'data-row': row }, text)));
}

function setEntriesInputs(entries: number): void {
  byId<HTMLInputElement>('entries').value = String(entries);
  byId<HTMLInputElement>('slider').value = String(entriesToSlider(entries));
  byId<HTMLInputElement>('slider').setAttribute('aria-valuetext', `${entries} entries`);
}

/** Both implementations hold 8 entries before they first grow. */
const FIRST_GROUP = 8;

function renderPrediction(): void {
  const p = state.prediction;
  const site = selected();
  const current = p !== undefined && site !== undefined && p.siteId === site.id && p.uri === state.sites?.uri;
  // A map that never leaves its first group or bucket has nothing to chart: say so in words.
  const small = current && p.entries <= FIRST_GROUP && p.asIs.totals.growths === 0 && p.withHint.totals.growths === 0;
  for (const id of ['chart-box', 'totals', 'events-switch', 'events', 'events-footer']) byId(id).hidden = !current || small;
  byId('small').hidden = !small;
  byId('log-x').closest('label')!.hidden = small;
  if (!current) return;
  byId('go-version').textContent = `Go ${p.go} · ${p.impl} map${p.impl !== p.naturalImpl ? ` (the file's Go uses ${p.naturalImpl})` : ''} · ${p.runs} seed${p.runs === 1 ? '' : 's'}`;
  const notes = byId('notes');
  fill(notes, p.notes.map((n) => h('li', {}, n)));
  if (small) {
    const unit = p.impl === 'swiss' ? 'group' : 'bucket';
    byId('small').textContent = p.entries === 0
      ? `No entries inserted: ${formatBytes(p.asIs.totals.totalBytes)} allocated. Enter a number of entries to see how the map would grow.`
      : `${p.entries} ${p.entries === 1 ? 'entry fits' : 'entries fit'} in the first ${unit} (up to 8 do): the map never grows, and allocates ` +
        `${formatBytes(p.asIs.totals.totalBytes)}. Enter more entries to see how it would grow.`;
    return;
  }
  renderChart(p);
  renderTotals(p);
  renderEvents(p);
}

function renderChart(p: Prediction): void {
  const svg = document.getElementById('chart') as unknown as SVGSVGElement;
  const width = Math.max(160, Math.floor(byId('chart-box').clientWidth || 280));
  // Taller when there is room, but never taller than wide.
  const height = Math.round(Math.min(width * 0.75, Math.max(200, width * 0.4)));
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

/**
 * The hint the "with hint" column models, as the panel names it: the hint Add hint inserts (its
 * value when the code states it, else it stands for the entries), or a hint equal to the entries
 * when MapScope suggests none.
 */
function hintLabel(p: Prediction, site: MapSiteInfo | undefined): string {
  const suggested = site?.fix ? site.suggestedHint : undefined;
  if (suggested === undefined) return String(p.withHint.hint);
  return /^\d+$/.test(suggested) || suggested === String(p.withHint.hint) ? suggested : `${suggested} = ${p.withHint.hint}`;
}

function renderTotals(p: Prediction): void {
  const site = selected();
  byId('totals-hint').replaceChildren('With hint', h('br'), h('code', {}, hintLabel(p, site)));
  byId('totals-caption').textContent = site?.fix
    ? `"With hint" is the map with the hint Add hint inserts${site.suggestedHint && !/^\d+$/.test(site.suggestedHint) ? `, ${site.suggestedHint} taken as the entries` : ''}.`
    : `"With hint" is the same map made with make(${site?.type ?? 'map'}, ${p.withHint.hint}).`;
  const rows: [string, string, keyof Prediction['savings'], (n: number) => string][] = [
    ['growths', 'Growths', 'growths', (n) => String(n)],
    ['allocated', 'Allocated', 'totalBytes', formatBytes],
    ['peak', 'Peak live', 'peakBytes', formatBytes],
    ['final', 'Final live', 'liveBytes', formatBytes],
  ];
  // The seed spread, when the hash decides: on a line of its own, so that narrow views stay narrow.
  const cell = (v: Prediction['asIs'], k: keyof Prediction['savings'], f: (n: number) => string, col: string) => {
    const st = v.spread?.[k];
    const td = h('td', { 'data-col': col, title: String(v.totals[k]) }, f(v.totals[k]));
    if (st && st.min !== st.max) td.append(h('span', { class: 'spread' }, `${f(st.min)}–${f(st.max)}`));
    return td;
  };
  fill(
    byId('totals').querySelector('tbody')!,
    rows.map(([row, label, k, f]) =>
      h('tr', { 'data-row': row },
        h('th', { scope: 'row' }, label),
        cell(p.asIs, k, f, 'asIs'),
        cell(p.withHint, k, f, 'withHint'),
        h('td', { 'data-col': 'saved', title: String(p.savings[k]) }, f(p.savings[k])))),
  );
}

function renderEvents(p: Prediction): void {
  const v = state.variant === 'asIs' ? p.asIs : p.withHint;
  byId('events-asis').setAttribute('aria-pressed', String(state.variant === 'asIs'));
  byId('events-hint').setAttribute('aria-pressed', String(state.variant === 'withHint'));
  byId('events-caption').textContent = `Growth events ${state.variant === 'asIs' ? `as is (hint ${v.hint})` : `with hint ${v.hint}`}, ${p.entries} entries`;
  const all = eventRows(v.events);
  const grouped = groupEvents(v.events);
  const rows = state.allEvents ? all : grouped.slice(0, ROW_LIMIT);
  const fragment = document.createDocumentFragment();
  for (const e of rows) {
    fragment.append(h('tr', { 'data-insert': String(e.insert), 'data-kind': e.kind, 'data-count': String(e.count) },
      h('td', {}, e.lastInsert !== undefined ? `${e.insert}–${e.lastInsert}` : String(e.insert)),
      // In a narrow view the capacity moves under the description (panel.css hides its column).
      h('td', {}, e.what, h('span', { class: 'cap-inline' }, `capacity ${e.capacityBefore}→${e.capacityAfter}`)),
      h('td', { title: `${e.bytes} B` }, formatBytes(e.bytes)),
      h('td', {}, `${e.capacityBefore}→${e.capacityAfter}`)));
  }
  byId('events').querySelector('tbody')!.replaceChildren(fragment);
  const shortened = grouped.length < all.length || grouped.length > ROW_LIMIT;
  byId('events-footer').hidden = !shortened;
  byId('events-summary').textContent = state.allEvents
    ? `All ${all.length} events.`
    : `${rows.length} rows for ${all.length} events${grouped.length > rows.length ? ` (the first ${rows.length})` : ''}: runs of splits are folded into one row.`;
  byId('events-more').textContent = state.allEvents ? 'Fold and shorten' : `Show all ${all.length}`;
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
  const entries = state.entries[site.id] ?? profileEntries(site);
  // "With hint" models the hint Add hint would insert: its value when the code states it (a
  // constant, a known length), whatever the entries; a symbolic hint stands for the entries.
  const hint = site.fix && site.size.value !== undefined ? site.size.value : undefined;
  post({
    type: 'predict', seq, uri: state.sites.uri, position: site.range.start,
    ...(entries !== undefined ? { entries } : {}), ...(hint !== undefined ? { hint } : {}), ...(state.impl ? { impl: state.impl } : {}),
  });
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
      state.measured = m.measured;
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
      state.measured = undefined;
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
    setEntriesInputs(defaultEntries(site));
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
  byId('events-more').addEventListener('click', () => {
    state.allEvents = !state.allEvents;
    save();
    if (state.prediction) renderEvents(state.prediction);
  });
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

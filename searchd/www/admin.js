/* admin.js: the editors' page (/admin). The editor enters the admin token;
 * it is kept in sessionStorage (this tab only, gone when it closes; never
 * localStorage or a cookie) and sent as "Authorization: Bearer" to
 * GET /api/analytics. The report is drawn as a summary, a bar chart of the
 * searches per day in inline SVG with the same numbers in a table, and the
 * lists of queries, each query with a control that copies a best bet line
 * "QUERY = " (lib/best_bets.c's syntax) for config/best-bets.txt. Queries
 * are visitors' text: they only ever reach the page as textContent. */
(() => {
  'use strict';

  const TOKEN_KEY = 'sitesearch-admin-token';
  const DEFAULT_DAYS = 30;          // as GET /api/analytics without from
  const SPAN_MAX = 3660;            // days one report may cover (searchd)
  const SVG_NS = 'http://www.w3.org/2000/svg';
  const LONG_DAY = new Intl.DateTimeFormat('sv-SE', { day: 'numeric', month: 'long', year: 'numeric' });
  const SHORT_DAY = new Intl.DateTimeFormat('sv-SE', { day: 'numeric', month: 'short' });
  // The lists of queries in the report: the answer's member, the table's
  // id and caption; the first list also has the clicks.
  const LISTS = [
    { key: 'top_queries', id: 'top-queries', caption: 'Vanligaste sökfrågorna', clicks: true },
    { key: 'no_hit_queries', id: 'no-hit-queries', caption: 'Sökfrågor utan träffar' },
    { key: 'no_click_queries', id: 'no-click-queries', caption: 'Sökfrågor med träffar men utan klick' },
  ];

  const byId = (id) => document.getElementById(id);
  const el = {
    error: byId('admin-error'),
    login: byId('login'),
    tokenForm: byId('token-form'),
    token: byId('token'),
    report: byId('report'),
    reportHeading: byId('report-heading'),
    reportPeriod: byId('report-period'),
    forget: byId('forget-token'),
    rangeForm: byId('range-form'),
    from: byId('from'),
    to: byId('to'),
    limit: byId('limit'),
    status: byId('report-status'),
    body: byId('report-body'),
    sumSearches: byId('sum-searches'),
    sumNoHits: byId('sum-no-hits'),
    sumClicks: byId('sum-clicks'),
    sumCtr: byId('sum-ctr'),
    sumRank: byId('sum-rank'),
    chart: byId('chart'),
    perDay: byId('per-day'),
    line: byId('best-bet-line'),
    copyStatus: byId('copy-status'),
    queryLists: byId('query-lists'),
    lists: {},   // key: its table, made below
  };

  const setPageState = (v) => { document.body.dataset.state = v; };

  function make(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  /* ---- The token: this tab's sessionStorage, else this page's memory ---- */

  let memoryToken = '';

  function storedToken() {
    try {
      return window.sessionStorage.getItem(TOKEN_KEY) || '';
    } catch (e) {
      return memoryToken;
    }
  }

  function storeToken(t) {
    memoryToken = t;
    try {
      if (t) window.sessionStorage.setItem(TOKEN_KEY, t);
      else window.sessionStorage.removeItem(TOKEN_KEY);
    } catch (e) {
      // storage off: the token lasts as long as the page
    }
  }

  /* ---- Days and numbers ---------------------------------------------------- */

  const pad = (n) => String(n).padStart(2, '0');
  const isoDay = (d) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;

  /* "YYYY-MM-DD" as a local date at noon (no daylight-saving edge), or null. */
  function parseDay(s) {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s || '');
    if (!m) return null;
    const d = new Date(+m[1], +m[2] - 1, +m[3], 12);
    return d.getMonth() === +m[2] - 1 ? d : null;
  }

  const daysBetween = (a, b) => Math.round((b - a) / 86400000);

  function longDay(s) {
    const d = parseDay(s);
    return d ? LONG_DAY.format(d) : String(s);
  }

  function shortDay(s) {
    const d = parseDay(s);
    return d ? SHORT_DAY.format(d) : String(s);
  }

  const number = (n) => (Number(n) || 0).toLocaleString('sv-SE');
  const decimal = (x) => x.toLocaleString('sv-SE', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const percent = (x) => `${decimal(x * 100)} %`;

  /* A mean rank, or a dash that is read as "no clicks". */
  function rankCell(td, rank) {
    if (typeof rank === 'number' && Number.isFinite(rank)) {
      td.textContent = decimal(rank);
    } else {
      const dash = make('span', null, '–');
      dash.setAttribute('aria-hidden', 'true');
      td.append(dash, make('span', 'visually-hidden', 'inga klick'));
    }
  }

  /* ---- Best bet lines ------------------------------------------------------ */

  /* The line that pins pages to query q in config/best-bets.txt, ready for
   * the ids after "= ", or null when q cannot make one. The first "=" of a
   * line ends its query and "#" begins a comment (lib/best_bets.c): an "="
   * separates words as a space does, so it becomes one; a "#" cannot be
   * written, and most often stands for a digit the statistics masked, so
   * what the visitor typed is not known. */
  function bestBetLine(q) {
    if (q.includes('#')) return null;
    const query = q.replace(/=/g, ' ').replace(/\s+/g, ' ').trim();
    return query ? `${query} = ` : null;
  }

  function copyCell(q) {
    const td = make('td', 'copy-cell');
    const line = bestBetLine(q);
    if (!line) {
      td.textContent = 'Ingen rad (frågan innehåller #, oftast dolda siffror)';
      return td;
    }
    const b = make('button', 'button-secondary copy-button', 'Kopiera rad');
    b.type = 'button';
    b.dataset.line = line;
    b.append(make('span', 'visually-hidden', ` för ”${q}”`));
    td.append(b);
    return td;
  }

  async function copyLine(line) {
    el.line.value = line;
    el.copyStatus.textContent = '';   // so that the same words are said again
    let copied = false;
    try {
      if (navigator.clipboard && window.isSecureContext) {
        await navigator.clipboard.writeText(line);
        copied = true;
      }
    } catch (e) {
      copied = false;
    }
    if (copied) {
      el.copyStatus.textContent = 'Raden är kopierad. Klistra in den i config/best-bets.txt och ' +
        'skriv sidornas id efter likhetstecknet.';
      el.line.dataset.copied = 'clipboard';
    } else {
      // No clipboard here: the line is selected for the editor to copy.
      el.line.focus();
      el.line.setSelectionRange(0, line.length);
      el.copyStatus.textContent = 'Raden är markerad i fältet. Kopiera den med Ctrl+C ' +
        '(Cmd+C på Mac).';
      el.line.dataset.copied = 'selected';
    }
  }

  /* ---- Drawing ------------------------------------------------------------- */

  function svg(tag, attrs, text) {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
    if (text !== undefined) node.textContent = String(text);
    return node;
  }

  /* The smallest 1, 2 or 5 times a power of ten at least x. */
  function niceStep(x) {
    const p = 10 ** Math.floor(Math.log10(Math.max(x, 1)));
    return [1, 2, 5, 10].map((m) => m * p).find((s) => s >= x);
  }

  /* One bar per day, the y axis in searches, some days named on the x axis. */
  function drawChart(data) {
    const days = data.per_day;
    const width = Math.max(280, Math.floor(el.chart.clientWidth) || 600);
    const height = 240;
    const m = { left: 52, right: 16, top: 28, bottom: 44 };
    const plotW = width - m.left - m.right;
    const plotH = height - m.top - m.bottom;
    const max = Math.max(0, ...days.map((d) => Number(d.searches) || 0));
    const step = max ? niceStep(max / 4) : 1;
    const top = Math.max(step, Math.ceil(max / step) * step);
    const y = (v) => m.top + plotH - (v / top) * plotH;
    const band = plotW / Math.max(1, days.length);

    const busiest = days.reduce((a, d) => (Number(d.searches) > Number(a.searches) ? d : a), days[0]);
    const root = svg('svg', {
      class: 'chart-svg', width, height, viewBox: `0 0 ${width} ${height}`,
      role: 'img', 'aria-labelledby': 'chart-title chart-desc', focusable: 'false',
    });
    root.append(
      svg('title', { id: 'chart-title' },
        `Sökningar per dag, ${longDay(data.from)} – ${longDay(data.to)}`),
      svg('desc', { id: 'chart-desc' },
        `${days.length} dagar, ${number(data.searches)} sökningar i allt` +
        (max ? `, flest den ${longDay(busiest.day)}: ${number(max)}.` : '.') +
        ' Varje dags siffror står i tabellen under diagrammet.'));

    const axes = svg('g', { class: 'chart-axes' });
    for (let v = 0; v <= top; v += step) {
      axes.append(svg('line', { class: 'chart-grid', x1: m.left, x2: width - m.right, y1: y(v), y2: y(v) }),
        svg('text', { class: 'chart-tick', x: m.left - 6, y: y(v), 'text-anchor': 'end', 'dominant-baseline': 'middle' },
          number(v)));
    }
    axes.append(
      svg('line', { class: 'chart-axis', x1: m.left, x2: m.left, y1: m.top, y2: m.top + plotH }),
      svg('line', { class: 'chart-axis', x1: m.left, x2: width - m.right, y1: m.top + plotH, y2: m.top + plotH }),
      svg('text', { class: 'chart-label', x: m.left, y: 14, 'text-anchor': 'start' }, 'Sökningar'),
      svg('text', { class: 'chart-label', x: m.left + plotW / 2, y: height - 4, 'text-anchor': 'middle' }, 'Dag'));
    // As many day names as fit 64 pixels apart, evenly, always the first
    // and, unless it would crowd the one before, the last.
    const gap = Math.ceil(64 / band);
    const marks = [];
    for (let i = 0; i < days.length; i += Math.max(gap, 1)) marks.push(i);
    const last = days.length - 1;
    if (marks[marks.length - 1] !== last) {
      if (last - marks[marks.length - 1] < gap && marks.length > 1) marks.pop();
      if (last - marks[marks.length - 1] >= gap) marks.push(last);
    }
    for (const i of marks) {
      axes.append(svg('text', { class: 'chart-tick', x: m.left + band * (i + 0.5), y: m.top + plotH + 18,
        'text-anchor': 'middle' }, shortDay(days[i].day)));
    }

    const bars = svg('g', { class: 'chart-bars' });
    const barW = Math.max(1, band * 0.7);
    days.forEach((d, i) => {
      const v = Number(d.searches) || 0;
      const rect = svg('rect', { class: 'bar', x: m.left + band * i + (band - barW) / 2, y: y(v),
        width: barW, height: m.top + plotH - y(v), 'data-day': d.day, 'data-searches': v });
      rect.append(svg('title', {}, `${longDay(d.day)}: ${number(v)} sökningar`));
      bars.append(rect);
    });
    root.append(axes, bars);
    el.chart.replaceChildren(root);
  }

  function drawPerDay(days) {
    const rows = days.map((d) => {
      const tr = make('tr');
      const th = make('th');
      th.scope = 'row';
      // The Swedish short form of a date, which fits a phone's width.
      const t = make('time', null, d.day);
      t.dateTime = d.day;
      th.append(t);
      tr.append(th, make('td', 'num', number(d.searches)), make('td', 'num', number(d.no_hits)),
        make('td', 'num', number(d.clicks)));
      return tr;
    });
    el.perDay.tBodies[0].replaceChildren(...rows);
  }

  /* A list's table, in its box, with its caption and column headers. */
  function makeList(list) {
    const table = make('table', 'stats-table queries-table');
    table.id = list.id;
    const caption = make('caption', null, list.caption);
    caption.id = `${list.id}-caption`;
    const names = ['Sökfråga', 'Sökningar', 'Utan träffar'].concat(
      list.clicks ? ['Klick', 'Klickfrekvens', 'Genomsnittlig placering'] : [], ['Bästa träff']);
    const tr = make('tr');
    names.forEach((name, i) => {
      const th = make('th', i > 0 && i < names.length - 1 ? 'num' : null, name);
      th.scope = 'col';
      tr.append(th);
    });
    const head = make('thead');
    head.append(tr);
    table.append(caption, head, make('tbody'));
    const box = make('div', 'table-scroll');
    box.append(table);
    el.queryLists.append(box);
    return table;
  }

  function drawList(list, items) {
    const table = el.lists[list.key];
    const columns = table.tHead.rows[0].cells.length;
    const rows = items.map((item) => {
      const q = String(item.q);
      const tr = make('tr');
      const th = make('th', 'query', q);
      th.scope = 'row';
      tr.append(th, make('td', 'num', number(item.searches)), make('td', 'num', number(item.no_hits)));
      if (list.clicks) {
        const searches = Number(item.searches) || 0;
        const rank = make('td', 'num');
        rankCell(rank, item.mean_clicked_rank);
        tr.append(make('td', 'num', number(item.clicks)),
          make('td', 'num', percent(searches ? (Number(item.clicks) || 0) / searches : 0)), rank);
      }
      tr.append(copyCell(q));
      return tr;
    });
    if (!rows.length) {
      const td = make('td', 'empty', 'Inga sökfrågor under perioden.');
      td.colSpan = columns;
      const tr = make('tr');
      tr.append(td);
      rows.push(tr);
    }
    table.tBodies[0].replaceChildren(...rows);
  }

  /* A table wider than its box scrolls in it: the box is then a named
   * region a keyboard can reach and scroll (WCAG 2.1.1); one that fits is
   * no tab stop. */
  function markScrollers() {
    for (const box of el.body.querySelectorAll('.table-scroll')) {
      const caption = box.querySelector('caption');
      if (box.scrollWidth > box.clientWidth && caption) {
        box.tabIndex = 0;
        box.setAttribute('role', 'region');
        box.setAttribute('aria-labelledby', caption.id);
      } else {
        box.removeAttribute('tabindex');
        box.removeAttribute('role');
        box.removeAttribute('aria-labelledby');
      }
    }
  }

  let lastReport = null;

  function drawReport(data) {
    lastReport = data;
    el.reportPeriod.textContent = `: ${longDay(data.from)} – ${longDay(data.to)}`;
    el.sumSearches.textContent = number(data.searches);
    el.sumNoHits.textContent = number(data.no_hits);
    el.sumClicks.textContent = number(data.clicks);
    el.sumCtr.textContent = percent(Number(data.click_through_rate) || 0);
    el.sumRank.replaceChildren();
    rankCell(el.sumRank, data.mean_clicked_rank);
    el.body.hidden = false;
    drawChart(data);
    drawPerDay(data.per_day);
    for (const list of LISTS) drawList(list, data[list.key]);
    markScrollers();
  }

  /* ---- Loading --------------------------------------------------------------- */

  function showError(text) {
    el.error.textContent = text;
    el.error.hidden = false;
  }

  function showLogin() {
    storeToken('');
    lastReport = null;
    el.report.hidden = true;
    el.body.hidden = true;
    el.login.hidden = false;
    setPageState('login');
  }

  /* The message for an answer other than 200; wrong: the token is refused. */
  function failure(status) {
    switch (status) {
      case 401:
        return { wrong: true, text: 'Administratörsnyckeln godtogs inte. Kontrollera den och försök igen.' };
      case 403:
        return { wrong: true, text: 'Sökfunktionen tar inte emot någon administratörsnyckel: ' +
          'searchd är startad utan --admin-token-file, så statistiken kan inte visas.' };
      case 404:
        return { text: 'Sökstatistiken är avstängd: searchd samlar ingen statistik. Starta searchd ' +
          'med --analytics FILE för att börja samla.' };
      case 400:
        return { text: `Perioden gick inte att visa. Ange två datum, det första inte efter det andra, ` +
          `högst ${number(SPAN_MAX)} dagar isär.` };
      case 0:
        return { text: 'Det gick inte att kontakta sökfunktionen. Kontrollera anslutningen och försök igen.' };
      default:
        return { text: 'Statistiken gick inte att läsa just nu. Försök igen om en stund.' };
    }
  }

  /* A report complete enough to draw. */
  const readable = (d) => d && typeof d === 'object' && Array.isArray(d.per_day) && d.per_day.length > 0 &&
    LISTS.every((list) => Array.isArray(d[list.key]));

  let controller = null;

  async function load(focusReport) {
    const token = storedToken();
    if (!token) {
      showLogin();
      return;
    }
    const from = parseDay(el.from.value), to = parseDay(el.to.value);
    if (!from || !to || from > to || daysBetween(from, to) >= SPAN_MAX) {
      showError(failure(400).text);
      setPageState('error');
      return;
    }
    el.login.hidden = true;
    el.report.hidden = false;
    el.status.textContent = 'Hämtar statistiken …';
    setPageState('loading');
    if (controller) controller.abort();
    const mine = new AbortController();
    controller = mine;
    const p = new URLSearchParams({ from: el.from.value, to: el.to.value, limit: el.limit.value });
    let status = 0, data = null;
    try {
      const res = await fetch(`/api/analytics?${p}`, {
        signal: mine.signal, cache: 'no-store',
        headers: { Accept: 'application/json', Authorization: `Bearer ${token}` },
      });
      status = res.status;
      data = status === 200 ? await res.json() : null;
    } catch (e) {
      if (e.name === 'AbortError') return;
      status = status === 200 ? -1 : 0;
    }
    if (controller !== mine) return;
    controller = null;
    if (status === 200 && readable(data)) {
      el.error.hidden = true;
      el.status.textContent = `Statistiken för ${longDay(data.from)} – ${longDay(data.to)} är hämtad.`;
      drawReport(data);
      setPageState('done');
      if (focusReport) el.reportHeading.focus();
      return;
    }
    const f = failure(status === 200 ? -1 : status);
    el.status.textContent = '';
    showError(f.text);
    if (f.wrong) {
      showLogin();
      el.token.focus();
    } else {
      el.body.hidden = true;
    }
    setPageState('error');
  }

  /* ---- Events ---------------------------------------------------------------- */

  el.tokenForm.addEventListener('submit', (e) => {
    e.preventDefault();
    const t = el.token.value.trim();
    if (!t) return;
    el.token.value = '';   // the token stays in storage, not in the page
    el.error.hidden = true;
    storeToken(t);
    load(true);
  });

  el.rangeForm.addEventListener('submit', (e) => {
    e.preventDefault();
    load(false);
  });

  el.forget.addEventListener('click', () => {
    if (controller) controller.abort();
    controller = null;
    el.error.hidden = true;
    showLogin();
    el.token.focus();
  });

  el.body.addEventListener('click', (e) => {
    const b = e.target.closest('button.copy-button');
    if (b) copyLine(b.dataset.line);
  });

  // The chart is drawn to the width it has, and the tables' boxes told
  // whether they scroll.
  let resizeTimer = 0;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => {
      if (!lastReport || el.body.hidden) return;
      drawChart(lastReport);
      markScrollers();
    }, 150);
  });

  for (const list of LISTS) el.lists[list.key] = makeList(list);
  const today = new Date();
  const first = new Date(today.getFullYear(), today.getMonth(), today.getDate() - (DEFAULT_DAYS - 1), 12);
  el.from.value = isoDay(first);
  el.to.value = isoDay(today);
  if (storedToken()) load(false);
  else showLogin();
})();

/* app.js: the search page's behaviour. The URL is the state (q, type, year,
 * place, format, lang, sort, page); every change runs one search against /api/search and
 * renders status, "Menade du …?", facets, hits and pagination. Typing searches
 * after a pause and fetches completions from /api/suggest; an older answer
 * never overwrites a newer one (sequence numbers plus AbortController).
 * Only the snippet is inserted as HTML (the server escapes it but <mark>).
 * Following a hit sends its query and rank to /api/click (a beacon) for
 * the search statistics; nothing else about the visitor goes with it. */
(() => {
  'use strict';

  const PAGE_SIZE = 10;
  const DEBOUNCE_MS = 250;
  const FACETS = [
    { key: 'type', label: 'Typ' },
    { key: 'year', label: 'År' },
    { key: 'place', label: 'Plats' },
    { key: 'format', label: 'Format' },
    { key: 'lang', label: 'Språk' },
  ];
  // The page's own language: a hit in another is marked with its own
  // (WCAG 3.1.2) and says which it is.
  const PAGE_LANG = document.documentElement.lang || 'sv';
  const LANG_NAMES = typeof Intl === 'object' && Intl.DisplayNames
    ? new Intl.DisplayNames([PAGE_LANG], { type: 'language' }) : null;
  function langName(code) {
    let name = null;
    try { name = LANG_NAMES && LANG_NAMES.of(String(code)); } catch (e) { name = null; }
    return name && name !== code ? capitalise(name) : String(code).toUpperCase();
  }
  // The formats' names as a visitor knows them.
  const FORMAT_NAMES = {
    html: 'Webbsida', pdf: 'PDF', docx: 'Word', xlsx: 'Excel', pptx: 'PowerPoint',
    odt: 'OpenDocument-text', ods: 'OpenDocument-kalkylblad', odp: 'OpenDocument-presentation',
    epub: 'E-bok (EPUB)',
  };
  function formatName(f) {
    return FORMAT_NAMES[f] || String(f).toUpperCase();
  }
  const FILTER_KEYS = FACETS.map((f) => f.key);
  const MONTHS = ['januari', 'februari', 'mars', 'april', 'maj', 'juni', 'juli',
    'augusti', 'september', 'oktober', 'november', 'december'];
  const BASE_TITLE = 'Sök – Delegationen mot segregation';

  const byId = (id) => document.getElementById(id);
  const el = {
    form: byId('search-form'),
    q: byId('q'),
    suggestions: byId('suggestions'),
    status: byId('status'),
    retry: byId('retry'),
    dym: byId('did-you-mean'),
    dymLink: byId('did-you-mean-link'),
    activeFilters: byId('active-filters'),
    activeFilterList: byId('active-filter-list'),
    clearFilters: byId('clear-filters'),
    welcome: byId('welcome'),
    resultsArea: byId('results-area'),
    facets: byId('facets'),
    facetsHeading: byId('facets-heading'),
    sort: byId('sort'),
    resultsHeading: byId('results-heading'),
    resultsHeadingPage: byId('results-heading-page'),
    results: byId('results'),
    noHits: byId('no-hits'),
    noHitsFilters: byId('no-hits-filters'),
    pagination: byId('pagination'),
    prev: byId('page-prev'),
    next: byId('page-next'),
    pageInfo: byId('page-info'),
    skipLink: byId('skip-link'),
    main: byId('main'),
  };

  /* ---- State and URL ------------------------------------------------------ */

  const emptyState = () =>
    ({ q: '', type: '', year: '', place: '', sort: 'relevance', page: 1 });

  let state = emptyState();

  function stateFromUrl() {
    const p = new URLSearchParams(window.location.search);
    const s = emptyState();
    s.q = (p.get('q') || '').trim();
    for (const k of FILTER_KEYS) s[k] = (p.get(k) || '').trim();
    s.sort = p.get('sort') === 'date' ? 'date' : 'relevance';
    const page = Number.parseInt(p.get('page') || '1', 10);
    s.page = Number.isFinite(page) && page >= 1 ? page : 1;
    return s;
  }

  /* The page's own URL for a state, defaults omitted. */
  function urlFromState(s) {
    const p = new URLSearchParams();
    if (s.q) {
      p.set('q', s.q);
      for (const k of FILTER_KEYS) if (s[k]) p.set(k, s[k]);
      if (s.sort !== 'relevance') p.set('sort', s.sort);
      if (s.page > 1) p.set('page', String(s.page));
    }
    const qs = p.toString();
    return window.location.pathname + (qs ? `?${qs}` : '');
  }

  function apiSearchUrl(s) {
    const p = new URLSearchParams();
    p.set('q', s.q);
    p.set('page', String(s.page));
    p.set('size', String(PAGE_SIZE));
    for (const k of FILTER_KEYS) if (s[k]) p.set(k, s[k]);
    if (s.sort !== 'relevance') p.set('sort', s.sort);
    return `/api/search?${p}`;
  }

  /* mode: 'push', 'replace' or 'none'. Pushing the URL already shown
   * replaces instead, so the back button never steps to the same search. */
  function updateHistory(s, mode) {
    if (mode === 'none') return;
    const url = urlFromState(s);
    const current = window.location.pathname + window.location.search;
    if (mode === 'push' && url !== current) window.history.pushState(null, '', url);
    else window.history.replaceState(null, '', url);
  }

  const setPageState = (v) => { document.body.dataset.state = v; };

  /* ---- Formatting --------------------------------------------------------- */

  const capitalise = (s) => (s ? s.charAt(0).toLocaleUpperCase('sv') + s.slice(1) : s);
  const quoted = (s) => `”${s}”`;

  function formatDate(d) {
    if (!d) return '';
    let m = /^(\d{4})-(\d{2})-(\d{2})/.exec(d);
    if (m && +m[2] >= 1 && +m[2] <= 12) return `${+m[3]} ${MONTHS[m[2] - 1]} ${m[1]}`;
    m = /^(\d{4})-(\d{2})$/.exec(d);
    if (m && +m[2] >= 1 && +m[2] <= 12) return `${MONTHS[m[2] - 1]} ${m[1]}`;
    return String(d);
  }

  function facetLabel(facet, value) {
    if (facet === 'format') return formatName(value);
    if (facet === 'lang') return langName(value);
    return facet === 'type' ? capitalise(value) : value;
  }

  /* A hit's link, only for http(s) or same-site URLs. */
  function safeHref(url) {
    if (!url) return null;
    try {
      const u = new URL(url, window.location.href);
      return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
    } catch (e) {
      return null;
    }
  }

  function displayUrl(href) {
    try {
      const u = new URL(href);
      const path = decodeURI(u.pathname + u.search);
      return u.origin === window.location.origin ? path : u.host + path;
    } catch (e) {
      return href;
    }
  }

  function make(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  /* ---- Fetching ----------------------------------------------------------- */

  class ApiError extends Error {
    constructor(status, message, retryAfter) {
      super(message || `HTTP ${status}`);
      this.status = status;
      this.retryAfter = retryAfter;
    }
  }

  /* JSON.parse puts integer-like keys ("2019") first in ascending order, but
   * facet objects come in display order. Such keys get a \u0001 prefix here,
   * so objects keep the answer's order; facetEntries strips it. Inside a JSON
   * string every quote is escaped, so the pattern only meets object keys. */
  const KEY_MARK = '\u0001';
  function parseOrdered(text) {
    return JSON.parse(text.replace(/"(\d+)"(\s*):/g, '"\\u0001$1"$2:'));
  }

  function facetEntries(obj) {
    if (!obj || typeof obj !== 'object') return [];
    return Object.keys(obj).map((k) => [
      k.charAt(0) === KEY_MARK ? k.slice(1) : k,
      Number(obj[k]) || 0,
    ]);
  }

  async function fetchJson(url, signal) {
    let res;
    try {
      res = await fetch(url, { signal, headers: { Accept: 'application/json' } });
    } catch (e) {
      if (e.name === 'AbortError') throw e;
      throw new ApiError(0, e.message);
    }
    const text = await res.text();
    let data = null;
    try {
      data = parseOrdered(text);
    } catch (e) {
      data = null;
    }
    if (!res.ok) {
      const msg = data && data.error && data.error.message;
      const retry = Number.parseInt(res.headers.get('Retry-After') || '', 10);
      throw new ApiError(res.status, msg, Number.isFinite(retry) ? retry : null);
    }
    if (!data || typeof data !== 'object') throw new ApiError(-1, 'unreadable answer');
    return data;
  }

  function sleep(ms, signal) {
    return new Promise((resolve, reject) => {
      const t = setTimeout(resolve, ms);
      signal.addEventListener('abort', () => {
        clearTimeout(t);
        reject(new DOMException('Aborted', 'AbortError'));
      }, { once: true });
    });
  }

  function errorText(err) {
    const s = err.status;
    if (s === 0) return 'Det gick inte att kontakta sökfunktionen. Kontrollera din internetanslutning och försök igen.';
    if (s === -1) return 'Svaret från sökfunktionen gick inte att läsa. Försök igen om en stund.';
    if (s === 414 || (s === 400 && /long|lång/i.test(err.message))) return 'Sökfrågan är för lång. Korta ner den och försök igen.';
    if (s === 400) return 'Sökningen gick inte att genomföra. Kontrollera sökfrågan och filtren och försök igen.';
    if (s === 429) return 'Det kommer många sökningar just nu. Vänta en liten stund och försök igen.';
    if (s === 503) return 'Sökfunktionen är tillfälligt upptagen. Försök igen om en liten stund.';
    if (s >= 500) return 'Tyvärr uppstod ett fel i sökfunktionen. Försök igen senare.';
    return 'Tyvärr gick det inte att söka just nu. Försök igen senare.';
  }

  /* ---- Searching ---------------------------------------------------------- */

  let searchSeq = 0;
  let searchController = null;
  let debounceTimer = 0;
  let typingPushed = false; // a typing session pushes once, then replaces
  let shownQuery = ''; // the query whose hits are shown, for the click beacon

  function cancelPendingTyping() {
    clearTimeout(debounceTimer);
    debounceTimer = 0;
  }

  /* Runs the search in `state`. opts.history: 'push' | 'replace' | 'none';
   * opts.focus: 'results' moves focus to the results heading when done. */
  async function runSearch(opts = {}) {
    const s = { ...state };
    updateHistory(s, opts.history || 'none');
    renderActiveFilters(s);
    syncFacetPressed(s);

    const mySeq = ++searchSeq;
    if (searchController) searchController.abort();
    searchController = null;

    if (!s.q) {
      showIdle();
      return;
    }
    const controller = new AbortController();
    searchController = controller;
    showLoading(s);

    for (let attempt = 0; ; attempt++) {
      try {
        const data = await fetchJson(apiSearchUrl(s), controller.signal);
        if (mySeq !== searchSeq) return;
        const total = Math.max(0, Number(data.total) || 0);
        const size = Number(data.size) || PAGE_SIZE;
        const pages = Math.ceil(total / size);
        if (pages > 0 && s.page > pages && (!data.hits || data.hits.length === 0)) {
          // A link to a page past the end: show the last page instead.
          state = { ...s, page: pages };
          runSearch({ history: 'replace', focus: opts.focus });
          return;
        }
        renderResults(s, data);
        setPageState('done');
        if (opts.focus === 'results') focusResults();
        return;
      } catch (err) {
        if (mySeq !== searchSeq || err.name === 'AbortError') return;
        if (err.status === 503 && attempt < 2) {
          const wait = Math.min(Math.max(err.retryAfter || 1, 1), 5) * 1000;
          try {
            await sleep(wait, controller.signal);
          } catch (e) {
            return;
          }
          if (mySeq !== searchSeq) return;
          continue;
        }
        renderError(s, err);
        return;
      }
    }
  }

  /* A user action that changes the search: takes the query from the box,
   * applies `change` and pushes a history entry. */
  function commit(change, opts = {}) {
    cancelPendingTyping();
    closeSuggestions(true);
    typingPushed = false;
    const q = el.q.value.trim();
    const newQuery = q !== state.q;
    state = { ...state, ...change, q };
    if (newQuery) state.page = 1; // a page number belongs to the old query
    if (!state.q) state = { ...emptyState(), sort: state.sort };
    runSearch({ history: 'push', focus: opts.focus });
  }

  function onTypingPause() {
    debounceTimer = 0;
    const q = el.q.value.trim();
    if (q === state.q && document.body.dataset.state !== 'loading') return;
    const mode = typingPushed ? 'replace' : 'push';
    typingPushed = true;
    if (q !== state.q) state = { ...state, q, page: 1 };
    if (!q) state = { ...emptyState(), sort: state.sort };
    runSearch({ history: mode });
  }

  /* ---- Rendering ---------------------------------------------------------- */

  function showIdle() {
    setPageState('idle');
    el.status.textContent = '';
    el.retry.hidden = true;
    el.dym.hidden = true;
    el.welcome.hidden = false;
    el.resultsArea.hidden = true;
    el.results.replaceChildren();
    el.pagination.hidden = true;
    document.title = BASE_TITLE;
  }

  function showLoading(s) {
    setPageState('loading');
    el.status.textContent = `Söker efter ${quoted(s.q)} …`;
    el.retry.hidden = true;
    el.welcome.hidden = true;
    el.sort.value = s.sort;
    document.title = `${s.q} – ${BASE_TITLE}`;
  }

  /* 10000 → "10 000", as Swedish writes it. */
  function swedishNumber(n) {
    return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0');
  }

  function hasFilters(s) {
    return FILTER_KEYS.some((k) => s[k]);
  }

  function renderResults(s, data) {
    const total = Math.max(0, Number(data.total) || 0);
    const size = Number(data.size) || PAGE_SIZE;
    const page = Number(data.page) || s.page;
    const pages = Math.max(1, Math.ceil(total / size));
    const hits = Array.isArray(data.hits) ? data.hits : [];

    // A part of the index did not answer: say that hits may be missing.
    const partial = data.partial === true ?
      '. En del av sökindexet svarar inte just nu, så några träffar kan saknas.' : '';
    if (total === 0) {
      el.status.textContent = `Inga träffar för ${quoted(s.q)}` +
        (hasFilters(s) ? ' med de valda filtren' : '') + partial;
    } else if (data.total_exact === false) {
      // Counting stopped at the bound: say how many there are at least.
      const counted = Math.max(0, Number(data.total_counted) || 0);
      const limit = Math.max(0, Number(data.count_limit) || 0);
      const atLeast = limit && counted > limit ? limit : counted;
      el.status.textContent = `Fler än ${swedishNumber(atLeast)} träffar för ${quoted(s.q)}` +
        (data.any_word === true ? ' (ingen sida har alla orden, här är sidorna med något av dem)' : '') +
        partial;
    } else {
      el.status.textContent = `${total} ${total === 1 ? 'träff' : 'träffar'} för ${quoted(s.q)}` +
        (data.any_word === true ? ' (ingen sida har alla orden, här är sidorna med något av dem)' : '') +
        partial;
    }
    el.retry.hidden = true;
    el.welcome.hidden = true;
    el.resultsArea.hidden = false;

    const suggestion = typeof data.suggestion === 'string' ? data.suggestion.trim() : '';
    if (suggestion && suggestion !== s.q) {
      el.dymLink.textContent = suggestion;
      el.dymLink.href = urlFromState({ ...s, q: suggestion, page: 1 });
      el.dym.hidden = false;
    } else {
      el.dym.hidden = true;
    }

    renderFacets(s, data.facets || {}, data.facets_exact === false);
    shownQuery = s.q;
    renderHits(hits, page, size);

    el.noHits.hidden = hits.length > 0;
    el.noHitsFilters.hidden = !hasFilters(s);

    el.prev.disabled = page <= 1;
    el.next.disabled = page >= pages;
    // Past the count limit the number of pages is an estimate too.
    const ofPages = data.total_exact === false ? `ca. ${swedishNumber(pages)}` : `${pages}`;
    el.pageInfo.textContent = `Sida ${page} av ${ofPages}`;
    el.resultsHeadingPage.textContent = pages > 1 ? `, sida ${page} av ${ofPages}` : '';
    el.pagination.hidden = pages <= 1 && page <= 1;
  }

  function renderHits(hits, page, size) {
    const items = hits.map((hit, i) => {
      const li = make('li', 'hit');
      const h = make('h3', 'hit-heading');
      const a = make('a', 'hit-title', hit.title || hit.url || 'Utan rubrik');
      const href = safeHref(hit.url);
      if (href) a.href = href;
      if (typeof hit.id === 'string') a.dataset.id = hit.id;
      a.dataset.rank = String((page - 1) * size + i + 1);
      h.append(a);
      li.append(h);
      const foreign = hit.lang && hit.lang !== PAGE_LANG;
      if (foreign) h.lang = hit.lang;

      const meta = make('p', 'hit-meta');
      const parts = [];
      // An editors' best bet for this query says so, first.
      if (hit.pinned === true) parts.push(make('span', 'hit-pinned', 'Rekommenderad'));
      if (hit.type) parts.push(make('span', 'hit-type', capitalise(String(hit.type))));
      if (hit.date) {
        const t = make('time', 'hit-date', formatDate(hit.date));
        if (/^\d{4}-\d{2}-\d{2}$/.test(hit.date)) t.dateTime = hit.date;
        parts.push(t);
      }
      if (hit.place) parts.push(make('span', 'hit-place', String(hit.place)));
      // A document's format (a page's goes without saying), said in words,
      // and the page of a PDF the snippet was found on.
      if (hit.format && hit.format !== 'html') {
        const f = make('span', 'hit-format');
        f.append(make('span', 'visually-hidden', 'Dokument i formatet '), formatName(hit.format));
        if (Number.isInteger(hit.page)) f.append(`, sidan ${hit.page}`);
        parts.push(f);
      }
      if (foreign) {
        const l = make('span', 'hit-lang');
        l.append(make('span', 'visually-hidden', 'Språk: '), langName(hit.lang));
        parts.push(l);
      }
      parts.forEach((p, i) => {
        if (i > 0) meta.append(make('span', 'sep', ' · '));
        meta.append(p);
      });
      meta.hidden = parts.length === 0;
      li.append(meta);

      const snippet = make('p', 'hit-snippet');
      // Trusted: the server escapes everything but <mark>.
      snippet.innerHTML = hit.snippet || '';
      if (foreign) snippet.lang = hit.lang;
      snippet.hidden = !hit.snippet;
      li.append(snippet);

      if (href) li.append(make('p', 'hit-url', displayUrl(href)));
      return li;
    });
    el.results.start = (page - 1) * size + 1;
    el.results.replaceChildren(...items);
  }

  /* Facet counts estimated from a sample read "ca. N". */
  function renderFacets(s, facets, approximate) {
    const focused = document.activeElement;
    let refocus = null;
    if (focused && focused.classList.contains('facet-option') && el.facets.contains(focused)) {
      refocus = { facet: focused.dataset.facet, value: focused.dataset.value };
    }

    for (const { key } of FACETS) {
      const fieldset = el.facets.querySelector(`fieldset[data-facet="${key}"]`);
      const box = fieldset.querySelector('.facet-options');
      const entries = facetEntries(facets[key]);
      if (s[key] && !entries.some(([v]) => v === s[key])) entries.unshift([s[key], 0]);
      const buttons = entries.map(([value, count]) => {
        const b = make('button', 'facet-option');
        b.type = 'button';
        b.dataset.facet = key;
        b.dataset.value = value;
        b.setAttribute('aria-pressed', String(s[key] === value));
        b.append(make('span', 'facet-label', facetLabel(key, value)), ' ',
          make('span', 'facet-count', approximate && count ? `(ca. ${swedishNumber(count)})` : `(${count})`));
        return b;
      });
      box.replaceChildren(...buttons);
      box.classList.toggle('facet-options-long', buttons.length > 12);
      // Hits in the page's language alone need no language facet.
      const onlyOwnLang = key === 'lang' && !s[key] && entries.length === 1 &&
        entries[0][0] === PAGE_LANG;
      fieldset.hidden = buttons.length === 0 || onlyOwnLang;
    }
    el.facets.hidden = FACETS.every(({ key }) =>
      el.facets.querySelector(`fieldset[data-facet="${key}"]`).hidden);

    if (refocus) {
      const again = [...el.facets.querySelectorAll('button.facet-option')].find(
        (b) => b.dataset.facet === refocus.facet && b.dataset.value === refocus.value);
      (again || el.facetsHeading).focus();
    }
  }

  /* Pressed states follow a click at once, before the answer arrives. */
  function syncFacetPressed(s) {
    for (const b of el.facets.querySelectorAll('button.facet-option')) {
      b.setAttribute('aria-pressed', String(s[b.dataset.facet] === b.dataset.value));
    }
  }

  function renderActiveFilters(s) {
    const focusedChip = el.activeFilters.contains(document.activeElement);
    const items = [];
    for (const { key, label } of FACETS) {
      if (!s[key]) continue;
      const li = make('li');
      const b = make('button', 'filter-chip');
      b.type = 'button';
      b.dataset.removeFilter = key;
      const text = `${label}: ${facetLabel(key, s[key])}`;
      b.append(make('span', null, text), make('span', 'filter-chip-x', ' ✕'));
      b.setAttribute('aria-label', `Ta bort filtret ${text}`);
      li.append(b);
      items.push(li);
    }
    el.activeFilterList.replaceChildren(...items);
    el.activeFilters.hidden = items.length === 0 || !s.q;
    if (focusedChip) {
      const first = el.activeFilterList.querySelector('button');
      if (first && !el.activeFilters.hidden) first.focus();
      else focusResults();
    }
  }

  function renderError(s, err) {
    setPageState('error');
    if (window.console) console.warn('search failed:', err.status, err.message);
    el.status.textContent = errorText(err);
    el.retry.hidden = false;
    el.dym.hidden = true;
    el.welcome.hidden = true;
    el.resultsArea.hidden = true;
    el.results.replaceChildren();
    el.pagination.hidden = true;
  }

  function focusResults() {
    if (!el.resultsArea.hidden) el.resultsHeading.focus();
    else el.main.focus();
  }

  /* ---- Suggestions (ARIA combobox with a listbox) --------------------------- */

  let suggestSeq = 0;
  let suggestController = null;
  let activeIndex = -1;

  const suggestionItems = () => [...el.suggestions.querySelectorAll('li.suggestion')];
  const suggestionsOpen = () => !el.suggestions.hidden;

  /* cancel: also drop a completion request still on its way. */
  function closeSuggestions(cancel) {
    if (cancel) {
      suggestSeq++;
      if (suggestController) suggestController.abort();
      suggestController = null;
    }
    el.suggestions.hidden = true;
    el.q.setAttribute('aria-expanded', 'false');
    el.q.removeAttribute('aria-activedescendant');
    activeIndex = -1;
    for (const li of suggestionItems()) li.setAttribute('aria-selected', 'false');
  }

  function openSuggestions() {
    if (!suggestionItems().length) return;
    el.suggestions.hidden = false;
    el.q.setAttribute('aria-expanded', 'true');
  }

  function setActive(i) {
    const items = suggestionItems();
    activeIndex = i;
    items.forEach((li, j) => li.setAttribute('aria-selected', String(j === i)));
    if (i >= 0 && items[i]) {
      el.q.setAttribute('aria-activedescendant', items[i].id);
      items[i].scrollIntoView({ block: 'nearest' });
    } else {
      el.q.removeAttribute('aria-activedescendant');
    }
  }

  async function fetchSuggestions(text) {
    const mySeq = ++suggestSeq;
    if (suggestController) suggestController.abort();
    const controller = new AbortController();
    suggestController = controller;
    let data;
    try {
      data = await fetchJson(`/api/suggest?q=${encodeURIComponent(text)}`, controller.signal);
    } catch (e) {
      if (mySeq === suggestSeq) closeSuggestions(false);
      return;
    }
    if (mySeq !== suggestSeq) return;
    const list = Array.isArray(data.suggestions) ? data.suggestions : [];
    renderSuggestions(text, list.filter((x) => typeof x === 'string' && x.trim()).slice(0, 8));
  }

  function renderSuggestions(typed, list) {
    const lower = typed.toLocaleLowerCase('sv');
    const items = list.map((text, i) => {
      const li = make('li', 'suggestion');
      li.id = `suggestion-${i}`;
      li.setAttribute('role', 'option');
      li.setAttribute('aria-selected', 'false');
      li.dataset.value = text;
      if (text.toLocaleLowerCase('sv').startsWith(lower) && text.length > typed.length) {
        li.append(make('span', 'suggestion-typed', text.slice(0, typed.length)),
          make('span', 'suggestion-rest', text.slice(typed.length)));
      } else {
        li.textContent = text;
      }
      return li;
    });
    el.suggestions.replaceChildren(...items);
    activeIndex = -1;
    el.q.removeAttribute('aria-activedescendant');
    if (items.length && document.activeElement === el.q) openSuggestions();
    else closeSuggestions(false);
  }

  function pickSuggestion(li) {
    el.q.value = li.dataset.value;
    commit({ page: 1 });
  }

  /* ---- Search statistics -------------------------------------------------- */

  /* A hit followed: its query, id and rank as a beacon, which the browser
   * sends even as the page unloads. searchd answers 204 whether or not it
   * keeps statistics; a failure never stands in the visitor's way. */
  function reportClick(a) {
    if (!a.href || !a.dataset.id || !shownQuery || !navigator.sendBeacon) return;
    const body = JSON.stringify({ q: shownQuery, id: a.dataset.id, rank: Number(a.dataset.rank) });
    try {
      navigator.sendBeacon('/api/click', body);
    } catch (e) {
      // statistics only
    }
  }

  // A click, also with a modifier key (a new tab), and the middle button.
  el.results.addEventListener('click', (e) => {
    const a = e.target.closest('a.hit-title');
    if (a) reportClick(a);
  });
  el.results.addEventListener('auxclick', (e) => {
    const a = e.button === 1 && e.target.closest('a.hit-title');
    if (a) reportClick(a);
  });

  /* ---- Events ------------------------------------------------------------- */

  el.q.addEventListener('input', () => {
    cancelPendingTyping();
    const text = el.q.value.trim();
    if (!text) {
      closeSuggestions(true);
      onTypingPause();
      return;
    }
    // Pending search: tests and styles see "loading" from the first key.
    if (text !== state.q) setPageState('loading');
    debounceTimer = setTimeout(() => {
      onTypingPause();
      fetchSuggestions(text);
    }, DEBOUNCE_MS);
  });

  el.q.addEventListener('keydown', (e) => {
    if (e.isComposing) return;
    const items = suggestionItems();
    switch (e.key) {
      case 'ArrowDown':
        if (!items.length) return;
        e.preventDefault();
        if (!suggestionsOpen()) {
          openSuggestions();
          setActive(0);
        } else {
          setActive(activeIndex + 1 >= items.length ? 0 : activeIndex + 1);
        }
        break;
      case 'ArrowUp':
        if (!items.length) return;
        e.preventDefault();
        if (!suggestionsOpen()) {
          openSuggestions();
          setActive(items.length - 1);
        } else {
          setActive(activeIndex <= 0 ? items.length - 1 : activeIndex - 1);
        }
        break;
      case 'Enter':
        if (suggestionsOpen() && activeIndex >= 0 && items[activeIndex]) {
          e.preventDefault();
          pickSuggestion(items[activeIndex]);
        }
        break; // otherwise the form submits
      case 'Escape':
        if (suggestionsOpen()) {
          e.preventDefault();
          closeSuggestions(true);
        }
        break;
      case 'Tab':
        closeSuggestions(true);
        break;
      default:
    }
  });

  el.q.addEventListener('blur', () => closeSuggestions(true));

  // Keep focus in the box while clicking an option.
  el.suggestions.addEventListener('mousedown', (e) => e.preventDefault());
  el.suggestions.addEventListener('click', (e) => {
    const li = e.target.closest('li.suggestion');
    if (li) pickSuggestion(li);
  });
  el.suggestions.addEventListener('mousemove', (e) => {
    const li = e.target.closest('li.suggestion');
    const i = li ? suggestionItems().indexOf(li) : -1;
    if (i >= 0 && i !== activeIndex) setActive(i);
  });

  el.form.addEventListener('submit', (e) => {
    e.preventDefault();
    commit({ page: 1 });
  });

  el.dymLink.addEventListener('click', (e) => {
    if (e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    el.q.value = el.dymLink.textContent;
    commit({ page: 1 });
    el.q.focus();
  });

  el.facets.addEventListener('click', (e) => {
    const b = e.target.closest('button.facet-option');
    if (!b) return;
    const { facet, value } = b.dataset;
    commit({ [facet]: state[facet] === value ? '' : value, page: 1 });
  });

  el.activeFilterList.addEventListener('click', (e) => {
    const b = e.target.closest('button[data-remove-filter]');
    if (b) commit({ [b.dataset.removeFilter]: '', page: 1 });
  });

  el.clearFilters.addEventListener('click', () => {
    commit({ type: '', year: '', place: '', page: 1 });
    el.q.focus();
  });

  el.sort.addEventListener('change', () => {
    commit({ sort: el.sort.value === 'date' ? 'date' : 'relevance', page: 1 });
  });

  el.prev.addEventListener('click', () => {
    if (state.page > 1) commit({ page: state.page - 1 }, { focus: 'results' });
  });
  el.next.addEventListener('click', () => {
    commit({ page: state.page + 1 }, { focus: 'results' });
  });

  el.retry.addEventListener('click', () => {
    runSearch({ history: 'none' });
  });

  el.skipLink.addEventListener('click', (e) => {
    e.preventDefault();
    focusResults();
  });

  function loadFromUrl() {
    cancelPendingTyping();
    closeSuggestions(true);
    typingPushed = false;
    state = stateFromUrl();
    el.q.value = state.q;
    el.sort.value = state.sort;
    runSearch({ history: 'none' });
  }

  window.addEventListener('popstate', loadFromUrl);
  loadFromUrl();
})();

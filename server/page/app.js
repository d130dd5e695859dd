// app.js — nidx serve's search page. The state lives in the address
// (q, sort, offset, filters; article=ID for one article), so that links,
// reloads and the back button work. Article text only ever reaches the
// page as text nodes: nothing from the index is parsed as HTML.
'use strict';

const FILTERS = ['lang', 'source', 'site', 'from', 'to'];
const LIMIT = 10;
const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  for (const k of kids) e.append(k);
  return e;
}

// The library's snippet is HTML-escaped text with <b> around matches:
// rebuilt from its parts as text nodes and <b> elements.
function snippetNode(snippet) {
  const p = el('p', {class: 'snippet'});
  const entities = {'&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'",
                    '&amp;': '&'};
  const unescape = (s) => s.replace(/&(lt|gt|quot|#39|amp);/g,
                                    (m) => entities[m]);
  let bold = false;
  for (const part of snippet.split(/(<b>|<\/b>)/)) {
    if (part === '<b>') bold = true;
    else if (part === '</b>') bold = false;
    else if (part) p.append(bold ? el('b', {}, unescape(part))
                                 : unescape(part));
  }
  return p;
}

function params() { return new URLSearchParams(location.search); }

function go(p) {
  history.pushState(null, '', '/?' + p.toString());
  render();
}

function status(text) { $('status').textContent = text; }

async function getJSON(url) {
  const r = await fetch(url, {headers: {Accept: 'application/json'}});
  const body = await r.json().catch(() => ({error: r.statusText}));
  // The message says where a query fails already ("at position N").
  if (!r.ok) throw new Error(body.error || r.statusText);
  return body;
}

function hitNode(h) {
  const link = el('a', {href: '/?article=' + encodeURIComponent(h.id)},
                  h.title || '(untitled)');
  const meta = [h.date || 'no date', h.source, h.lang].filter(Boolean);
  if (h.duplicates)
    meta.push(h.duplicates + ' similar article' +
              (h.duplicates === 1 ? '' : 's') + ' not shown');
  if (h.transliterated && h.transliterated.length)
    meta.push('another spelling of ' + h.transliterated.join(', '));
  const node = el('div', {class: 'hit'}, el('h3', {}, link),
                  el('div', {class: 'meta'}, meta.join(' · ')));
  if (h.snippet) node.append(snippetNode(h.snippet));
  return node;
}

const FACET_TITLES = {source: 'Source', lang: 'Language', month: 'Month'};

// A link to the page with `change` made to the current address; clicked,
// it moves without reloading.
function link(text, change, attrs) {
  const p = params();
  p.delete('offset');
  change(p);
  const a = el('a', Object.assign({href: '/?' + p.toString()}, attrs || {}),
               ...[].concat(text));
  a.addEventListener('click', (e) => {
    if (e.ctrlKey || e.metaKey || e.shiftKey || e.button) return;
    e.preventDefault();
    go(p);
    window.scrollTo(0, 0);
  });
  return a;
}

function facetsNode(facets) {
  const nav = $('facets');
  nav.replaceChildren();
  for (const [name, counts] of Object.entries(facets || {})) {
    const entries = Object.entries(counts);
    if (!entries.length) continue;
    if (name === 'month') entries.reverse(); // newest first
    const list = el('ul');
    for (const [value, n] of entries.slice(0, 12)) {
      const a = link([value + ' ', el('span', {class: 'count'}, String(n))],
                     (p) => {
                       if (name === 'month') {
                         p.set('from', value);
                         p.set('to', value);
                       } else {
                         p.append(name, value);
                       }
                     }, {'data-facet': name, 'data-value': value});
      list.append(el('li', {}, a));
    }
    nav.append(el('h2', {}, FACET_TITLES[name] || name), list);
  }
}

function filtersNode(p) {
  const box = $('filters');
  box.replaceChildren();
  for (const name of FILTERS)
    for (const value of p.getAll(name))
      box.append(link(name + ': ' + value + ' ✕', (q) => {
        const kept = q.getAll(name).filter((v) => v !== value);
        q.delete(name);
        for (const v of kept) q.append(name, v);
      }, {class: 'chip', 'aria-label': 'Remove filter ' + name + ' ' +
                                       value}));
}

function pagesNode(p, total, shown) {
  const nav = $('pages');
  nav.replaceChildren();
  const offset = Number(p.get('offset') || 0);
  const page = (to, label) =>
    nav.append(link(label, (q) => q.set('offset', String(to))));
  if (offset > 0) page(Math.max(0, offset - LIMIT), '← Previous');
  if (offset + shown < total) page(offset + LIMIT, 'Next →');
}

async function showResults(p) {
  const q = p.get('q') || '';
  const has = FILTERS.some((f) => p.getAll(f).length);
  $('article').hidden = true;
  $('results').replaceChildren();
  $('facets').replaceChildren();
  $('pages').replaceChildren();
  filtersNode(p);
  if (!q.trim() && !has) {
    const h = await getJSON('/health').catch(() => null);
    status(h ? h.articles + ' articles in the archive. Type words to ' +
               'search; "quotes" for a phrase, -word to leave out.' : '');
    return;
  }
  const ask = new URLSearchParams(p);
  ask.delete('article');
  ask.set('facets', '1');
  ask.set('limit', String(LIMIT));
  status('Searching…');
  let r;
  try {
    r = await getJSON('/search?' + ask.toString());
  } catch (e) {
    status(e.message);
    return;
  }
  const offset = r.offset || 0;
  let text = r.hits.length
    ? (r.total_exact ? '' : 'About ') + r.total + ' match' +
      (r.total === 1 ? '' : 'es') + '; showing ' + (offset + 1) + '–' +
      (offset + r.hits.length)
    : 'No articles match.';
  if (r.cut) text += ' (the search was cut short: these are the best found)';
  if (r.shards_failed)
    text += '. Part of the archive did not answer: ' + r.shards_failed +
      ' shard' + (r.shards_failed === 1 ? ' is' : 's are') +
      ' left out, and these counts are of the rest';
  if (r.unreadable)
    text += '. ' + r.unreadable + ' hit' + (r.unreadable === 1 ? '' : 's') +
      ' shown without text: the index is damaged (nidx check)';
  status(text);
  if (r.suggestion) {
    const s = new URLSearchParams(p);
    s.set('q', r.suggestion);
    s.delete('offset');
    const a = el('a', {href: '/?' + s.toString()}, r.suggestion);
    $('results').append(el('p', {class: 'suggestion'}, 'Did you mean ', a,
                           '?'));
  }
  for (const h of r.hits) $('results').append(hitNode(h));
  facetsNode(r.facets);
  pagesNode(p, r.total, r.hits.length);
}

async function showArticle(id) {
  $('results').replaceChildren();
  $('facets').replaceChildren();
  $('pages').replaceChildren();
  $('filters').replaceChildren();
  const box = $('article');
  box.replaceChildren();
  box.hidden = false;
  status('');
  let a;
  try {
    a = await getJSON('/articles/' + encodeURIComponent(id));
  } catch (e) {
    status(e.message);
    return;
  }
  const meta = [a.date || 'no date', a.source, a.lang].filter(Boolean);
  box.append(el('h1', {}, a.title || '(untitled)'),
             el('p', {class: 'meta'}, meta.join(' · ')));
  if (a.url && /^https?:\/\//i.test(a.url))
    box.append(el('p', {}, el('a', {href: a.url, rel: 'noopener noreferrer'},
                              a.url)));
  box.append(el('div', {class: 'body'}, a.body || ''));
  const back = el('a', {href: '/'}, '← Back');
  back.addEventListener('click', (e) => {
    if (history.length > 1) { e.preventDefault(); history.back(); }
  });
  box.append(el('p', {}, back));
}

function render() {
  const p = params();
  $('q').value = p.get('q') || '';
  $('sort').value = p.get('sort') || '';
  const id = p.get('article');
  (id !== null ? showArticle(id) : showResults(p)).then(() => {
    document.body.setAttribute('data-ready', '1');
  });
}

$('search').addEventListener('submit', (e) => {
  e.preventDefault();
  const p = params();
  p.set('q', $('q').value);
  p.delete('offset');
  p.delete('article');
  if ($('sort').value) p.set('sort', $('sort').value);
  else p.delete('sort');
  go(p);
});
$('sort').addEventListener('change', () => {
  if (params().get('q') !== null) $('search').requestSubmit();
});
document.addEventListener('keydown', (e) => {
  if (e.key === '/' && document.activeElement !== $('q')) {
    e.preventDefault();
    $('q').focus();
  }
});
window.addEventListener('popstate', render);
render();

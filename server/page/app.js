// app.js — enhances nidx serve's page, which the server renders whole
// (server/page.c) and which works without this script: "/" moves to the
// search box, a new order of hits searches at once, and links and the
// form within the page move without a reload (the server's page for the
// new address is fetched, and its form and <main> put in place of these).
// Nothing is built from article text here: the server escaped it, and a
// parsed document runs no script.
'use strict';

const $ = (id) => document.getElementById(id);

// Whether a link or form leads to one of this page's addresses.
function ours(url) {
  return url.origin === location.origin && url.pathname === '/';
}

async function load(url, push) {
  document.body.removeAttribute('data-ready');
  let doc;
  try {
    const r = await fetch(url, {headers: {Accept: 'text/html'}});
    doc = new DOMParser().parseFromString(await r.text(), 'text/html');
  } catch (e) {
    location.href = url; // the plain way
    return;
  }
  const main = doc.getElementById('main');
  const form = doc.getElementById('search');
  if (!main || !form) {
    location.href = url;
    return;
  }
  $('main').replaceWith(document.adoptNode(main));
  $('search').replaceWith(document.adoptNode(form));
  document.title = doc.title;
  if (push) history.pushState({nidx: true}, '', url);
  window.scrollTo(0, 0);
  document.body.setAttribute('data-ready', '1');
}

document.addEventListener('click', (e) => {
  const a = e.target.closest('a[href]');
  if (!a || e.defaultPrevented || e.button || e.ctrlKey || e.metaKey ||
      e.shiftKey || e.altKey)
    return;
  // Back from an article to the hits it was opened from, where they were.
  if (a.classList.contains('back') && history.state && history.state.nidx) {
    e.preventDefault();
    history.back();
    return;
  }
  const url = new URL(a.href, location.href);
  if (!ours(url)) return;
  e.preventDefault();
  load(url.href, true);
});

document.addEventListener('submit', (e) => {
  const form = e.target;
  if (form.id !== 'search') return;
  e.preventDefault();
  const p = new URLSearchParams();
  for (const [k, v] of new FormData(form))
    if (v !== '' || k === 'q') p.append(k, v);
  load('/?' + p.toString(), true);
});

document.addEventListener('change', (e) => {
  if (e.target.id === 'sort' && $('q').value.trim())
    $('search').requestSubmit();
});

document.addEventListener('keydown', (e) => {
  const t = e.target;
  if (e.key === '/' && !/^(INPUT|SELECT|TEXTAREA)$/.test(t.tagName)) {
    e.preventDefault();
    $('q').focus();
    $('q').select();
  }
});

window.addEventListener('popstate', () => load(location.href, false));
document.body.setAttribute('data-ready', '1');

/* <linkj-partnerships lang="en" country="JP" partner-kind="local-government" year="2020">: LINK-J's partnerships from
   the public API of the origin this script was loaded from. No framework; shadow DOM styles; text only (textContent). */
(() => {
  'use strict';
  const W = /*TEXTS*/{}/*END*/;
  const script = document.currentScript;
  const origin = script && script.src ? new URL(script.src).origin : location.origin;
  const CSS = ':host{display:block;font:inherit;color:#1a1a1a;background:#fff}' +
    ':host(:lang(ja)){line-break:strict;word-break:auto-phrase;overflow-wrap:anywhere}' +
    '.scroll{overflow-x:auto}table{border-collapse:collapse;width:100%}caption{text-align:left;font-weight:600;padding:.4em 0}' +
    'th,td{border-bottom:1px solid #c8c8c8;padding:.4em;text-align:left;vertical-align:top}thead th{border-bottom:2px solid #1a1a1a}' +
    'ul{margin:0;padding-left:1.1em}tr.latest{background:#fff4ce}.badge{margin-left:.4em;padding:0 .3em;border-radius:3px;background:#7a4100;color:#fff;font-size:.8em}' +
    '[role=alert]{color:#b00020}:focus-visible{outline:3px solid #0b57d0;outline-offset:2px}';

  const el = (tag, text, attrs) => {
    const node = document.createElement(tag);
    if (text != null) node.textContent = String(text);
    for (const [k, v] of Object.entries(attrs || {})) if (v != null) node.setAttribute(k, v);
    return node;
  };
  const ordinal = n => n + ((n % 100 >= 11 && n % 100 <= 13) ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' })[n % 10] || 'th');

  class LinkJPartnerships extends HTMLElement {
    static get observedAttributes() { return ['lang', 'country', 'partner-kind', 'year']; }

    constructor() {
      super();
      this.root = this.attachShadow({ mode: 'open' });
      if ('adoptedStyleSheets' in this.root) {
        const sheet = new CSSStyleSheet();
        sheet.replaceSync(CSS);
        this.root.adoptedStyleSheets = [sheet];
      } else {
        this.root.append(el('style', CSS));
      }
      this.body = el('div');
      this.root.append(this.body);
    }

    connectedCallback() { this.load(); }

    attributeChangedCallback() { if (this.isConnected) this.load(); }

    async load() {
      const en = (this.getAttribute('lang') || document.documentElement.lang || 'ja').toLowerCase().startsWith('en');
      const t = en ? W.en : W.ja;
      const ticket = (this.ticket || 0) + 1;
      this.ticket = ticket;
      this.show(el('p', t.loading, { role: 'status' }));
      this.setAttribute('aria-busy', 'true');
      const url = new URL('/api/v1/agreements', origin);
      url.searchParams.set('limit', '100');
      url.searchParams.set('lang', en ? 'en' : 'ja');
      for (const [attr, param] of [['country', 'country'], ['partner-kind', 'partnerKind'], ['year', 'year']]) {
        const value = this.getAttribute(attr);
        if (value) url.searchParams.set(param, value);
      }
      try {
        const response = await fetch(url, { headers: { Accept: 'application/json' }, mode: 'cors', credentials: 'omit' });
        if (!response.ok) throw new Error('HTTP ' + response.status);
        const page = await response.json();
        if (ticket === this.ticket) this.show(this.table(page.items, t, en));
      } catch (error) {
        if (ticket === this.ticket) this.show(el('p', t.error, { role: 'alert' }));
      } finally {
        if (ticket === this.ticket) this.removeAttribute('aria-busy');
      }
    }

    show(node) { this.body.replaceChildren(node); }

    table(items, t, en) {
      const latest = items.reduce((max, a) => (a.ordinal && (!max || a.ordinal.overall > max.ordinal.overall)) ? a : max, null);
      const table = el('table');
      table.append(el('caption', t.caption + ' (' + (en ? items.length + (items.length === 1 ? ' partnership' : ' partnerships') : items.length + '件') + ')'));
      const head = el('tr');
      for (const h of t.columns) head.append(el('th', h, { scope: 'col' }));
      table.appendChild(el('thead')).append(head);
      const body = table.appendChild(el('tbody'));
      for (const a of items) {
        const row = body.appendChild(el('tr', null, { class: a === latest ? 'latest' : null }));
        const year = a.signedOn.slice(0, 4), month = +a.signedOn.slice(5, 7);
        row.appendChild(el('td')).append(el('time', en ? t.months[month - 1] + ' ' + year : year + '年' + month + '月', { datetime: a.signedOn.slice(0, 7) }));
        const name = el('th', null, { scope: 'row' });
        name.append(el('span', a.partner.displayName, { lang: en && !a.partner.name.en ? 'ja' : null }));
        if (a.partner.shortName && !a.partner.displayName.includes(a.partner.shortName)) name.append(' (' + a.partner.shortName + ')');
        if (a === latest) name.append(el('strong', t.latest, { class: 'badge' }));
        row.append(name);
        const country = t.countries[a.partner.country];
        row.append(el('td', country || a.partner.country));
        const scopes = el('td');
        const list = scopes.appendChild(el('ul'));
        for (const s of a.localized.scopes) list.append(el('li', s));
        if (a.cooperation.isOpenEnded) scopes.append(el('span', t.more));
        row.append(scopes);
        row.append(el('td', t.statuses[a.status] || a.status));
        const number = el('td');
        if (a.ordinal) {
          const kind = a.partner.kind;
          number.append(el('span', en ? ordinal(a.ordinal.overall) : a.ordinal.overall + '例目'), el('br'),
            el('span', en ? ordinal(a.ordinal.withinPartnerKind) + ' ' + t.withKind[kind] : t.withKind[kind] + 'との' + a.ordinal.withinPartnerKind + '例目'));
        } else {
          number.append('—');
        }
        row.append(number);
      }
      const scroll = el('div', null, { class: 'scroll', tabindex: '0', role: 'region', 'aria-label': t.caption });
      scroll.append(table);
      return scroll;
    }
  }

  if (!customElements.get('linkj-partnerships')) customElements.define('linkj-partnerships', LinkJPartnerships);
})();

// Baton agent console: polls the reference server's agent API every 3 s and shows each open
// case as an escalation-summary card. Plain JS, no build. Every piece of customer or package
// text goes into the page through textContent (via el()), never innerHTML.
'use strict';

(function () {
  const POLL_MS = 3000;
  const PRIORITY_WORD = { critical: 'Critical', high: 'High', medium: 'Medium', low: 'Low' };

  const nameInput = document.getElementById('agent-name');
  const form = document.getElementById('agent-form');
  const statusLine = document.getElementById('poll-status');
  const updatedLine = document.getElementById('poll-updated');
  const errorBox = document.getElementById('error');
  const emptyBox = document.getElementById('empty');
  const list = document.getElementById('cases');

  /** case_id -> { root, parts, data (the list's case), detail (package etc., fetched once),
   *  lastSeq, joinedAt (when its agent joined, from the "joined" message) } */
  const cards = new Map();
  let agent = localStorage.getItem('baton-agent-name') || 'Alex';
  nameInput.value = agent;
  let timer = null;
  // Polls can overlap (an action polls at once while the timer's poll is on the wire); only the
  // latest one's answer is drawn, or an answer from before a resolve would bring its card back.
  let pollGen = 0;

  // ---- tiny DOM helper: strings become text nodes, so nothing is ever parsed as HTML ----
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'text') node.textContent = String(v);
      else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children.flat()) {
      if (c === null || c === undefined || c === false) continue;
      node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return node;
  }

  function str(v) {
    if (v === null || v === undefined) return '';
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    if (typeof v === 'object' && typeof v.label === 'string') return v.label;
    if (typeof v === 'object' && typeof v.text === 'string') return v.text;
    return JSON.stringify(v);
  }

  function time(ms) {
    if (typeof ms !== 'number') return '';
    return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  }

  function ago(ms) {
    const s = Math.max(0, Math.round((Date.now() - ms) / 1000));
    if (s < 60) return s + ' s ago';
    if (s < 3600) return Math.round(s / 60) + ' min ago';
    return Math.round(s / 3600) + ' h ago';
  }

  async function api(method, path, body) {
    const res = await fetch(path, {
      method,
      headers: body ? { 'content-type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
      cache: 'no-store',
    });
    const text = await res.text();
    const data = text ? JSON.parse(text) : null;
    if (!res.ok) {
      const msg = data && data.error ? data.error.message : 'HTTP ' + res.status;
      throw new Error(msg);
    }
    return data;
  }

  function showError(message) {
    errorBox.textContent = message;
    errorBox.hidden = !message;
  }

  // ---- one card per case -------------------------------------------------------------------

  function buildCard(c) {
    const id = c.case_id;
    const headingId = 'h-' + id;
    const transcriptId = 't-' + id;
    const parts = {};
    parts.badge = el('span', { class: 'badge' });
    parts.status = el('span', { class: 'badge status' });
    parts.title = el('span');
    parts.meta = el('dl', { class: 'meta' });
    parts.details = el('div');
    parts.transcript = el('ol', { class: 'transcript', id: transcriptId, hidden: true, 'aria-label': 'Full transcript' });
    parts.transcriptBtn = el('button', {
      type: 'button', 'aria-expanded': 'false', 'aria-controls': transcriptId, text: 'View transcript',
      onclick: () => toggleTranscript(id),
    });
    parts.accept = el('button', { type: 'button', class: 'primary', text: 'Accept', onclick: () => act(id, 'accept') });
    const lockId = 'l-' + id;
    parts.resolve = el('button', { type: 'button', text: 'Resolve', 'aria-describedby': lockId, onclick: () => act(id, 'resolve') });
    // Why Resolve (and the reply box) is off: the case is another agent's (QA: anyone could
    // close a colleague's conversation from under them).
    parts.lock = el('p', { class: 'lock', id: lockId, hidden: true });
    parts.chat = el('ol', { class: 'chat', 'aria-label': 'Messages with the customer', 'aria-live': 'polite' });
    const replyId = 'r-' + id;
    parts.replyLabel = el('label', { for: replyId, text: 'Reply to the customer' });
    parts.reply = el('textarea', { id: replyId, rows: '2', maxlength: '4000' });
    parts.send = el('button', { type: 'submit', class: 'primary', text: 'Send' });
    parts.replyForm = el('form', { class: 'reply', onsubmit: (e) => { e.preventDefault(); send(id); } },
      parts.replyLabel, parts.reply, parts.send);
    parts.reply.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); send(id); }
    });
    parts.conversation = el('section', { 'aria-label': 'Live conversation', hidden: true },
      el('h3', { text: 'Conversation' }), parts.chat, parts.replyForm);

    const root = el('article', { class: 'case', 'aria-labelledby': headingId },
      el('h2', { id: headingId }, parts.title, parts.badge, parts.status),
      parts.meta,
      parts.details,
      el('div', { class: 'actions' }, parts.transcriptBtn, parts.accept, parts.resolve),
      parts.lock,
      parts.transcript,
      parts.conversation);
    return { root, parts, detail: null, lastSeq: 0, data: null, joinedAt: null };
  }

  function metaRow(dl, label, value) {
    if (!value) return;
    dl.append(el('dt', { text: label }), el('dd', { text: value }));
  }

  // The escalation summary's customer lines (docs/handoff-package.md, summary_text), with what
  // the host page did not give left out, and "not provided" said once when nothing was.
  const NOT_PROVIDED = 'not provided';

  /** The value as text, or '' when absent or blank (the summary's "not provided"). */
  function given(v) {
    const t = str(v);
    return t.trim() ? t : '';
  }

  /** "Jane Doe (jane@example.com)", as the summary's Customer line. */
  function customerLine(cu) {
    const name = given(cu.name);
    const email = given(cu.email);
    if (name && email) return name + ' (' + email + ')';
    return name || email || NOT_PROVIDED;
  }

  /** "enterprise, active, customer since 2021-03-04 (id A-1001)", as the summary's Account line. */
  function accountLine(cu) {
    const since = given(cu.customer_since);
    const text = [given(cu.tier), given(cu.account_status), since && 'customer since ' + since].filter(Boolean).join(', ');
    const id = given(cu.account_id);
    if (!id) return text || NOT_PROVIDED;
    return text ? text + ' (id ' + id + ')' : 'id ' + id;
  }

  function previousTickets(cu) {
    return given(cu.previous_interactions) || NOT_PROVIDED;
  }

  /** The card's facts: redrawn on every poll, once the package is in, and when the agent joins. */
  function drawMeta(card) {
    const c = card.data;
    const dl = card.parts.meta;
    const pr = PRIORITY_WORD[c.priority] ? c.priority : 'medium';
    dl.replaceChildren();
    metaRow(dl, 'Reason', str(c.reason));
    // Raised after intake by what the customer wrote while waiting (QA: a case at critical
    // still gave only its first reason, so nothing said why).
    if (c.raised_by) metaRow(dl, 'Raised by', '"' + str(c.raised_by) + '"');
    metaRow(dl, 'Priority', PRIORITY_WORD[pr]);
    // QA: the card named only the customer; the package also says who they are to the business.
    // The account lines wait for the package (the list carries only the name and email).
    const pkg = card.detail && card.detail.package;
    const pkgCustomer = pkg && typeof pkg === 'object' && pkg.customer && typeof pkg.customer === 'object' ? pkg.customer : null;
    metaRow(dl, 'Customer', customerLine(pkgCustomer || c.customer || {}));
    if (card.detail) {
      metaRow(dl, 'Account', accountLine(pkgCustomer || {}));
      metaRow(dl, 'Previous tickets', previousTickets(pkgCustomer || {}));
    }
    metaRow(dl, 'Type', str(c.type).replace(/_/g, ' '));
    metaRow(dl, 'Sentiment', str(c.sentiment));
    if (c.status === 'assigned') {
      // QA: an assigned case still said "Waiting since". When the agent joined comes from the
      // case's "joined" message (the case object has no such field).
      const since = typeof card.joinedAt === 'number' ? ' since ' + time(card.joinedAt) + ' (' + ago(card.joinedAt) + ')' : '';
      metaRow(dl, 'Assigned', 'With ' + (given(c.agent) || 'an agent') + since);
      metaRow(dl, 'Opened', time(c.created_at) + ' (' + ago(c.created_at) + ')');
    } else {
      metaRow(dl, 'Waiting since', time(c.created_at) + ' (' + ago(c.created_at) + ')');
    }
  }

  function updateCard(card, c) {
    const p = card.parts;
    card.data = c;
    const pr = PRIORITY_WORD[c.priority] ? c.priority : 'medium';
    card.root.className = 'case p-' + pr;
    p.badge.className = 'badge p-' + pr;
    p.badge.textContent = PRIORITY_WORD[pr] + ' priority';
    const name = str(c.customer && c.customer.name) || 'Unknown customer';
    p.title.textContent = c.case_number + ' · ' + name;
    p.status.textContent = c.status === 'queued'
      ? 'Queued #' + c.position
      : c.status === 'assigned' ? 'With ' + str(c.agent) : c.status;

    drawMeta(card);

    const mine = c.status === 'assigned' && c.agent === agent;
    // Another agent's case: only they reply to it or resolve it (a queued case is nobody's yet,
    // and anyone may close it).
    const theirs = c.status === 'assigned' && !mine;
    p.accept.hidden = c.status !== 'queued';
    p.accept.setAttribute('aria-label', 'Accept case ' + c.case_number);
    p.resolve.setAttribute('aria-label', 'Resolve case ' + c.case_number);
    p.resolve.disabled = theirs;
    p.lock.hidden = !theirs;
    p.lock.textContent = theirs ? 'Assigned to ' + str(c.agent) + ': only ' + str(c.agent) + ' can reply to or resolve this case.' : '';
    p.transcriptBtn.setAttribute('aria-label', 'View transcript of case ' + c.case_number);
    p.conversation.hidden = c.status !== 'assigned';
    p.reply.disabled = !mine;
    p.send.disabled = !mine;
    p.replyLabel.textContent = mine ? 'Reply to ' + name : 'Only ' + str(c.agent) + ' can reply';
  }

  // The package is immutable: fetch it once per case, then render what the AI found.
  async function loadDetail(card) {
    if (card.detail || card.loading) return;
    card.loading = true;
    try {
      card.detail = await api('GET', '/v1/agent/cases/' + encodeURIComponent(card.data.case_id));
      renderDetail(card);
      renderChat(card, card.detail.messages || []);
      drawMeta(card);
    } catch (e) {
      showError('Could not load case ' + card.data.case_number + ': ' + e.message);
    } finally {
      card.loading = false;
    }
  }

  function renderDetail(card) {
    const pkg = (card.detail && card.detail.package) || {};
    const assessment = pkg.assessment || {};
    const technical = pkg.technical || {};
    const box = card.parts.details;
    box.replaceChildren();

    // Left while nobody could take the case: the customer may be gone, so reply this way too
    // (a widget still open on their site checks the case every poll interval, and joins the
    // chat once the case is accepted).
    const contact = pkg.contact || {};
    if (contact.email || contact.phone) {
      const also = ' (accept to chat too, if they are still on the site)';
      box.append(el('p', { class: 'contact', text: (contact.email
        ? 'The customer left details: reply by email to ' + str(contact.email)
        : 'The customer left details: call back on ' + str(contact.phone)) + also }));
    }

    const issue = [];
    // What the customer said first, in their words (QA: the details showed only the reasons'
    // evidence, "emotion: ridiculous", not the issue).
    const msgs = (pkg.conversation && pkg.conversation.messages) || [];
    const first = msgs.find((m) => m && m.role === 'customer');
    if (first) {
      const words = str(first.text);
      issue.push('Customer said: ' + (words.length > 200 ? words.slice(0, 200) + '…' : words));
    }
    for (const r of assessment.reasons || []) {
      issue.push([str(r.code).replace(/_/g, ' '), str(r.evidence)].filter(Boolean).join(': '));
    }
    for (const e of technical.errors || technical.error_messages || []) {
      // Errors are {code?, message}: show the code, then the sentence it came from.
      issue.push('Error: ' + (e && typeof e === 'object' ? [e.code, e.message].filter(Boolean).map(str).join(' · ') : str(e)));
    }
    if (technical.page_url || technical.url) issue.push('Page: ' + str(technical.page_url || technical.url));
    if (issue.length) {
      box.append(el('h3', { text: 'Issue details' }), el('ul', {}, issue.map((t) => el('li', { text: t }))));
    }

    const attempts = technical.attempts || pkg.attempts || [];
    if (attempts.length) {
      box.append(el('h3', { text: 'What the AI attempted' }), el('ul', {}, attempts.map((a) => {
        const step = typeof a === 'string' ? a : str(a.step || a.description || a.text || a.intent);
        const outcome = typeof a === 'object' && a ? (a.worked ?? a.outcome ?? a.result) : undefined;
        const ok = outcome === true || outcome === 'worked' || outcome === 'resolved';
        const bad = outcome === false || outcome === 'failed' || outcome === 'did_not_work' || outcome === 'not_resolved';
        return el('li', {}, step, ' ', ok ? el('span', { class: 'worked', text: '(worked)' })
          : bad ? el('span', { class: 'failed', text: '(did not work)' })
            : outcome !== undefined ? el('span', { text: '(' + str(outcome) + ')' }) : null);
      })));
    }

    const next = assessment.next_steps || [];
    if (next.length) {
      box.append(el('h3', { text: 'Next steps' }), el('ol', {}, next.map((n) => el('li', { text: str(n) }))));
    }
    if (!issue.length && !attempts.length && !next.length && pkg.summary_text) {
      box.append(el('h3', { text: 'Summary' }), el('pre', { class: 'summary', text: str(pkg.summary_text) }));
    }

    card.parts.transcript.replaceChildren(...(msgs.length ? msgs.map((m) => el('li', { class: 'role-' + str(m.role) },
      el('span', { class: 'who', text: roleName(m.role) + ': ' }), el('bdi', { class: 'said', text: str(m.text) }), ' ', el('span', { class: 'when', text: time(m.at) })))
      : [el('li', { text: 'The handoff package has no transcript.' })]));
  }

  function roleName(role) {
    return { customer: 'Customer', bot: 'AI', ai: 'AI', assistant: 'AI', agent: 'Agent', system: 'System' }[role] || str(role);
  }

  function renderChat(card, messages) {
    let joined = false;
    for (const m of messages) {
      if (m.seq <= card.lastSeq) continue;
      card.lastSeq = m.seq;
      if (m.event === 'agent_joined' && typeof m.at === 'number') { card.joinedAt = m.at; joined = true; }
      const who = m.role === 'agent' ? (m.author || 'Agent') : m.role === 'customer' ? 'Customer' : 'System';
      card.parts.chat.append(el('li', { class: 'role-' + m.role },
        el('span', { class: 'who', text: who + ': ' }), el('bdi', { class: 'said', text: m.text }), ' ', el('span', { class: 'when', text: time(m.at) })));
    }
    card.parts.chat.scrollTop = card.parts.chat.scrollHeight;
    if (joined && card.data) drawMeta(card);
  }

  async function refreshChat(card) {
    if (!card.detail || card.data.status !== 'assigned') return;
    const id = encodeURIComponent(card.data.case_id);
    const res = await api('GET', '/v1/cases/' + id + '/messages?after=' + card.lastSeq);
    renderChat(card, res.messages || []);
  }

  function toggleTranscript(id) {
    const card = cards.get(id);
    if (!card) return;
    const open = card.parts.transcript.hidden;
    card.parts.transcript.hidden = !open;
    card.parts.transcriptBtn.setAttribute('aria-expanded', String(open));
    card.parts.transcriptBtn.textContent = open ? 'Hide transcript' : 'View transcript';
  }

  async function act(id, action) {
    const card = cards.get(id);
    if (action === 'resolve' && card && card.parts.resolve.disabled) return;
    // The case after this one (or before it, for the last): where focus goes once it is resolved.
    const neighbour = card && (card.root.nextElementSibling || card.root.previousElementSibling);
    try {
      // The agent's name on every action: the server refuses a colleague's case (it may have
      // been taken since the last poll, with this button still enabled).
      await api('POST', '/v1/agent/cases/' + encodeURIComponent(id) + '/' + action, { agent });
      showError('');
      await poll();
      if (action === 'accept' && card && cards.has(id)) card.parts.reply.focus();
      // The resolved case's card is gone, and focus with it: on to the next case's first
      // button, or to "No customers are waiting".
      if (action === 'resolve' && card && !card.root.isConnected) {
        const next = neighbour && neighbour.isConnected && neighbour.querySelector('button');
        (next || emptyBox).focus();
      }
    } catch (e) {
      showError('Could not ' + action + ' ' + (card ? card.data.case_number : 'the case') + ': ' + e.message);
    }
  }

  async function send(id) {
    const card = cards.get(id);
    if (!card) return;
    const text = card.parts.reply.value.trim();
    if (!text || card.parts.send.disabled) return;
    card.parts.send.disabled = true;
    try {
      await api('POST', '/v1/agent/cases/' + encodeURIComponent(id) + '/messages', { agent, text });
      card.parts.reply.value = '';
      showError('');
      await refreshChat(card);
    } catch (e) {
      showError('Message not sent: ' + e.message);
    } finally {
      card.parts.send.disabled = false;
      card.parts.reply.focus();
    }
  }

  // ---- polling -------------------------------------------------------------------------------

  async function poll() {
    clearTimeout(timer);
    const gen = ++pollGen;
    try {
      const res = await api('GET', '/v1/agent/cases?agent=' + encodeURIComponent(agent));
      if (gen !== pollGen) return;
      const open = res.cases || [];
      // Moving a node blurs what has focus inside it (a reply being typed, a button): put it back.
      const active = document.activeElement;
      const seen = new Set();
      open.forEach((c, i) => {
        seen.add(c.case_id);
        let card = cards.get(c.case_id);
        if (!card) { card = buildCard(c); cards.set(c.case_id, card); }
        updateCard(card, c);
        // Move only when out of place: moving a node would steal focus from its textarea.
        if (list.children[i] !== card.root) list.insertBefore(card.root, list.children[i] || null);
        loadDetail(card);
      });
      for (const [id, card] of cards) {
        if (!seen.has(id)) { card.root.remove(); cards.delete(id); }
      }
      if (active && active.isConnected && document.activeElement !== active) active.focus();
      await Promise.all([...cards.values()].map((c) => refreshChat(c).catch(() => {})));
      emptyBox.hidden = open.length > 0;
      const queued = open.filter((c) => c.status === 'queued').length;
      // Announced (role status) only when the counts change: the time is outside the live
      // region, else a screen reader said the line every 3 s all day (QA).
      const counts = queued + ' waiting, ' + (open.length - queued) + ' in progress · ' + res.agents_online + (res.agents_online === 1 ? ' agent online' : ' agents online');
      if (statusLine.textContent !== counts) statusLine.textContent = counts;
      updatedLine.textContent = 'updated ' + new Date().toLocaleTimeString();
      if (errorBox.textContent.startsWith('Server unreachable')) showError('');
    } catch (e) {
      showError('Server unreachable, retrying: ' + e.message);
    } finally {
      if (gen === pollGen) timer = setTimeout(poll, POLL_MS);
    }
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const name = nameInput.value.trim();
    if (!name) { nameInput.focus(); return; }
    agent = name;
    localStorage.setItem('baton-agent-name', agent);
    poll();
  });

  poll();
})();

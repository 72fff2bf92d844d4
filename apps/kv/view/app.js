// @ts-check
/**
 * The kv cluster view (served by every kv node at `/`). It opens one Server-Sent Events
 * stream per member (`GET /events`, read with fetch so that a status token can travel in a
 * header) and draws each node as that node reports itself; nothing is polled. The member
 * list comes from the serving node's `/status`, then from the members each node streams, so
 * the page keeps working when the node that served it dies: its card turns unreachable and
 * the controls go to another member. Type-checked against the stream's format
 * (`src/live-types.ts`) by `tsconfig.view.json`.
 */

/** @typedef {import('../src/live-types.js').LiveNodeState} LiveNodeState */
/** @typedef {import('../src/live-types.js').LiveEvent} LiveEvent */
/** @typedef {import('../src/live-types.js').LiveHello} LiveHello */
/** @typedef {import('../src/live-types.js').ProcessState} ProcessState */

/** A stream that sent nothing for this long (ms) is taken as dead (a paused process keeps its socket). */
const SILENCE_MS = 3500;
/** Timeline entries kept on the page. */
const TIMELINE_MAX = 300;
const TOKEN_KEY = 'kv-status-token';
/** Short names of the leader's flow-control states. */
const FLOW = { probe: 'probe', replicate: 'repl', snapshot: 'snap' };

/**
 * @param {string} id
 * @returns {HTMLElement}
 */
function byId(id) {
  const el = document.getElementById(id);
  if (!el) throw new Error(`missing #${id}`);
  return el;
}

/**
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, string>} [attrs]
 * @param {(Node | string)[]} [children]
 * @returns {HTMLElementTagNameMap[K]}
 */
function el(tag, attrs = {}, children = []) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const c of children) node.append(c);
  return node;
}

/** @param {number} at */
function clock(at) {
  const d = new Date(at);
  return `${d.toLocaleTimeString([], { hour12: false })}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

/** @returns {Record<string, string>} */
function authHeaders() {
  const token = sessionStorage.getItem(TOKEN_KEY);
  return token ? { authorization: `Bearer ${token}` } : {};
}

/** Ask for the status token (a node answered 401). */
function needToken() {
  byId('token-form').hidden = false;
}

/**
 * One node's event stream, reconnecting with backoff when it ends, fails or goes silent.
 */
class NodeStream {
  /**
   * @param {number} id
   * @param {string} url
   * @param {View} view
   */
  constructor(id, url, view) {
    this.id = id;
    this.url = url;
    this.view = view;
    /** @type {AbortController | null} */
    this.abort = null;
    this.backoff = 500;
    this.lastHeard = 0;
    this.alive = false;
    this.closed = false;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.retry = undefined;
    this.watchdog = setInterval(() => {
      if (this.alive && Date.now() - this.lastHeard > SILENCE_MS) this.abort?.abort();
    }, 1000);
  }

  start() {
    if (this.closed) return;
    const abort = new AbortController();
    this.abort = abort;
    this.lastHeard = Date.now();
    // The connect attempt counts as "alive" for the watchdog, so a paused node is given up on.
    this.alive = true;
    this.read(abort.signal).then(
      () => this.lost('stream ended'),
      (error) => this.lost(error instanceof Error ? error.message : String(error)),
    );
  }

  /** @param {AbortSignal} signal */
  async read(signal) {
    const res = await fetch(`${this.url}/events`, { headers: authHeaders(), signal, cache: 'no-store' });
    if (res.status === 401) {
      needToken();
      throw new Error('needs the status token');
    }
    if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      this.lastHeard = Date.now();
      buffer += value;
      let cut = buffer.indexOf('\n\n');
      while (cut >= 0) {
        this.frame(buffer.slice(0, cut));
        buffer = buffer.slice(cut + 2);
        cut = buffer.indexOf('\n\n');
      }
      // A frame is small; a peer that sends an endless one is cut off.
      if (buffer.length > 1_000_000) throw new Error('frame too large');
    }
  }

  /** @param {string} text one SSE frame */
  frame(text) {
    let name = 'message';
    let data = '';
    for (const line of text.split('\n')) {
      if (line.startsWith('event:')) name = line.slice(6).trim();
      else if (line.startsWith('data:')) data += line.slice(5).trim();
    }
    if (data === '') return;
    const payload = JSON.parse(data);
    this.backoff = 500;
    if (name === 'hello') {
      const hello = /** @type {LiveHello} */ (payload);
      this.view.onState(this.id, hello.state);
      for (const e of hello.history) this.view.onEvent(e);
    } else if (name === 'state') {
      this.view.onState(this.id, /** @type {LiveNodeState} */ (payload));
    } else if (name === 'event') {
      this.view.onEvent(/** @type {LiveEvent} */ (payload));
    }
  }

  /** @param {string} why */
  lost(why) {
    this.alive = false;
    this.abort = null;
    if (this.closed) return;
    this.view.onLost(this.id, why);
    this.retry = setTimeout(() => this.start(), this.backoff);
    this.backoff = Math.min(4000, this.backoff * 2);
  }

  close() {
    this.closed = true;
    clearInterval(this.watchdog);
    clearTimeout(this.retry);
    this.abort?.abort();
  }
}

/**
 * @param {string} label
 * @param {string} name for tests and assistive technology
 * @returns {HTMLButtonElement}
 */
function button(label, name) {
  const b = el('button', { type: 'button', 'data-action': name });
  b.textContent = label;
  return b;
}

/** One member's card: built once, then updated in place (so keyboard focus survives updates). */
class Card {
  /**
   * @param {number} id
   * @param {View} view
   */
  constructor(id, view) {
    this.id = id;
    const headingId = `member-${id}-h`;
    this.root = el('article', { class: 'member', 'data-node-id': String(id), 'aria-labelledby': headingId });
    this.name = el('span', {}, [`n${id}`]);
    this.role = el('span', { class: 'badge role', 'data-field': 'role' });
    this.badges = el('span', { class: 'badges' });
    this.heading = el('h3', { id: headingId }, [this.name, this.role, this.badges]);
    this.facts = el('dl', { class: 'facts' });
    /** @type {Record<string, HTMLElement>} */
    this.fact = {};
    for (const [key, label] of [
      ['term', 'term'],
      ['vote', 'voted for'],
      ['leader', 'sees leader'],
      ['commit', 'commit'],
      ['applied', 'applied'],
      ['log', 'log'],
      ['snapshot', 'snapshot'],
      ['keys', 'keys'],
    ]) {
      const dd = el('dd', { 'data-field': key }, ['–']);
      this.fact[key] = dd;
      this.facts.append(el('dt', {}, [label]), dd);
    }
    this.linksBody = el('tbody');
    this.links = el('table', { class: 'links' }, [
      el('caption', {}, ['Links to peers']),
      el('thead', {}, [
        el('tr', {}, [
          el('th', { scope: 'col' }, ['peer']),
          el('th', { scope: 'col' }, ['link']),
          el('th', { scope: 'col' }, ['match']),
          el('th', { scope: 'col', title: 'entries the follower lacks' }, ['lag']),
          el(
            'th',
            { scope: 'col', title: 'appends sent and not yet acknowledged, and the flow-control state' },
            ['in flight'],
          ),
        ]),
      ]),
      this.linksBody,
    ]);
    this.transfer = button('Make leader', 'transfer');
    this.remove = button('Remove', 'remove');
    this.stopStart = button('Stop', 'stop');
    this.pause = button('Pause', 'pause');
    this.partition = button('Partition', 'partition');
    this.launcherButtons = [this.stopStart, this.pause, this.partition];
    this.transfer.addEventListener('click', () => view.transfer(id));
    this.remove.addEventListener('click', () => view.removeMember(id));
    for (const b of this.launcherButtons) {
      b.addEventListener('click', () => view.launcher(id, b.dataset.action ?? ''));
    }
    this.actions = el('div', { class: 'actions', role: 'group', 'aria-label': `Actions on n${id}` }, [
      this.transfer,
      this.remove,
      ...this.launcherButtons,
    ]);
    this.root.append(this.heading, this.facts, this.links, this.actions);
  }

  /**
   * @param {LiveNodeState | null} s the node's last state (null: never heard from)
   * @param {boolean} reachable its stream is up
   * @param {ProcessState | null} process the launcher's view of its process
   * @param {boolean} launcher whether process controls exist
   * @param {number | null} leader the leader the cluster agrees on, if any
   */
  update(s, reachable, process, launcher, leader) {
    const role = reachable && s ? s.role : 'unknown';
    this.root.dataset.role = role;
    this.root.dataset.reachable = String(reachable);
    this.root.dataset.process = process ?? 'unknown';
    const cut = s !== null && s.blocked.length > 0;
    // Partitioned: cut off from every peer (the launcher's "partition"); the peers of a
    // partitioned node drop its traffic too, shown as "drops nX".
    const partitioned = cut && s !== null && s.blocked.length >= s.peers.length;
    this.root.dataset.partitioned = String(partitioned && reachable);
    this.role.textContent = role === 'leader' ? '★ leader' : role;
    this.role.className = `badge role role-${role}`;
    /** @type {[string, string][]} */
    const badges = [];
    if (!reachable) badges.push([process === 'stopped' ? 'stopped' : 'unreachable', 'badge-bad']);
    if (process === 'paused') badges.push(['paused', 'badge-warn']);
    if (process === 'starting' || process === 'stopping') badges.push([process, 'badge-warn']);
    if (partitioned && reachable) badges.push(['partitioned', 'badge-bad']);
    else if (cut && reachable && s)
      badges.push([`drops ${s.blocked.map((b) => `n${b}`).join(' ')}`, 'badge-warn']);
    if (s?.removed) badges.push(['removed', 'badge-warn']);
    this.badges.replaceChildren(
      ...badges.map(([text, cls]) => el('span', { class: `badge ${cls}`, 'data-badge': text }, [text])),
    );
    if (s) {
      this.fact.term.textContent = String(s.term);
      this.fact.vote.textContent = s.vote === null ? 'none' : `n${s.vote}`;
      this.fact.leader.textContent = s.leader === null ? 'none' : `n${s.leader}`;
      this.fact.commit.textContent = String(s.commitIndex);
      this.fact.applied.textContent = String(s.appliedIndex);
      this.fact.log.textContent = s.lastIndex < s.firstIndex ? 'empty' : `${s.firstIndex}–${s.lastIndex}`;
      this.fact.snapshot.textContent = s.snapshotIndex === 0 ? 'none' : String(s.snapshotIndex);
      this.fact.keys.textContent = String(s.keys);
      this.linksBody.replaceChildren(
        ...s.peers.map((p) => {
          const link = p.blocked ? 'dropped' : p.connected ? 'up' : 'down';
          const bad = p.blocked || !p.connected;
          return el('tr', { 'data-peer': String(p.id) }, [
            el('th', { scope: 'row' }, [`n${p.id}`]),
            el('td', bad ? { class: 'link-bad' } : {}, [bad ? `✗ ${link}` : `✓ ${link}`]),
            el('td', {}, [p.progress ? String(p.progress.match) : '–']),
            el('td', {}, [p.lag === null ? '–' : String(p.lag)]),
            el('td', {}, [p.progress ? `${p.progress.inflight} · ${FLOW[p.progress.state]}` : '–']),
          ]);
        }),
      );
    }
    const up = process === null ? reachable : process === 'running';
    this.transfer.disabled = !reachable || leader === null || leader === this.id || s?.removed === true;
    this.remove.disabled = leader === null || s?.removed === true;
    for (const b of this.launcherButtons) b.hidden = !launcher;
    const stopped = process === 'stopped';
    this.stopStart.textContent = stopped ? 'Start' : 'Stop';
    this.stopStart.dataset.action = stopped ? 'start' : 'stop';
    this.stopStart.disabled = process === 'starting' || process === 'stopping';
    this.pause.textContent = process === 'paused' ? 'Resume' : 'Pause';
    this.pause.dataset.action = process === 'paused' ? 'resume' : 'pause';
    this.pause.disabled = !(up || process === 'paused');
    this.partition.textContent = partitioned ? 'Heal' : 'Partition';
    this.partition.dataset.action = partitioned ? 'heal' : 'partition';
    this.partition.disabled = !up;
  }
}

class View {
  constructor() {
    /** @type {Map<number, string>} */
    this.urls = new Map();
    /** @type {Map<number, NodeStream>} */
    this.streams = new Map();
    /** @type {Map<number, LiveNodeState>} */
    this.states = new Map();
    /** @type {Map<number, Card>} */
    this.cards = new Map();
    /** @type {Map<string, LiveEvent | {node: number, at: number, kind: string, text: string}>} */
    this.events = new Map();
    /** @type {Record<string, ProcessState>} */
    this.processes = {};
    this.processesAt = 0;
    this.renderQueued = false;
    this.timelineDirty = false;
  }

  /** @param {Map<number, string>} urls */
  addMembers(urls) {
    for (const [id, url] of urls) {
      if (this.urls.has(id) || !url) continue;
      this.urls.set(id, url);
      const card = new Card(id, this);
      this.cards.set(id, card);
      const list = byId('members');
      const after = [...list.children].find(
        (c) => Number(/** @type {HTMLElement} */ (c).dataset.nodeId) > id,
      );
      list.insertBefore(card.root, after ?? null);
      const stream = new NodeStream(id, url, this);
      this.streams.set(id, stream);
      stream.start();
    }
    this.render();
  }

  /**
   * @param {number} id
   * @param {LiveNodeState} state
   */
  onState(id, state) {
    this.states.set(id, state);
    /** @type {Map<number, string>} */
    const more = new Map();
    for (const m of state.members) if (m.url) more.set(m.id, m.url);
    if ([...more.keys()].some((k) => !this.urls.has(k))) this.addMembers(more);
    if (state.processes && state.at >= this.processesAt) {
      for (const [node, p] of Object.entries(state.processes)) {
        if (this.processes[node] !== undefined && this.processes[node] !== p) {
          this.addEntry({ node: Number(node), at: state.at, kind: 'process', text: `process ${p}` });
        }
      }
      this.processes = { ...state.processes };
      this.processesAt = state.at;
    }
    this.render();
  }

  /** @param {LiveEvent} e */
  onEvent(e) {
    if (e.kind === 'term') return;
    this.addEntry(e);
  }

  /** @param {{node: number, at: number, kind: string, text: string, seq?: number}} e */
  addEntry(e) {
    const key = `${e.node}:${e.at}:${e.kind}:${e.text}`;
    if (this.events.has(key)) return;
    this.events.set(key, e);
    this.timelineDirty = true;
    this.render();
  }

  /**
   * A stream was lost (the card turns unreachable at the next draw).
   * @param {number} _id
   * @param {string} _why
   */
  onLost(_id, _why) {
    this.render();
  }

  /**
   * Whether node `id`'s stream is up and has spoken.
   * @param {number} id
   */
  reachable(id) {
    const stream = this.streams.get(id);
    return stream?.alive === true && this.states.has(id) && Date.now() - stream.lastHeard < SILENCE_MS;
  }

  /** The leader most reachable nodes follow (the highest term wins a tie), or null. */
  leader() {
    let best = /** @type {LiveNodeState | null} */ (null);
    for (const [id, s] of this.states) {
      if (!this.reachable(id) || s.role !== 'leader') continue;
      if (best === null || s.term > best.term) best = s;
    }
    return best;
  }

  /**
   * Base URLs to send a request to, best first: reachable nodes (the leader first when
   * `preferLeader`), never `avoid` unless nothing else is left.
   * @param {{ preferLeader?: boolean, avoid?: number }} [o]
   */
  targets(o = {}) {
    const leader = this.leader();
    const ids = [...this.urls.keys()].filter((id) => this.reachable(id));
    ids.sort((a, b) => {
      const score = (/** @type {number} */ id) =>
        (o.preferLeader && leader?.id === id ? -2 : 0) +
        (id === o.avoid ? 5 : 0) +
        (this.urls.get(id) === location.origin ? -1 : 0);
      return score(a) - score(b);
    });
    return ids.map((id) => /** @type {string} */ (this.urls.get(id)));
  }

  render() {
    if (this.renderQueued) return;
    this.renderQueued = true;
    requestAnimationFrame(() => {
      this.renderQueued = false;
      this.draw();
    });
  }

  draw() {
    const leader = this.leader();
    const launcher = [...this.states.values()].some((s) => s.processes !== null);
    for (const [id, card] of this.cards) {
      const p = this.processes[String(id)];
      card.update(this.states.get(id) ?? null, this.reachable(id), p ?? null, launcher, leader?.id ?? null);
    }
    const reachable = [...this.cards.keys()].filter((id) => this.reachable(id)).length;
    byId('summary').textContent = leader
      ? `Leader n${leader.id} in term ${leader.term} · ${this.cards.size} members · ${reachable} reachable`
      : `No leader · ${this.cards.size} members · ${reachable} reachable`;
    if (this.timelineDirty) {
      this.timelineDirty = false;
      const entries = [...this.events.values()].sort((a, b) => b.at - a.at);
      for (const e of entries.slice(TIMELINE_MAX))
        this.events.delete(`${e.node}:${e.at}:${e.kind}:${e.text}`);
      byId('timeline').replaceChildren(
        ...entries
          .slice(0, TIMELINE_MAX)
          .map((e) =>
            el('li', { 'data-kind': e.kind, 'data-node': String(e.node) }, [
              el('time', { datetime: new Date(e.at).toISOString() }, [clock(e.at)]),
              el('span', { class: 'who' }, [`n${e.node}`]),
              e.text,
            ]),
          ),
      );
    }
  }

  // ---- Controls -------------------------------------------------------------------------

  /**
   * Send a request to the first target that answers; a 503 NOT_LEADER with a leader URL is
   * followed once.
   * @param {string[]} bases
   * @param {string} path
   * @param {RequestInit} init
   * @returns {Promise<{ res: Response, base: string }>}
   */
  async request(bases, path, init) {
    let lastError = /** @type {unknown} */ (new Error('no member is reachable'));
    for (const base of bases) {
      try {
        const headers = { ...authHeaders(), .../** @type {Record<string, string>} */ (init.headers ?? {}) };
        let res = await fetch(`${base}${path}`, { ...init, headers, signal: AbortSignal.timeout(8000) });
        if (res.status === 503) {
          const body = await res
            .clone()
            .json()
            .catch(() => ({}));
          if (body?.error?.code === 'NOT_LEADER' && typeof body.leaderUrl === 'string') {
            res = await fetch(`${body.leaderUrl}${path}`, {
              ...init,
              headers,
              signal: AbortSignal.timeout(8000),
            });
            return { res, base: body.leaderUrl };
          }
        }
        if (res.status === 401) needToken();
        return { res, base };
      } catch (error) {
        lastError = error;
      }
    }
    throw lastError;
  }

  /**
   * @param {string} target element id of the result line
   * @param {string} text
   * @param {boolean} [error]
   */
  say(target, text, error = false) {
    const out = byId(target);
    out.textContent = text;
    out.classList.toggle('error', error);
  }

  /** @param {Response} res */
  async problem(res) {
    const body = await res.json().catch(() => null);
    return body?.error ? `${res.status} ${body.error.code}: ${body.error.message}` : `HTTP ${res.status}`;
  }

  /**
   * @param {string} key
   * @param {string} value
   */
  async put(key, value) {
    this.say('kv-result', `Writing ${JSON.stringify(key)}…`);
    try {
      const { res } = await this.request(this.targets(), `/kv/${encodeURIComponent(key)}`, {
        method: 'PUT',
        body: value,
        headers: { 'content-type': 'application/octet-stream' },
      });
      if (!res.ok) return this.say('kv-result', `Put failed: ${await this.problem(res)}`, true);
      const body = await res.json();
      this.say(
        'kv-result',
        `Put ${JSON.stringify(key)} = ${JSON.stringify(value)}: committed at index ${body.index} (via n${res.headers.get('x-kv-node')})`,
      );
    } catch (error) {
      this.say('kv-result', `Put failed: ${String(error)}`, true);
    }
  }

  /** @param {string} key */
  async get(key) {
    try {
      const { res } = await this.request(this.targets(), `/kv/${encodeURIComponent(key)}`, { method: 'GET' });
      if (res.status === 404) return this.say('kv-result', `${JSON.stringify(key)} is not set`);
      if (!res.ok) return this.say('kv-result', `Get failed: ${await this.problem(res)}`, true);
      const value = await res.text();
      this.say(
        'kv-result',
        `${JSON.stringify(key)} = ${JSON.stringify(value)} (read at index ${res.headers.get('x-kv-index')} on n${res.headers.get('x-kv-node')})`,
      );
    } catch (error) {
      this.say('kv-result', `Get failed: ${String(error)}`, true);
    }
  }

  /**
   * @param {string} what
   * @param {string} path
   * @param {RequestInit} init
   */
  async admin(what, path, init) {
    this.say('admin-result', `${what}…`);
    try {
      const { res } = await this.request(this.targets({ preferLeader: true }), path, init);
      if (!res.ok) return this.say('admin-result', `${what} failed: ${await this.problem(res)}`, true);
      this.say('admin-result', `${what}: done`);
    } catch (error) {
      this.say('admin-result', `${what} failed: ${String(error)}`, true);
    }
  }

  /** @param {number} to */
  transfer(to) {
    const json = { 'content-type': 'application/json' };
    void this.admin(`Hand leadership to n${to}`, '/leader', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ to }),
    });
  }

  /** @param {number} id */
  removeMember(id) {
    void this.admin(`Remove n${id}`, `/members/${id}`, { method: 'DELETE' });
  }

  /** @param {{ id: number, raft: string, url: string, learner: boolean }} m */
  addMember(m) {
    /** @type {Record<string, unknown>} */
    const body = { id: m.id, raft: m.raft, learner: m.learner };
    if (m.url) body.url = m.url;
    void this.admin(`Add n${m.id}`, '/members', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  }

  /**
   * A process or partition action, relayed by a node to the launcher.
   * @param {number} id
   * @param {string} action
   */
  async launcher(id, action) {
    this.say('admin-result', `${action} n${id}…`);
    try {
      const { res } = await this.request(this.targets({ avoid: id }), `/cluster/nodes/${id}/${action}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      if (!res.ok)
        return this.say('admin-result', `${action} n${id} failed: ${await this.problem(res)}`, true);
      this.say('admin-result', `${action} n${id}: sent to the launcher`);
    } catch (error) {
      this.say('admin-result', `${action} n${id} failed: ${String(error)}`, true);
    }
  }
}

/** Wire the forms, then start from the serving node's member list. */
async function main() {
  const view = new View();
  // The page is a module: tests and curious people can reach the view from the console.
  /** @type {{ kvView?: View }} */ (/** @type {unknown} */ (window)).kvView = view;
  const key = /** @type {HTMLInputElement} */ (byId('kv-key'));
  const value = /** @type {HTMLInputElement} */ (byId('kv-value'));
  byId('kv-form').addEventListener('submit', (e) => {
    e.preventDefault();
    void view.put(key.value, value.value);
  });
  byId('kv-get').addEventListener('click', () => {
    if (key.reportValidity()) void view.get(key.value);
  });
  byId('member-form').addEventListener('submit', (e) => {
    e.preventDefault();
    view.addMember({
      id: Number(/** @type {HTMLInputElement} */ (byId('member-id')).value),
      raft: /** @type {HTMLInputElement} */ (byId('member-raft')).value.trim(),
      url: /** @type {HTMLInputElement} */ (byId('member-url')).value.trim(),
      learner: /** @type {HTMLInputElement} */ (byId('member-learner')).checked,
    });
  });
  byId('token-form').addEventListener('submit', (e) => {
    e.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, /** @type {HTMLInputElement} */ (byId('token')).value);
    location.reload();
  });
  // Refresh reachability (a silent stream) even when nothing arrives.
  setInterval(() => view.render(), 1000);
  for (;;) {
    try {
      const res = await fetch('/status', { headers: authHeaders(), cache: 'no-store' });
      if (res.status === 401) {
        needToken();
        byId('summary').textContent = 'This cluster needs its status token.';
        return;
      }
      const status = await res.json();
      /** @type {Map<number, string>} */
      const urls = new Map();
      if (typeof status.url === 'string') urls.set(status.id, status.url);
      for (const m of status.members ?? []) if (typeof m.url === 'string') urls.set(m.id, m.url);
      view.addMembers(urls);
      return;
    } catch {
      byId('summary').textContent = 'The node that served this page does not answer; retrying…';
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

void main();

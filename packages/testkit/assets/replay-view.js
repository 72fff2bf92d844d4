// @ts-check
/**
 * The replay view: draws a `ReplayDoc` (src/replay/replay-format.ts, which this file is
 * type-checked against) embedded in the same HTML file as JSON. A scrubber moves through the
 * steps; for the step shown it draws every node (role, term, vote, commit, its log with the
 * committed prefix), the messages in flight, and above them the whole run: roles and terms
 * per node over the steps, faults as bands, the violation as a red line. Inlined as a plain
 * script by `renderReplayHtml`: no imports, everything inside one function.
 */

/** @typedef {import('../src/replay/replay-format.js').ReplayDoc} ReplayDoc */
/** @typedef {import('../src/replay/replay-format.js').ReplayNodeState} ReplayNodeState */
/** @typedef {import('../src/replay/replay-format.js').ReplayNodePatch} ReplayNodePatch */
/** @typedef {import('../src/replay/replay-format.js').ReplayMessage} ReplayMessage */

(() => {
  /** Steps between two stored full states (scrubbing folds patches from the nearest one). */
  const CHECKPOINT = 200;
  /** Log entries drawn per node (the newest ones). */
  const LOG_CELLS = 36;
  /** Rows of the messages table. */
  const MESSAGE_ROWS = 40;
  const ROLE_CODE = { follower: 0, 'pre-candidate': 1, candidate: 2, leader: 3, down: 4 };
  const ROLE_NAME = ['follower', 'pre-candidate', 'candidate', 'leader', 'down', 'paused'];
  const PAUSED = 5;
  const ROLE_FILL = ['#d5dbe3', '#f3d08a', '#e8a33d', '#2e8b57', '#c0392b', '#8e6fb5'];

  const dataEl = document.getElementById('replay-data');
  const app = document.getElementById('app');
  if (!dataEl || !app) return;
  /** @type {ReplayDoc} */
  const doc = JSON.parse(dataEl.textContent ?? '{}');
  const steps = doc.steps;
  const n = steps.length;
  const ids = doc.nodes;

  /** @type {ReplayNodeState} */
  const EMPTY = {
    up: false,
    paused: false,
    role: 'down',
    term: 0,
    vote: null,
    leader: null,
    commit: 0,
    applied: 0,
    log: { first: 1, terms: [] },
  };

  /**
   * @param {ReplayNodeState} state
   * @param {ReplayNodePatch} patch
   * @returns {ReplayNodeState}
   */
  function apply(state, patch) {
    const { log, ...fields } = patch;
    /** @type {ReplayNodeState} */
    let next = { ...state, ...fields };
    if (log) {
      /** @type {number[]} */
      const kept = [];
      for (let i = log.first; i < log.from; i++) kept.push(state.log.terms[i - state.log.first] ?? 0);
      next = { ...next, log: { first: log.first, terms: [...kept, ...log.terms] } };
    }
    return next;
  }

  // One pass over the run: checkpoints, role and term per node per step, cut links per step.
  /** @type {Map<number, ReplayNodeState>[]} */
  const checkpoints = [];
  const roles = ids.map(() => new Uint8Array(n));
  const terms = ids.map(() => new Uint32Array(n));
  /** @type {(readonly string[])[]} */
  const cuts = new Array(n);
  {
    /** @type {Map<number, ReplayNodeState>} */
    let states = new Map(ids.map((id) => [id, EMPTY]));
    /** @type {readonly string[]} */
    let cut = [];
    for (let i = 0; i < n; i++) {
      const s = steps[i];
      if (!s) continue;
      if (s.nodes) {
        states = new Map(states);
        for (const [id, patch] of Object.entries(s.nodes)) {
          states.set(Number(id), apply(states.get(Number(id)) ?? EMPTY, patch));
        }
      }
      if (s.cut) cut = s.cut;
      cuts[i] = cut;
      if (i % CHECKPOINT === 0) checkpoints.push(states);
      ids.forEach((id, k) => {
        const st = states.get(id) ?? EMPTY;
        /** @type {Uint8Array} */ (roles[k])[i] = st.paused ? PAUSED : ROLE_CODE[st.role];
        /** @type {Uint32Array} */ (terms[k])[i] = st.term;
      });
    }
  }

  /**
   * The states after step `i`.
   * @param {number} i
   */
  function statesAt(i) {
    const c = Math.floor(i / CHECKPOINT);
    const states = new Map(checkpoints[c]);
    for (let j = c * CHECKPOINT + 1; j <= i; j++) {
      const patches = steps[j]?.nodes;
      if (!patches) continue;
      for (const [id, patch] of Object.entries(patches)) {
        states.set(Number(id), apply(states.get(Number(id)) ?? EMPTY, patch));
      }
    }
    return states;
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

  /**
   * @param {string} tag
   * @param {Record<string, string | number>} attrs
   */
  function svg(tag, attrs) {
    const node = document.createElementNS('http://www.w3.org/2000/svg', tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
    return node;
  }

  /** @param {number} time */
  const ticks = (time) => (time / doc.tickInterval).toFixed(1);
  /** @param {number} term */
  const termColor = (term) => `hsl(${(term * 67) % 360} 55% 85%)`;

  // ---- Layout -----------------------------------------------------------------------------
  const v = doc.violation;
  const header = el('header', {}, [
    el('h1', {}, [doc.title]),
    ...doc.summary.map((line) => el('p', { class: 'summary' }, [line])),
    ...(doc.source.command
      ? [el('p', { class: 'summary' }, ['replay: ', el('code', {}, [doc.source.command])])]
      : []),
  ]);
  const jump = el('button', { type: 'button', id: 'go-violation' }, ['Go to the violation']);
  const banner = v
    ? el(
        'div',
        { id: 'violation', class: 'violation', role: 'alert', 'data-violation-step': String(v.step) },
        [
          el('strong', {}, [`Violation: ${v.property}`]),
          ` at step ${v.step}${v.node === null ? '' : ` (n${v.node})`}: ${v.text} `,
          jump,
        ],
      )
    : el('div', { id: 'violation', class: 'ok', role: 'status' }, ['No violation in this run.']);

  const scrub = /** @type {HTMLInputElement} */ (
    el('input', {
      type: 'range',
      id: 'scrub',
      min: '0',
      max: String(Math.max(0, n - 1)),
      value: '0',
      step: '1',
      'aria-describedby': 'step-title',
    })
  );
  const buttons = {
    first: el('button', { type: 'button', 'aria-label': 'First step', title: 'First step (Home)' }, [
      '« First',
    ]),
    prev: el('button', { type: 'button', 'aria-label': 'Previous step', title: 'Previous step (←)' }, [
      '‹ Prev',
    ]),
    play: el('button', { type: 'button', 'aria-label': 'Play', title: 'Play / pause (Space)', id: 'play' }, [
      '▶ Play',
    ]),
    next: el('button', { type: 'button', 'aria-label': 'Next step', title: 'Next step (→)' }, ['Next ›']),
    last: el('button', { type: 'button', 'aria-label': 'Last step', title: 'Last step (End)', id: 'last' }, [
      'Last »',
    ]),
  };
  const stepTitle = el('p', { id: 'step-title', class: 'step-title', 'aria-live': 'polite' });
  const stepActions = el('ul', { class: 'actions', 'aria-label': 'Actions of this step' });
  const controls = el('section', { class: 'scrubber', 'aria-label': 'Steps' }, [
    el('div', { class: 'scrub-row' }, [
      el('label', { for: 'scrub' }, ['Step']),
      scrub,
      buttons.first,
      buttons.prev,
      buttons.play,
      buttons.next,
      buttons.last,
    ]),
    stepTitle,
    stepActions,
  ]);

  const chart = el('section', { class: 'chart', 'aria-labelledby': 'chart-h' }, [
    el('h2', { id: 'chart-h' }, ['Roles and terms over the run']),
    el('p', { class: 'legend' }, [
      ...ROLE_NAME.map((name, k) =>
        el('span', { class: 'key' }, [el('span', { class: 'swatch', 'data-fill': String(k) }), name]),
      ),
      el('span', { class: 'key' }, [el('span', { class: 'swatch cut' }), 'network cut']),
      el('span', { class: 'key' }, [el('span', { class: 'swatch violation-key' }), 'violation']),
    ]),
  ]);
  const chartBox = el('div', { class: 'chart-box' });
  chart.append(chartBox);
  const nodesBox = el('div', { class: 'nodes', id: 'nodes' });
  const nodesSection = el('section', { 'aria-labelledby': 'nodes-h' }, [
    el('h2', { id: 'nodes-h' }, ['Nodes at this step']),
    el('p', { class: 'legend' }, [
      'Each log cell is an entry (its term inside); solid cells are committed, dashed ones are not; ',
      '“snap ≤ i” is the snapshot the log starts after.',
    ]),
    nodesBox,
  ]);
  const msgBody = el('tbody');
  const msgCaption = el('caption', {}, ['Messages']);
  const messagesSection = el('section', { 'aria-labelledby': 'msgs-h' }, [
    el('h2', { id: 'msgs-h' }, ['Messages in flight']),
    el('table', { class: 'msgs', id: 'messages' }, [
      msgCaption,
      el('thead', {}, [
        el('tr', {}, [
          el('th', { scope: 'col' }, ['#']),
          el('th', { scope: 'col' }, ['message']),
          el('th', { scope: 'col' }, ['sent at']),
          el('th', { scope: 'col' }, ['status']),
        ]),
      ]),
      msgBody,
    ]),
  ]);
  app.replaceChildren(
    header,
    banner,
    controls,
    chart,
    el('div', { class: 'lower' }, [nodesSection, messagesSection]),
  );

  // Swatch colours are set through the CSSOM (the page's CSP allows no inline style attributes).
  for (const sw of document.querySelectorAll('.swatch[data-fill]')) {
    /** @type {HTMLElement} */ (sw).style.background =
      ROLE_FILL[Number(/** @type {HTMLElement} */ (sw).dataset.fill)] ?? '';
  }

  // ---- The chart --------------------------------------------------------------------------
  const LANE = 22;
  const TOP = 16;
  /** @type {SVGLineElement | null} */
  let cursor = null;

  function drawChart() {
    const width = Math.max(300, chartBox.clientWidth);
    const label = 34;
    const span = width - label - 4;
    const height = TOP + ids.length * LANE + 16;
    const x = (/** @type {number} */ i) => label + (n <= 1 ? 0 : (i / (n - 1)) * span);
    const root = svg('svg', {
      width,
      height,
      viewBox: `0 0 ${width} ${height}`,
      role: 'img',
      id: 'chart',
      'aria-label': `Roles and terms of ${ids.length} nodes over ${n} steps${v ? `; violation at step ${v.step}` : ''}. Click to move to a step.`,
    });
    // Network cuts: a band across the top row.
    let start = -1;
    for (let i = 0; i <= n; i++) {
      const on = i < n && (cuts[i]?.length ?? 0) > 0;
      if (on && start < 0) start = i;
      if (!on && start >= 0) {
        const band = svg('rect', {
          x: x(start),
          y: 2,
          width: Math.max(1, x(i) - x(start)),
          height: TOP - 6,
          class: 'cut',
        });
        band.append(svg('title', {}));
        /** @type {Element} */ (band.lastChild).textContent =
          `steps ${start}–${i - 1}: links cut (${cuts[start]?.join(' ')})`;
        root.append(band);
        start = -1;
      }
    }
    ids.forEach((id, k) => {
      const y = TOP + k * LANE;
      const t = svg('text', { x: 2, y: y + 15, class: 'lane-label' });
      t.textContent = `n${id}`;
      root.append(t);
      const r = /** @type {Uint8Array} */ (roles[k]);
      const tm = /** @type {Uint32Array} */ (terms[k]);
      let s = 0;
      for (let i = 1; i <= n; i++) {
        if (i < n && r[i] === r[s] && tm[i] === tm[s]) continue;
        const x0 = x(s);
        const w = Math.max(1, x(i) - x0);
        const rect = svg('rect', {
          x: x0,
          y: y + 2,
          width: w,
          height: LANE - 4,
          fill: ROLE_FILL[r[s] ?? 0] ?? '#ccc',
        });
        const tip = svg('title', {});
        tip.textContent = `n${id} ${ROLE_NAME[r[s] ?? 0]} in term ${tm[s]}, steps ${s}–${i - 1}`;
        rect.append(tip);
        root.append(rect);
        if (w > 18 && (r[s] ?? 0) !== 4) {
          const tt = svg('text', { x: x0 + 3, y: y + 15, class: r[s] === 3 ? 'term light' : 'term' });
          tt.textContent = `t${tm[s]}`;
          root.append(tt);
        }
        s = i;
      }
    });
    if (v) {
      root.append(
        svg('line', {
          id: 'violation-marker',
          x1: x(v.step),
          x2: x(v.step),
          y1: 0,
          y2: height,
          class: 'violation-line',
        }),
      );
    }
    cursor = /** @type {SVGLineElement} */ (
      svg('line', { x1: 0, x2: 0, y1: 0, y2: height, class: 'cursor' })
    );
    root.append(cursor);
    root.addEventListener('click', (e) => {
      const box = root.getBoundingClientRect();
      const i = Math.round(((e.clientX - box.left - label) / span) * (n - 1));
      show(Math.min(n - 1, Math.max(0, i)));
    });
    chartBox.replaceChildren(root);
    placeCursor = (i) => {
      cursor?.setAttribute('x1', String(x(i)));
      cursor?.setAttribute('x2', String(x(i)));
    };
    moveCursor();
  }
  /** @type {(i: number) => void} */
  let placeCursor = () => {};
  function moveCursor() {
    placeCursor(Number(scrub.value));
  }

  // ---- A step -----------------------------------------------------------------------------
  /** @param {number} i */
  function show(i) {
    scrub.value = String(i);
    const s = steps[i];
    if (!s) return;
    const here = v !== null && v.step === i;
    stepTitle.replaceChildren(
      el('strong', {}, [`Step ${i} of ${n - 1}`]),
      ` · t = ${ticks(s.time)} ticks · `,
      s.node === null ? el('em', {}, [s.label]) : `n${s.node}: ${s.label}`,
      ...(here
        ? [
            ' ',
            el('span', { class: 'violation-here', id: 'violation-here' }, [`⚠ ${v.property} detected here`]),
          ]
        : []),
    );
    stepActions.replaceChildren(...(s.actions ?? []).map((a) => el('li', {}, [a])));
    const states = statesAt(i);
    const changed = new Set(Object.keys(s.nodes ?? {}).map(Number));
    nodesBox.replaceChildren(
      ...ids.map((id) => nodeCard(id, states.get(id) ?? EMPTY, changed.has(id), s.node === id)),
    );
    messages(i);
    moveCursor();
  }

  /**
   * @param {number} id
   * @param {ReplayNodeState} st
   * @param {boolean} changed
   * @param {boolean} stepping
   */
  function nodeCard(id, st, changed, stepping) {
    const role = st.paused ? 'paused' : st.role;
    const flags = [];
    if (!st.up) flags.push('crashed');
    if (st.paused) flags.push('paused');

    const cells = [];
    const last = st.log.first + st.log.terms.length - 1;
    const from = Math.max(st.log.first, last - LOG_CELLS + 1);
    if (st.log.first > 1) cells.push(el('span', { class: 'snap' }, [`snap ≤ ${st.log.first - 1}`]));
    if (from > st.log.first) cells.push(el('span', { class: 'more' }, [`… ${from - st.log.first}`]));
    for (let i = from; i <= last; i++) {
      const term = st.log.terms[i - st.log.first] ?? 0;
      const cell = el(
        'span',
        {
          class: i <= st.commit ? 'cell committed' : 'cell',
          title: `index ${i}, term ${term}${i <= st.commit ? ', committed' : ''}`,
        },
        [String(term)],
      );
      cell.style.background = termColor(term);
      cells.push(cell);
    }
    if (last < st.log.first) cells.push(el('span', { class: 'more' }, ['empty']));
    return el(
      'article',
      {
        class: `node role-${role}${changed ? ' changed' : ''}`,
        'data-node-id': String(id),
        'data-role': role,
        'aria-label': `n${id}, ${role}${flags.length > 0 ? `, ${flags.join(', ')}` : ''}`,
      },
      [
        el('h3', {}, [
          `n${id} `,
          el('span', { class: `badge role-${role}` }, [role === 'leader' ? '★ leader' : role]),
          ...flags.map((f) => el('span', { class: 'badge flag' }, [f])),
          ...(stepping ? [el('span', { class: 'badge stepping' }, ['steps here'])] : []),
        ]),
        el('p', { class: 'facts' }, [
          `term ${st.term} · vote ${st.vote === null ? '–' : `n${st.vote}`} · leader ${st.leader === null ? '–' : `n${st.leader}`}`,
          el('br'),
          `commit ${st.commit} · applied ${st.applied} · last ${last}`,
        ]),
        el(
          'div',
          {
            class: 'log',
            'aria-label': `log of n${id}: entries ${st.log.first} to ${last}, committed to ${st.commit}`,
          },
          cells,
        ),
      ],
    );
  }

  /** @param {number} i */
  function messages(i) {
    const s = steps[i];
    /** @type {Map<number, string>} */
    const now = new Map((s?.net ?? []).map(([id, what]) => [id, what]));
    /** @type {ReplayMessage[]} */
    const rows = [];
    for (const m of doc.messages) {
      if (m.sent > i) continue;
      const inFlight = m.end === null || m.end > i;
      if (inFlight || now.has(m.id)) rows.push(m);
    }
    rows.sort((a, b) => b.sent - a.sent);
    const flying = rows.filter((m) => m.end === null || m.end > i).length;
    msgCaption.textContent = `${flying} in flight after step ${i}${now.size > 0 ? `; ${now.size} sent, delivered or dropped in it` : ''}`;
    msgBody.replaceChildren(
      ...rows.slice(0, MESSAGE_ROWS).map((m) => {
        const what = now.get(m.id);
        const ended = m.end !== null && m.end <= i;
        const status = ended
          ? (m.fate ?? 'done')
          : what === 'sent'
            ? 'sent now'
            : what === 'duplicated'
              ? 'duplicated'
              : 'in flight';
        return el(
          'tr',
          {
            class: `msg ${ended ? (m.fate === 'delivered' ? 'delivered' : 'dropped') : 'flying'}${what ? ' now' : ''}`,
          },
          [
            el('td', {}, [String(m.id)]),
            el('td', {}, [m.text]),
            el('td', {}, [String(m.sent)]),
            el('td', {}, [status]),
          ],
        );
      }),
      ...(rows.length > MESSAGE_ROWS
        ? [el('tr', {}, [el('td', { colspan: '4' }, [`… and ${rows.length - MESSAGE_ROWS} more`])])]
        : []),
    );
  }

  // ---- Controls ---------------------------------------------------------------------------
  /** @type {ReturnType<typeof setInterval> | undefined} */
  let timer;
  function stop() {
    clearInterval(timer);
    timer = undefined;
    buttons.play.textContent = '▶ Play';
    buttons.play.setAttribute('aria-label', 'Play');
  }
  function play() {
    if (timer !== undefined) return stop();
    buttons.play.textContent = '⏸ Pause';
    buttons.play.setAttribute('aria-label', 'Pause');
    timer = setInterval(() => {
      const i = Number(scrub.value);
      if (i >= n - 1) return stop();
      show(i + 1);
    }, 120);
  }
  /** @param {number} d */
  const by = (d) => show(Math.min(n - 1, Math.max(0, Number(scrub.value) + d)));
  scrub.addEventListener('input', () => show(Number(scrub.value)));
  buttons.first.addEventListener('click', () => show(0));
  buttons.prev.addEventListener('click', () => by(-1));
  buttons.next.addEventListener('click', () => by(1));
  buttons.last.addEventListener('click', () => show(n - 1));
  buttons.play.addEventListener('click', play);
  jump.addEventListener('click', () => {
    if (v) show(v.step);
  });
  document.addEventListener('keydown', (e) => {
    const target = /** @type {HTMLElement} */ (e.target);
    if (target === scrub || target.tagName === 'BUTTON' || target.tagName === 'INPUT') return;
    if (e.key === 'ArrowRight') by(1);
    else if (e.key === 'ArrowLeft') by(-1);
    else if (e.key === 'Home') show(0);
    else if (e.key === 'End') show(n - 1);
    else if (e.key === ' ') play();
    else return;
    e.preventDefault();
  });
  window.addEventListener('resize', () => drawChart());
  drawChart();
  show(v ? v.step : 0);
})();

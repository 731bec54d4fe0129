"""Canvas figures in Chromium for graphs of 100, 300 and 1,000 nodes (targets: a 1,000-node
layout in under 2 s; frame time while panning under 16.7 ms).

Run by hand: .venv/bin/python tests/benchmarks/bench_canvas.py [--sizes 100,300,1000] [--rounds 3]
[--uncapped] [--screenshots DIR]
It starts the app (`reflex run --env prod` through tests/browser/app_server.py, own data dir),
stores one chat per size through the service layer, and per size, in a fresh page (a cold elk
worker, as for a user who opens the graph after logging in): the first open (chat selected →
laid out and painted), the layout's own time (window.__wfcLastLayout: elk in its worker, or a
cache hit), the longest main-thread task meanwhile, a reopen with stored positions (drawing
only), Tidy up (from the layout cache) and Tidy up with the cache emptied (elk, warm worker),
then requestAnimationFrame deltas while the mouse drags the pane for 2 s (events every 8 ms),
at the opening zoom (the headline figure), wheel-zoomed in to about 0.35 (compact cards) and to
about 1, where full cards are drawn. Then the page-load figure: a new tab that opens the app when
the unplaced graph is the latest chat, timed from navigation start to the laid-out graph painted.
Headless Chromium with --disable-gpu draws in software and caps frames at 60 Hz (16.7 ms is the
floor); --uncapped lifts the cap to show what a frame costs. Other processes on the machine skew
every figure: the load average is printed with the table.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.browser.app_server import ServerPool  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, VIEWPORT  # noqa: E402
from tests.browser.flows import expect_workspace, log_in  # noqa: E402

LAYOUT_TARGET_MS, FRAME_TARGET_MS = 2000.0, 1000 / 60
STEPS = [
    ("http_request", "Fetch {i}", lambda i, p: {"url": f"https://api.example.com/items/{i}"}),
    ("transform", "Reshape {i}", lambda i, p: {"template": f"{{{{ nodes.{p}.output | tojson }}}}"}),
    ("llm", "Summarise {i}", lambda i, p: {"operation": "summarise", "prompt": "Summarise",
                                          "input": f"{{{{ nodes.{p}.output }}}}"}),
    ("delay", "Wait {i}", lambda i, p: {"amount": 5, "unit": "minutes"}),
    ("email", "Email {i}", lambda i, p: {"to": "team@example.com", "subject": f"Report {i}",
                                        "body": f"{{{{ nodes.{p}.output }}}}"}),
    ("slack", "Post {i}", lambda i, p: {"text": f"Step {i} done"}),
]


def build_graph(size: int, seed: int = 7) -> dict:
    """A valid graph of exactly `size` nodes, all at (0, 0) so the canvas lays it out: a schedule
    trigger, then chains of steps, condition diamonds (true/false chains joined by a merge) and
    parallel fan-outs joined by a merge, sometimes nested one level."""
    rng = random.Random(seed)
    nodes: list[dict] = []
    edges: list[dict] = []

    def add(kind: str, label: str, config: dict) -> str:
        node_id = f"n{len(nodes)}"
        nodes.append({"id": node_id, "kind": kind, "label": label.format(i=len(nodes)),
                      "config": config, "position": {"x": 0, "y": 0}})
        return node_id

    def link(source: str, target: str, branch: str | None = None) -> None:
        edges.append({"id": f"e{len(edges)}", "source": source, "target": target, "branch": branch})

    def step(after: str, branch: str | None = None) -> str:
        kind, label, config = rng.choice(STEPS)
        node_id = add(kind, label, config(len(nodes), after))
        link(after, node_id, branch)
        return node_id

    def chain(after: str, length: int, branch: str | None = None) -> str:
        for _ in range(length):
            after, branch = step(after, branch), None
        return after

    def join(ends: list[str], mode: str) -> str:
        merge = add("merge", "Join {i}", {"mode": mode})
        for end in ends:
            link(end, merge)
        return merge

    def block(after: str, budget: int, depth: int) -> str:
        """One segment; never adds more than `budget` nodes."""
        shape = rng.random()
        if budget >= 8 and shape < 0.3:  # condition diamond (8 nodes at most, 24 if nested)
            cond = add("condition", "Check {i}", {"expression": f"nodes.{after}.output | length > {rng.randint(0, 9)}"})
            link(after, cond)
            ends = []
            for branch in ("true", "false"):
                end = chain(cond, 1, branch)
                if depth == 0 and budget >= 24 and rng.random() < 0.3:
                    end = block(end, 8, depth + 1)
                ends.append(chain(end, rng.randint(0, 2)))
            return join(ends, rng.choice(["all", "any"]))
        if budget >= 7 and shape < 0.45:  # parallel fan-out (7 nodes at most)
            return join([chain(after, rng.randint(1, 2)) for _ in range(rng.randint(2, 3))], "all")
        return chain(after, 1)

    tail = add("schedule", "Every day at 09:00", {"cron": "0 9 * * *"})
    while len(nodes) < size:
        tail = block(tail, size - len(nodes) - 16, 0) if size - len(nodes) > 16 else step(tail)
    return {"schema": 1, "name": f"Benchmark {size} nodes", "description": "", "nodes": nodes,
            "edges": edges}


def store_graphs(database: Path, sizes: list[int], username: str, password: str) -> None:
    """A user with one chat per size (and an empty chat, so switching remounts the canvas), and
    per size a user with only an empty chat, for the page-load figure (see page_load)."""
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    from workflow_chat.db import migrate, session_scope
    from workflow_chat.services import accounts, chats, edits

    migrate()
    with session_scope() as session:
        user_id = accounts.register(session, username=username, email=f"{username}@example.com",
                                    password=password).id
        for size in sizes:
            chat = chats.create_chat(session, user_id=user_id, title=f"{size} nodes")
            edits.replace_graph(session, user_id=user_id, chat_id=chat.id, graph=build_graph(size))
        chats.create_chat(session, user_id=user_id, title="Empty")
        for size in sizes:
            load_user = f"{username}_load{size}"
            load_id = accounts.register(session, username=load_user, email=f"{load_user}@example.com",
                                        password=password).id
            chats.create_chat(session, user_id=load_id, title="Empty")


def store_graph_chat(username: str, size: int) -> None:
    """A new chat holding the unplaced graph of `size` nodes: the user's most recent one, which
    the workspace opens when a page loads."""
    from sqlmodel import select

    from workflow_chat.db import session_scope
    from workflow_chat.models import User
    from workflow_chat.services import chats, edits

    with session_scope() as session:
        user_id = session.exec(select(User.id).where(User.username == username)).one()
        chat = chats.create_chat(session, user_id=user_id, title=f"{size} nodes")
        edits.replace_graph(session, user_id=user_id, chat_id=chat.id, graph=build_graph(size))


FRAMES_JS = """() => { window.__frames = []; window.__framesOn = true;
  const tick = (t) => { window.__frames.push(t); if (window.__framesOn) requestAnimationFrame(tick); };
  requestAnimationFrame(tick); }"""

# Select a chat; ms until the canvas shows its `count` nodes (laid out first when the graph asks
# for it) and the frame that draws them has been painted. The canvas says how many nodes React
# Flow has (data-nodes) and whether a layout is in flight (data-laying); above 150 nodes only
# those on screen are in the DOM. Older canvases without data-nodes: every node in the DOM.
OPEN_JS = """async ([title, count]) => { window.__wfcLastLayoutMs = undefined;
  const row = [...document.querySelectorAll('[data-testid=chat-row]')]
    .find((r) => r.querySelector('.truncate').textContent === title);
  const t0 = window.__t0 = performance.now();
  row.firstElementChild.click();
  const frame = () => new Promise((r) => requestAnimationFrame(r));
  const shown = () => {
    const drawn = document.querySelectorAll('.react-flow__node').length;
    if (count === 0) return drawn === 0;
    const rf = document.querySelector('[data-testid=canvas] .react-flow');
    if (!rf) return false;
    if (rf.dataset.nodes === undefined) return drawn === count;
    return rf.dataset.nodes === String(count) && rf.dataset.laying === undefined && drawn > 0;
  };
  while (!shown()) {
    if (performance.now() - t0 > 120000) throw new Error(`canvas never showed ${count} nodes`);
    await frame();
  }
  await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));  // that frame painted
  return performance.now() - t0; }"""


def _open(page, title: str, count: int) -> float:
    return page.evaluate(OPEN_JS, [title, count])


def _layout(page) -> tuple[float, float, bool | None]:
    """The layout's own time (elk in its worker, or a cache hit), the time from the last chat
    selection or Tidy up until it was applied, and whether it came from the cache."""
    page.wait_for_function("() => window.__wfcLastLayoutMs !== undefined", polling="raf", timeout=300_000)
    took = page.evaluate("() => [window.__wfcLastLayoutMs, performance.now() - window.__t0, "
                         "window.__wfcLastLayout ? window.__wfcLastLayout.cached : null, "
                         "window.__wfcLastLayout ? window.__wfcLastLayout.startedAt - window.__t0 : null]")
    if took[3] is not None:
        print(f"    layout started {took[3]:.0f} ms after the click (the graph's arrival)", file=sys.stderr)
    page.wait_for_timeout(1200)  # positions saved and any fitView animation over
    return took[0], took[1], took[2]


def _tidy(page) -> tuple[float, float, bool | None]:
    """Tidy up (auto-layout) the open graph."""
    page.evaluate("() => { window.__wfcLastLayoutMs = undefined; window.__t0 = performance.now(); }")
    page.get_by_test_id("auto-layout").click()
    return _layout(page)


def _zoom(page) -> float:
    return page.evaluate("""() => { const t = document.querySelector('[data-testid=canvas] .react-flow__viewport').style.transform;
      return parseFloat(/scale\\(([^)]+)\\)/.exec(t)[1]); }""")


NEAREST_NODE_JS = """() => { const r = document.querySelector('[data-testid=canvas] .react-flow__pane').getBoundingClientRect();
  const cx = r.left + r.width / 2, cy = r.top + r.height / 2;
  let best = null, distance = Infinity;
  for (const n of document.querySelectorAll('[data-testid=canvas] .react-flow__node')) {
    const b = n.getBoundingClientRect(), x = b.left + b.width / 2, y = b.top + b.height / 2;
    const d = Math.hypot(x - cx, y - cy);
    if (x > r.left && x < r.right && y > r.top && y < r.bottom && d < distance) { best = [x, y]; distance = d; } }
  return best; }"""


def _zoom_to(page, target: float) -> float:
    """Wheel-zoom (as a user does) on the node nearest the middle of the pane until the zoom
    reaches `target`: the view then shows that part of the graph with full cards."""
    for _ in range(40):
        if _zoom(page) >= target * 0.95:
            break
        point = page.evaluate(NEAREST_NODE_JS)
        assert point, "no node on screen to zoom in on"
        page.mouse.move(*point)
        page.mouse.wheel(0, -250)
        page.wait_for_timeout(150)
    page.wait_for_timeout(800)  # the zoom's end, and culled nodes drawn
    return _zoom(page)


def _empty_point(page) -> tuple[float, float]:
    """A point on the bare pane (a drag there pans; on a node it would move the node)."""
    point = page.evaluate("""() => { const r = document.querySelector('[data-testid=canvas] .react-flow__pane').getBoundingClientRect();
      for (let fy = 0.5; fy < 0.95; fy += 0.05) for (let fx = 0.3; fx < 0.7; fx += 0.02) {
        const x = r.left + r.width * fx, y = r.top + r.height * fy;
        const el = document.elementFromPoint(x, y);
        if (el && el.classList.contains('react-flow__pane')) return [x, y]; }
      return null; }""")
    assert point, "no empty spot on the pane to drag"
    return point[0], point[1]


def _pan(page, seconds: float = 2.0) -> list[float]:
    """Drag the bare pane to and fro for `seconds` with a mouse event every 8 ms (a 125 Hz
    mouse); the requestAnimationFrame deltas meanwhile."""
    x, y = _empty_point(page)
    page.mouse.move(x, y)
    page.mouse.down()
    page.evaluate(FRAMES_JS)
    started = time.monotonic()
    while (elapsed := time.monotonic() - started) < seconds:  # to and fro, about 1 Hz
        page.mouse.move(x + 150 * math.sin(elapsed * 6), y + 50 * math.sin(elapsed * 4))
        time.sleep(max(0.0, 0.008 - (time.monotonic() - started - elapsed)))
    page.mouse.up()
    stamps = page.evaluate("() => { window.__framesOn = false; return window.__frames; }")
    page.wait_for_timeout(500)  # d3-zoom swallows a click that comes right after a drag
    return [b - a for a, b in zip(stamps, stamps[1:])]


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


LONG_TASKS_JS = """() => { window.__long = [];
  new PerformanceObserver((list) => list.getEntries().forEach((e) => window.__long.push([e.startTime, e.duration])))
    .observe({ type: "longtask", buffered: true }); }"""


def measure_size(browser, server_url: str, size: int, rounds: int, username: str, password: str,
                 shots: Path | None = None) -> dict:
    """A fresh page (elk starts cold, as for a user who opens the graph after logging in); with
    `shots`, a picture of the canvas at each zoom the pan is measured at."""
    context = browser.new_context(viewport=VIEWPORT, base_url=server_url)
    page = context.new_page()
    page.on("console", lambda m: m.type == "error" and print(f"  console: {m.text}", file=sys.stderr))
    page.on("pageerror", lambda e: print(f"  page error: {e}", file=sys.stderr))
    log_in(page, username, password)
    expect_workspace(page, username)
    page.evaluate(LONG_TASKS_JS)
    _open(page, "Empty", 0)
    # The first open: every node at (0, 0), so the canvas lays the graph out, then draws it.
    first_open = _open(page, f"{size} nodes", size)
    layout_first, laid_out, _ = _layout(page)
    worker = page.evaluate("() => window.__wfcElkReadyAt === undefined ? [null, null] : "
                           "[window.__wfcElkStartedAt - window.__t0, window.__wfcElkReadyAt - window.__t0]")
    if worker[0] is not None:
        print(f"    layout worker started {worker[0]:.0f} ms and warmed up {worker[1]:.0f} ms after the "
              "first open's click", file=sys.stderr)
    blocked = page.evaluate("() => Math.max(0, ...window.__long.filter(([t]) => t >= window.__t0).map(([, d]) => d))")
    renders, again, again_cached = [], [], []
    for _ in range(rounds - 1):  # open again (positions are stored now), then Tidy up
        _open(page, "Empty", 0)
        renders.append(_open(page, f"{size} nodes", size))
        took, _, cached = _tidy(page)
        again.append(took)
        again_cached.append(cached)
    # Tidy up once more with the layout cache emptied: elk itself, in a warm worker.
    cleared = page.evaluate("() => { if (!window.__wfcClearLayoutCache) return false; window.__wfcClearLayoutCache(); return true; }")
    warm = _tidy(page)[0] if cleared else None
    canvas = page.get_by_test_id("canvas")
    frames_fit = _pan(page)
    zoom_fit = _zoom(page)
    if shots:
        canvas.screenshot(path=str(shots / f"canvas_{size}_fit.png"))
    zoom_mid = _zoom_to(page, 0.35)  # compact cards: the label alone (flow_geometry.js)
    if shots:
        canvas.screenshot(path=str(shots / f"canvas_{size}_mid.png"))
    frames_mid = _pan(page)
    zoom_near = _zoom_to(page, 1.0)
    if shots:
        canvas.screenshot(path=str(shots / f"canvas_{size}_near.png"))
    frames_near = _pan(page)
    context.close()
    print(f"  {size} nodes: first open {first_open:.0f} ms, renders {[round(v) for v in renders]} ms, "
          f"layouts first {layout_first:.0f} then {[round(v) for v in again]} ms (cached {again_cached}), "
          f"warm uncached {warm if warm is None else round(warm)} ms; pan at zoom {zoom_fit:.2f} and {zoom_near:.2f}",
          file=sys.stderr, flush=True)
    return {"size": size, "first_open": first_open, "render": statistics.median(renders or [first_open]),
            "layout_first": layout_first, "layout": statistics.median(again or [layout_first]),
            "cached": all(again_cached) if again_cached and None not in again_cached else None,
            "warm": warm, "laid_out": laid_out, "blocked": blocked,
            "zoom_fit": zoom_fit, "p50": _pct(frames_fit, 0.5), "p95": _pct(frames_fit, 0.95),
            "zoom_mid": zoom_mid, "mid_p50": _pct(frames_mid, 0.5), "mid_p95": _pct(frames_mid, 0.95),
            "zoom_near": zoom_near, "near_p50": _pct(frames_near, 0.5), "near_p95": _pct(frames_near, 0.95)}


# Installed before the page's own scripts: the time (since navigation start) of the first frame
# painted with the canvas showing all `count` nodes laid out.
SHOWN_AT_JS = """(count) => { const frame = () => requestAnimationFrame(check);
  const check = () => { const rf = document.querySelector('[data-testid=canvas] .react-flow');
    if (rf && rf.dataset.nodes === String(count) && rf.dataset.laying === undefined
        && document.querySelector('.react-flow__node') && window.__wfcLastLayoutMs !== undefined) {
      setTimeout(() => { window.__wfcShownAt = performance.now(); }, 0);  // that frame painted
      return; }
    frame(); };
  frame(); }"""


def page_load(browser, server_url: str, size: int, password: str, username: str) -> dict:
    """What a user waits for who opens the app when a graph of `size` unplaced nodes is their
    latest chat: a new tab (a cold page and elk worker; the login token is already stored)
    from navigation start until the laid-out graph is painted."""
    context = browser.new_context(viewport=VIEWPORT, base_url=server_url)
    page = context.new_page()
    page.on("pageerror", lambda e: print(f"  page error: {e}", file=sys.stderr))
    log_in(page, username, password)
    expect_workspace(page, username)  # the empty chat: nothing to lay out yet
    page.close()
    store_graph_chat(username, size)
    page = context.new_page()
    page.on("pageerror", lambda e: print(f"  page error: {e}", file=sys.stderr))
    page.add_init_script(f"window.addEventListener('DOMContentLoaded', () => ({SHOWN_AT_JS})({size}))")
    page.goto("/")
    page.wait_for_function("() => window.__wfcShownAt !== undefined", polling=100, timeout=300_000)
    got = page.evaluate("""() => ({ shown: window.__wfcShownAt, layout: window.__wfcLastLayout.ms,
      started: window.__wfcLastLayout.startedAt, cached: window.__wfcLastLayout.cached,
      elkStarted: window.__wfcElkStartedAt ?? null, elkReady: window.__wfcElkReadyAt ?? null })""")
    context.close()
    print(f"  {size} nodes, page load: painted {got['shown']:.0f} ms after navigation start; layout "
          f"started {got['started']:.0f} ms, took {got['layout']:.0f} ms (cached {got['cached']}); elk "
          f"worker started {got['elkStarted'] or 0:.0f} ms, warm at {got['elkReady'] or 0:.0f} ms",
          file=sys.stderr, flush=True)
    return {"load_shown": got["shown"], "load_layout": got["layout"], "load_started": got["started"]}


def report(rows: list[dict], uncapped: bool) -> None:
    print("\nCanvas benchmark: headless Chromium with --disable-gpu (software rendering), "
          + ("60 Hz frame cap lifted" if uncapped else "frames capped at 60 Hz (16.7 ms floor)"))
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs\n")
    print("first open: chat selected -> its nodes painted (the graph has no positions yet; canvases "
          "before the layout worker drew them piled up first)\n"
          "laid out: chat selected -> the layout applied\n"
          "reopen: the same graph again, positions stored (drawing only)\n"
          "layout cold: elk on the first open, in a fresh page; again: Tidy up (cached = from the "
          "layout cache); warm: Tidy up with the cache emptied\n"
          "longest task: the longest main-thread task from the first open until it was laid out\n"
          "pan: requestAnimationFrame deltas while the mouse drags the pane, at the opening zoom "
          "and zoomed in to about 1\n")
    print("nodes | first open | laid out | reopen | layout cold | again (cached) | warm | longest task | "
          "pan at fit zoom p50/p95 | pan at zoom ~1 p50/p95 | laid out/2 s | p95/16.7 ms (fit, ~1)")
    for r in rows:
        cached = {True: "yes", False: "no", None: "?"}[r["cached"]]
        warm = "-" if r["warm"] is None else f"{r['warm']:.0f} ms"
        print(f"{r['size']:>5} | {r['first_open']:>7.0f} ms | {r['laid_out']:>5.0f} ms | {r['render']:>4.0f} ms | "
              f"{r['layout_first']:>8.0f} ms | {r['layout']:>5.0f} ms ({cached}) | {warm:>7} | "
              f"{r['blocked']:>9.0f} ms | {r['zoom_fit']:.2f}: {r['p50']:>5.1f} / {r['p95']:>5.1f} ms | "
              f"{r['zoom_near']:.2f}: {r['near_p50']:>5.1f} / {r['near_p95']:>5.1f} ms | "
              f"{r['laid_out'] / LAYOUT_TARGET_MS:>12.2f} | {r['p95'] / FRAME_TARGET_MS:.2f}, "
              f"{r['near_p95'] / FRAME_TARGET_MS:.2f}")
    print("\npan at a middle zoom (compact cards), p50/p95")
    for r in rows:
        print(f"{r['size']:>5} | {r['zoom_mid']:.2f}: {r['mid_p50']:>5.1f} / {r['mid_p95']:>5.1f} ms")
    print("\npage load: a new tab opening the app when the graph, not yet laid out, is the latest "
          "chat (cold page and elk worker): navigation start -> graph requested for layout -> "
          "laid out and painted; the layout's own time")
    print("nodes | layout starts | painted | layout took | painted/2 s")
    for r in rows:
        print(f"{r['size']:>5} | {r['load_started']:>10.0f} ms | {r['load_shown']:>5.0f} ms | "
              f"{r['load_layout']:>8.0f} ms | {r['load_shown'] / LAYOUT_TARGET_MS:>10.2f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100,300,1000")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--uncapped", action="store_true", help="lift Chromium's 60 Hz frame cap")
    parser.add_argument("--screenshots", type=Path, help="save the canvas at each zoom measured here")
    opts = parser.parse_args()
    if opts.screenshots:
        opts.screenshots.mkdir(parents=True, exist_ok=True)
    sizes = [int(s) for s in opts.sizes.split(",")]
    username, password = "bench_canvas", "correct horse 42"
    extra = ["--disable-frame-rate-limit", "--disable-gpu-vsync"] if opts.uncapped else []
    pool = ServerPool(Path(tempfile.mkdtemp(prefix="bench_canvas_")))
    try:
        server = pool.get()
        store_graphs(server.database, sizes, username, password)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS + extra)
            rows = [measure_size(browser, server.url, size, opts.rounds, username, password, opts.screenshots)
                    | page_load(browser, server.url, size, password, f"{username}_load{size}")
                    for size in sizes]
            browser.close()
    finally:
        pool.stop()
    report(rows, opts.uncapped)


if __name__ == "__main__":
    main()

// Auto-layout for the canvas: elkjs in a Web Worker, so a big graph never blocks the page, and
// a cache by graph structure, so laying out the same graph again costs nothing. Imported by
// flow_sync.js, flow_canvas.jsx and flow_warm.js (shared assets of flow_canvas.py, in one folder).
import ELK from "elkjs/lib/elk-api.js";
// Vite copies the worker script as an asset and gives its URL; it runs as a classic worker.
import elkWorkerUrl from "elkjs/lib/elk-worker.min.js?url";

// layered + thoroughness 1 (DESIGN.md); never NETWORK_SIMPLEX placement (minutes at 1,000 nodes).
const ELK_OPTIONS = {
  "elk.algorithm": "layered",
  "elk.direction": "DOWN",
  "elk.layered.thoroughness": "1",
  "elk.spacing.nodeNode": "48",
  "elk.layered.spacing.nodeNodeBetweenLayers": "64",
  "elk.spacing.edgeNode": "24",
  "elk.layered.spacing.edgeNodeBetweenLayers": "24",
  "elk.layered.nodePlacement.bk.fixedAlignment": "BALANCED",
};

let elkPromise = null;

// A small graph like a real one (ports, a condition): the first layout in a fresh worker is
// slow while the JIT warms up, so the worker does that before it is needed.
function warmUpGraph() {
  const nodes = [], edges = [];
  for (let i = 0; i < 40; i++) {
    nodes.push({ id: `w${i}`, data: { branches: i % 8 === 3 ? ["true", "false"] : [] } });
  }
  for (let i = 1; i < 40; i++) {
    const from = nodes[i - 1];
    const sourceHandle = from.data.branches.length ? "true" : null;
    edges.push({ id: `we${i}`, source: from.id, target: `w${i}`, sourceHandle });
    if (i % 8 === 5) edges.push({ id: `wf${i}`, source: `w${i - 2}`, target: `w${i}`, sourceHandle: "false" });
  }
  return elkGraph(nodes, edges, (data) => ({ width: 280, height: data.branches.length ? 90 : 78 }));
}

// A few more small layouts while nothing else is asked of the worker: a 1,000-node graph's first
// layout then takes about two thirds of the time it takes in a worker warmed up once. One small
// layout at a time, so a real request waits for one at most; none after a real one.
let busy = 0;
let realDone = false;
async function keepWarming(elk) {
  for (let i = 0; i < 4; i++) {
    await new Promise((resolve) => setTimeout(resolve, 0));
    if (busy || realDone) return;
    await elk.layout(warmUpGraph());
  }
}

async function startWorker() {
  let failed;
  const broken = new Promise((_, reject) => { failed = reject; });
  const elk = new ELK({
    workerFactory: () => {
      const worker = new Worker(elkWorkerUrl);
      worker.addEventListener("error", (e) => failed(new Error(`elk worker: ${e.message || "did not load"}`)));
      return worker;
    },
  });
  try {
    await Promise.race([elk.layout(warmUpGraph()), broken]);
    keepWarming(elk).catch(() => {});  // only a warm-up: a real layout reports its own errors
    return elk;
  } catch (error) {
    elk.terminateWorker();
    throw error;
  }
}

// The worker, started (and warmed up) once per page; without workers, elk on the main thread.
export function getElk() {
  if (!elkPromise) {
    window.__wfcElkStartedAt = performance.now();  // for tests/benchmarks/bench_canvas.py
    elkPromise = startWorker().then((elk) => {
      window.__wfcElkReadyAt = performance.now();
      return elk;
    }).catch(async (error) => {
      console.warn("elk worker unavailable, laying out on the main thread:", error);
      const { default: Bundled } = await import("elkjs/lib/elk.bundled.js");
      return new Bundled();
    });
  }
  return elkPromise;
}

// The elk graph for React Flow nodes and edges; sizeOf(node.data) gives {width, height}. Every
// node gets ports where its handles are (top centre in, bottom out; a condition's branches in
// handle order), so a chain stays straight and "true" lands left of "false". Node ids never
// contain ":".
function elkGraph(nodes, edges, sizeOf) {
  const port = (id, side, x, y) => ({ id, width: 1, height: 1, x, y, layoutOptions: { "elk.port.side": side } });
  const children = nodes.map((n) => {
    const { width, height } = sizeOf(n.data);
    const outs = (n.data.branches || []).length ? n.data.branches : ["out"];
    return {
      id: n.id, width, height, layoutOptions: { "elk.portConstraints": "FIXED_POS" },
      ports: [
        port(`${n.id}:in`, "NORTH", width / 2, 0),
        ...outs.map((b, i) => port(`${n.id}:${b}`, "SOUTH", ((i + 1) * width) / (outs.length + 1), height)),
      ],
    };
  });
  const branched = new Set(nodes.filter((n) => (n.data.branches || []).length).map((n) => n.id));
  const ids = new Set(nodes.map((n) => n.id));
  const elkEdges = edges.filter((e) => ids.has(e.source) && ids.has(e.target)).map((e) => ({
    id: e.id, targets: [`${e.target}:in`],
    sources: [`${e.source}:${branched.has(e.source) && e.sourceHandle ? e.sourceHandle : "out"}`],
  }));
  return { id: "root", layoutOptions: ELK_OPTIONS, children, edges: elkEdges };
}

// Layouts by everything elk reads (ids, sizes, ports, edges, options); elk is deterministic, so
// a hit is exactly what a new run would give. A few graphs per page, most recent last.
const cache = new Map();
const CACHE_SIZE = 12;

// {positions: {id: {x, y}}, cached}: where elk puts each node (top-left corners).
export async function layoutGraph(nodes, edges, sizeOf) {
  const graph = elkGraph(nodes, edges, sizeOf);
  const key = JSON.stringify(graph);
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return { positions: hit, cached: true };
  }
  let laid;
  busy += 1;
  try {
    laid = await (await getElk()).layout(graph);
  } finally {
    busy -= 1;
    realDone = true;
  }
  const positions = Object.fromEntries(laid.children.map((c) => [c.id, { x: Math.round(c.x), y: Math.round(c.y) }]));
  cache.set(key, positions);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value);
  return { positions, cached: false };
}

// For the benchmark: time elk itself, not the cache.
export function clearLayoutCache() {
  cache.clear();
}

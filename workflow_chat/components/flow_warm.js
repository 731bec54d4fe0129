// Imported by every page that has a canvas (flow_canvas.py adds the import), even while no graph
// is shown: starts the elk layout worker at once, so its download, parse and JIT warm-up
// (flow_layout.js) run in the worker's thread while the page hydrates, and are over before the
// first graph needs a layout. Started at once rather than when the page is idle: measured with
// tests/benchmarks/bench_canvas.py, the worker then starts 520-560 ms after navigation instead
// of 550-750 ms (this module itself evaluates only once the page's bundles have loaded).
if (typeof window !== "undefined" && typeof Worker !== "undefined") {
  import("./flow_layout.js").then((m) => m.getElk()).catch(() => {});  // the canvas retries
}

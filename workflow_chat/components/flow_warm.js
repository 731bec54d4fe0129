// Imported by every page that has a canvas (flow_canvas.py adds the import), even while no graph
// is shown: starts the elk layout worker when the page is idle, so its download, parse and JIT
// warm-up are over before the first graph needs a layout.
if (typeof window !== "undefined" && typeof Worker !== "undefined") {
  const start = () => import("./flow_layout.js").then((m) => m.getElk()).catch(() => {});  // the canvas retries
  if (window.requestIdleCallback) window.requestIdleCallback(start, { timeout: 500 });
  else setTimeout(start, 300);
}

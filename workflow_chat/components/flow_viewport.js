// Where the canvas looks: framing a list of nodes (at once, or animated), even before the pane
// has a size, and the compositor layer that keeps a pan cheap.
import { useCallback, useEffect, useRef, useState } from "react";
import { getViewportForBounds, useReactFlow, useStore, useStoreApi } from "@xyflow/react";
import { nodeSize } from "./flow_geometry.js";

export const MIN_ZOOM = 0.05;  // for big graphs (DESIGN.md); a tall 1,000-node chain still overflows it
export const MAX_ZOOM = 2;
const FIT = { padding: 0.2, maxZoom: 1.0 };

// Is the node's whole box on screen? (React Flow's store: container size and [x, y, zoom].)
export function inView(store, node) {
  const { width, height, transform: [tx, ty, zoom] } = store.getState();
  const size = nodeSize(node.data);
  const x = node.position.x * zoom + tx, y = node.position.y * zoom + ty;
  return x >= 0 && y >= 0 && x + size.width * zoom <= width && y + size.height * zoom <= height;
}

function bounds(nodes) {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const n of nodes) {
    const { width, height } = nodeSize(n.data);
    x0 = Math.min(x0, n.position.x); y0 = Math.min(y0, n.position.y);
    x1 = Math.max(x1, n.position.x + width); y1 = Math.max(y1, n.position.y + height);
  }
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

const paneReadyOf = (s) => Boolean(s.width && s.height && s.panZoom);

// frame(nodes, duration): fit these nodes in view (positions and fixed sizes are known: no need
// to wait for React Flow to measure). Asked before the pane has a size, it frames them once it has.
export function useFraming() {
  const store = useStoreApi();
  const { setViewport } = useReactFlow();
  const paneReady = useStore(paneReadyOf);
  const [frameTick, setFrameTick] = useState(0);
  const pendingFrame = useRef(null);  // nodes to frame once the pane has a size
  const frame = useCallback((list, duration) => {
    if (!list.length) return;
    const { width, height, panZoom } = store.getState();
    if (!width || !height || !panZoom) { pendingFrame.current = list; setFrameTick((t) => t + 1); return; }
    pendingFrame.current = null;
    setViewport(getViewportForBounds(bounds(list), width, height, MIN_ZOOM, FIT.maxZoom, FIT.padding),
      duration ? { duration } : undefined);
  }, [store, setViewport]);
  useEffect(() => {
    if (paneReady && pendingFrame.current) frame(pendingFrame.current, 0);
  }, [paneReady, frameTick, frame]);
  return frame;
}

// While the view moves, the viewport is its own compositor layer: a pan only moves pixels
// already drawn. Not for good: the browser would keep the old raster scale after a zoom, and
// the cards would look blurred.
export function useMoveLayer() {
  const store = useStoreApi();
  const layer = useCallback((on) => {
    store.getState().domNode?.querySelector(".react-flow__viewport")?.classList.toggle("wfc-moving", on);
  }, [store]);
  const onMoveStart = useCallback(() => layer(true), [layer]);
  const onMoveEnd = useCallback(() => layer(false), [layer]);
  return { onMoveStart, onMoveEnd };
}

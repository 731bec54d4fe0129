// The dotted background. React Flow's <Background> redraws its SVG pattern on every frame of a
// pan; this is a CSS pattern on a layer one cell larger than the pane, shifted by less than a cell
// with a transform, so a pan only moves pixels already drawn. Written straight to the DOM from
// React Flow's store, without a React render per frame.
import { useEffect, useRef } from "react";
import { useStoreApi } from "@xyflow/react";

const DOT_GAP = 20;
const mod = (a, b) => ((a % b) + b) % b;

export function DotGrid() {
  const ref = useRef(null);
  const store = useStoreApi();
  useEffect(() => {
    const el = ref.current;
    let zoom = null;
    const apply = ({ transform: [tx, ty, z] }) => {
      const gap = DOT_GAP * z;
      if (z !== zoom) {
        zoom = z;
        const r = Math.max(0.6, 0.7 * z);
        el.style.display = gap < 6 ? "none" : "";  // a denser grid is noise, and costly to draw
        el.style.backgroundSize = `${gap}px ${gap}px`;
        el.style.backgroundImage = `radial-gradient(circle at ${gap / 2}px ${gap / 2}px, #cbd5e1 ${r}px, transparent ${r + 0.6}px)`;
      }
      // React Flow's dots sit at flow coordinates that are multiples of the gap.
      el.style.transform = `translate3d(${mod(tx, gap) - 1.5 * gap}px, ${mod(ty, gap) - 1.5 * gap}px, 0)`;
    };
    apply(store.getState());
    return store.subscribe(apply);
  }, [store]);
  return <div ref={ref} className="wfc-dots" />;
}

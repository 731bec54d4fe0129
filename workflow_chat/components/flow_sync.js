// The server's graph in React Flow: merged into what React Flow has whenever the server sends
// it, laid out first (elk, in a worker) when the server asks, and framed when it is new.
import { useCallback, useEffect, useRef, useState } from "react";
import { useEdgesState, useNodesState, useStoreApi } from "@xyflow/react";
import { nodeSize } from "./flow_geometry.js";
import { layoutGraph } from "./flow_layout.js";
import { mergeEdges, mergeNodes } from "./flow_merge.js";
import { inView } from "./flow_viewport.js";

// {nodes, edges, onNodesChange, onEdgesChange, laying}: laying is the node count of the layout
// in flight, 0 when none. onLayout gets every laid-out node's {id, x, y} in one call.
export function useServerGraph({ serverNodes, serverEdges, layoutNonce, storageKey, onLayout, frame }) {
  const [nodes, setNodes, onNodesChange] = useNodesState([]);
  const [edges, setEdges, onEdgesChange] = useEdgesState([]);
  const store = useStoreApi();
  const [laying, setLaying] = useState(0);
  const ticket = useRef(0);  // the latest layout request; older answers are dropped
  const failedNonce = useRef(null);
  const knownIds = useRef(new Set());  // ids React Flow has now
  const onLayoutRef = useRef(onLayout);
  onLayoutRef.current = onLayout;
  const mounted = useRef(true);
  useEffect(() => { mounted.current = true; return () => { mounted.current = false; }; }, []);

  // Hand nodes and edges to React Flow. A new graph is framed at once; nodes an edit added only
  // reframe the view (animated) when one landed out of sight.
  const show = useCallback((list, edgeList, framing) => {
    const fresh = list.filter((n) => !knownIds.current.has(n.id));
    if (!framing && fresh.length) framing = list.some((n) => knownIds.current.has(n.id)) ? "added" : "all";
    knownIds.current = new Set(list.map((n) => n.id));
    setNodes((prev) => mergeNodes(prev, list));
    setEdges((prev) => mergeEdges(prev, edgeList));
    if (framing === "all") frame(list, 0);
    else if (framing === "added" && fresh.some((n) => !inView(store, n))) frame(list, 250);
  }, [setNodes, setEdges, frame, store]);

  // The server's graph, laid out first when it asks (a layout nonce not yet laid out in this tab:
  // sessionStorage, like Reflex's own client token, so a reload does not redo a layout and
  // overwrite later drags). Sizes are fixed, so elk runs before the nodes are first drawn; until
  // it answers the canvas keeps showing the same graph's old nodes, or nothing for another graph.
  useEffect(() => {
    const incoming = serverNodes || [];
    const incomingEdges = serverEdges || [];
    const nonce = String(layoutNonce || "");
    const wanted = layoutNonce && incoming.length && nonce !== sessionStorage.getItem(storageKey)
      && nonce !== failedNonce.current;
    const mine = ++ticket.current;
    if (!wanted) { setLaying(0); show(incoming, incomingEdges, null); return; }
    if (!incoming.some((n) => knownIds.current.has(n.id))) {
      knownIds.current = new Set();
      setNodes([]);
      setEdges([]);
    }
    setLaying(incoming.length);
    const started = performance.now();
    layoutGraph(incoming, incomingEdges, nodeSize).then(({ positions, cached }) => {
      if (!mounted.current || mine !== ticket.current) return;  // a newer graph or request came
      const ms = performance.now() - started;
      sessionStorage.setItem(storageKey, nonce);
      setLaying(0);
      show(incoming.map((n) => (positions[n.id] ? { ...n, position: positions[n.id] } : n)), incomingEdges, "all");
      // For tests/benchmarks/bench_canvas.py.
      window.__wfcLastLayout = { ms, cached, nodes: incoming.length, startedAt: started };
      window.__wfcLastLayoutMs = ms;
      const report = onLayoutRef.current;
      if (report) report(incoming.filter((n) => positions[n.id]).map((n) => ({ id: n.id, ...positions[n.id] })));
    }, (error) => {
      if (!mounted.current || mine !== ticket.current) return;
      console.warn("layout failed", error);
      failedNonce.current = nonce;
      setLaying(0);
      show(incoming, incomingEdges, null);
    });
  }, [serverNodes, serverEdges, layoutNonce, storageKey, show, setNodes, setEdges]);

  return { nodes, edges, onNodesChange, onEdgesChange, laying };
}

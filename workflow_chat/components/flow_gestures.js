// The editing gestures, each turned into ONE event for the server: a drag when it stops, a
// connection, a deletion, a palette drop. Nothing is added, moved or removed for good locally;
// the server answers with the new graph.
import { useCallback, useRef } from "react";
import { useReactFlow } from "@xyflow/react";
import { NODE_WIDTH } from "./flow_geometry.js";

// The palette (node_palette.py) puts the kind's name under this type when a drag starts.
const KIND_MIME = "application/x-workflow-kind";

// React Flow's handler props for FlowCanvas's events (see flow_canvas.py for their payloads).
export function useGestures({ editable, onNodeDragStop, onConnect, onDelete, onNodeClick, onSelectionChange, onDropKind }) {
  const { getNode, screenToFlowPosition } = useReactFlow();
  const lastSelection = useRef("");

  const dragStop = useCallback((_event, _node, dragged) => {
    if (onNodeDragStop && dragged?.length) {
      onNodeDragStop(dragged.map((n) => ({ id: n.id, x: Math.round(n.position.x), y: Math.round(n.position.y) })));
    }
  }, [onNodeDragStop]);
  // What React Flow can judge alone; cycles and duplicates are the server's to refuse.
  const validConnection = useCallback(
    (c) => c.source !== c.target && getNode(c.target)?.data?.category !== "trigger", [getNode]);
  const connect = useCallback((c) => {
    const branch = c.sourceHandle === "true" || c.sourceHandle === "false" ? c.sourceHandle : null;
    if (onConnect) onConnect({ source: c.source, target: c.target, branch });
  }, [onConnect]);
  // Delete/Backspace: ask the server instead of deleting locally. Edges of deleted nodes are
  // left out: removing a node removes (and bridges) its edges.
  const beforeDelete = useCallback(async ({ nodes: doomed, edges: cut }) => {
    const gone = new Set(doomed.map((n) => n.id));
    const edgeIds = cut.filter((e) => !gone.has(e.source) && !gone.has(e.target)).map((e) => e.id);
    if (onDelete && (gone.size || edgeIds.length)) onDelete({ nodes: [...gone], edges: edgeIds });
    return false;
  }, [onDelete]);
  const nodeClick = useCallback((_event, node) => { if (onNodeClick) onNodeClick(node.id); }, [onNodeClick]);
  // React Flow reports a selection again on every node update: send only real changes.
  const selectionChange = useCallback(({ nodes: picked }) => {
    const ids = picked.map((n) => n.id);
    if (ids.join("\n") === lastSelection.current) return;
    lastSelection.current = ids.join("\n");
    if (onSelectionChange) onSelectionChange(ids);
  }, [onSelectionChange]);
  const dragOver = useCallback((e) => {
    if (!editable || !e.dataTransfer.types.includes(KIND_MIME)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = "copy";
  }, [editable]);
  const drop = useCallback((e) => {
    const kind = e.dataTransfer.getData(KIND_MIME);
    if (!kind) return;
    e.preventDefault();
    const p = screenToFlowPosition({ x: e.clientX, y: e.clientY });  // the card centred under it
    if (onDropKind) onDropKind({ kind, x: Math.round(p.x - NODE_WIDTH / 2), y: Math.round(p.y - 30) });
  }, [onDropKind, screenToFlowPosition]);

  return {
    onNodeDragStop: dragStop, isValidConnection: validConnection, onConnect: connect,
    onBeforeDelete: beforeDelete, onNodeClick: nodeClick, onSelectionChange: selectionChange,
    onDragOver: dragOver, onDrop: drop,
  };
}

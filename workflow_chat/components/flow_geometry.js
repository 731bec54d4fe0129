// What the canvas knows about a card without drawing it: its fixed size, where its handles are,
// its colours and the zoom levels at which it is drawn more simply. Shared by the node component,
// the styles, the merge of server updates and the layout (shared assets of flow_canvas.py).

export const EDGE_COLOUR = "#94a3b8";
export const BRANCH_COLOURS = { true: "#15803d", false: "#b91c1c" };

// Every card has a fixed size (flow_styles.js), so the canvas knows it before React Flow measures
// anything: elk lays a graph out before its first paint, and off-screen nodes need no measuring.
export const NODE_WIDTH = 280;
export const NODE_HEIGHT = 78;
export const BRANCHING_HEIGHT = 90;  // room for the branch names under the card
export const nodeSize = (data) => ({
  width: NODE_WIDTH, height: (data?.branches || []).length ? BRANCHING_HEIGHT : NODE_HEIGHT,
});

// Where React Flow will find the handles (the CSS: 12 px boxes, border included, centred on the
// card's top or bottom edge, placed within its 1 px border), so edges are drawn and off-screen
// nodes skipped without measuring any node. Check them against the DOM after a CSS change: React
// Flow never re-measures a node whose size it was given.
export function nodeHandles(data) {
  const { width, height } = nodeSize(data);
  const inner = width - 2;
  const branches = data?.branches || [];
  const box = (id, type, position, cx, cy) => ({ id, type, position, x: cx - 6, y: cy - 6, width: 12, height: 12 });
  const handles = [];
  if (data?.category !== "trigger") handles.push(box(null, "target", "top", 1 + inner / 2, 1));
  if (!branches.length) handles.push(box(null, "source", "bottom", 1 + inner / 2, height - 1));
  branches.forEach((b, i) => {
    handles.push(box(b, "source", "bottom", 1 + (inner * (i + 1)) / (branches.length + 1), height - 1));
  });
  return handles;
}

// Zoom levels under which React Flow's element gets .wfc-lod-compact (the label alone, large
// enough to read) and .wfc-lod-box (a tinted box): cheaper to draw, and tiny text is unreadable.
export const COMPACT_UNDER = 0.45;
export const BOX_UNDER = 0.25;
// Store selectors: components using them re-render only when the zoom crosses a threshold.
export const boxedOf = (s) => s.transform[2] < BOX_UNDER;
export const lodOf = (s) => {
  const zoom = s.transform[2];
  return zoom < BOX_UNDER ? "box" : zoom < COMPACT_UNDER ? "compact" : "full";
};

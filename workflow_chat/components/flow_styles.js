// The canvas's styles, in one string that FlowCanvas puts in a <style> element (no CSS file to
// ship beside the JSX). Sizes come from flow_geometry.js, which the layout and React Flow trust.
import { BRANCHING_HEIGHT, NODE_HEIGHT, NODE_WIDTH } from "./flow_geometry.js";

export const CSS = `
.wfc-root { width: 100%; height: 100%; position: relative; background: #f8fafc; }
.wfc-node { width: ${NODE_WIDTH}px; height: ${NODE_HEIGHT}px; box-sizing: border-box; display: flex; gap: 12px; align-items: center;
  padding: 12px 14px 12px 16px; background: #fff; border: 1px solid #e2e8f0; border-radius: 12px;
  box-shadow: 0 1px 2px rgba(15,23,42,.06), 0 4px 14px rgba(15,23,42,.06); position: relative;
  font-family: inherit; color: #0f172a; transition: box-shadow .15s, border-color .15s; }
.wfc-node::before { content: ""; position: absolute; left: -1px; top: -1px; bottom: -1px; width: 5px;
  border-radius: 12px 0 0 12px; background: var(--wfc-c); }
.wfc-node:hover { box-shadow: 0 2px 4px rgba(15,23,42,.08), 0 8px 24px rgba(15,23,42,.10); }
.react-flow__node.selected .wfc-node { border-color: #4f46e5;
  box-shadow: 0 0 0 2px #4f46e5, 0 0 0 6px rgba(79,70,229,.16), 0 8px 24px rgba(15,23,42,.12); }
.wfc-node.wfc-branching { height: ${BRANCHING_HEIGHT}px; padding-bottom: 24px; }
.wfc-node.wfc-highlighted { box-shadow: 0 0 0 3px color-mix(in srgb, var(--wfc-c) 35%, transparent),
  0 8px 24px rgba(15,23,42,.12); animation: wfc-pulse 1.6s ease-out 2; }
.wfc-node.wfc-invalid { border-color: #dc2626; background: #fff7f7;
  box-shadow: 0 0 0 1.5px #dc2626, 0 4px 14px rgba(220,38,38,.12); }
.react-flow__node.selected .wfc-node.wfc-invalid { box-shadow: 0 0 0 2px #dc2626, 0 0 0 6px rgba(79,70,229,.22); }
@keyframes wfc-pulse { 0% { transform: scale(1); } 15% { transform: scale(1.03); } 30% { transform: scale(1); } }
.wfc-icon { flex: none; width: 36px; height: 36px; border-radius: 10px; display: grid; place-items: center;
  color: var(--wfc-c); background: color-mix(in srgb, var(--wfc-c) 12%, #fff); }
.wfc-body { min-width: 0; flex: 1; line-height: 1.3; }
.wfc-kind { font-size: 11px; font-weight: 600; letter-spacing: .04em; text-transform: uppercase; color: var(--wfc-c); }
.wfc-label { font-size: 14px; font-weight: 650; margin-top: 1px; }
.wfc-summary { font-size: 12.5px; color: #64748b; margin-top: 2px; }
.wfc-label, .wfc-summary { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.wfc-flags { position: absolute; top: 7px; right: 9px; display: flex; gap: 6px; align-items: center; }
.wfc-problem { color: #dc2626; display: grid; cursor: help; }
.wfc-status { width: 9px; height: 9px; border-radius: 50%; background: #cbd5e1; }
.wfc-status-running { background: #2563eb; animation: wfc-blink 1s ease-in-out infinite; }
.wfc-status-succeeded { background: #16a34a; }
.wfc-status-failed { background: #dc2626; }
.wfc-status-skipped { background: transparent; border: 1.5px dashed #94a3b8; }
.wfc-status-cancelled { background: #f59e0b; }
@keyframes wfc-blink { 50% { opacity: .35; } }
.wfc-node .react-flow__handle { width: 12px; height: 12px; min-width: 0; min-height: 0;
  background: #fff; border: 2px solid #94a3b8; transition: transform .1s, background .1s; }
.wfc-node .react-flow__handle.connectingto, .wfc-node .react-flow__handle:hover {
  transform: translate(-50%, 50%) scale(1.3); background: #4f46e5; border-color: #4f46e5; }
.wfc-node .react-flow__handle-top.connectingto, .wfc-node .react-flow__handle-top:hover {
  transform: translate(-50%, -50%) scale(1.3); }
.wfc-readonly .wfc-node .react-flow__handle { opacity: 0; }
.wfc-readonly .wfc-node.wfc-branching .react-flow__handle-bottom { opacity: 1; }
.wfc-branch { position: absolute; bottom: 6px; transform: translateX(-50%); font-size: 10.5px;
  font-weight: 600; letter-spacing: .03em; text-transform: uppercase; }
.wfc-root .react-flow__edge-textbg { fill: #fff; }
.wfc-root .react-flow__edge.selected .react-flow__edge-path { stroke: #4f46e5 !important; stroke-width: 2.4 !important; }
.wfc-root .react-flow__minimap { border-radius: 8px; overflow: hidden; box-shadow: 0 1px 4px rgba(15,23,42,.12); }
.wfc-root .react-flow__controls { border-radius: 8px; overflow: hidden; box-shadow: 0 1px 4px rgba(15,23,42,.12); }
.wfc-drop-hint { outline: 2px dashed #4f46e5; outline-offset: -6px; }
.react-flow__viewport.wfc-moving { will-change: transform; }
.wfc-dots { position: absolute; left: 0; top: 0; width: calc(100% + 120px); height: calc(100% + 120px);
  z-index: -1; pointer-events: none; will-change: transform; }
.wfc-lod-compact .wfc-node, .wfc-lod-box .wfc-node { box-shadow: none; transition: none; }
.wfc-lod-compact .wfc-icon, .wfc-lod-compact .wfc-kind, .wfc-lod-compact .wfc-summary,
.wfc-lod-compact .wfc-branch { display: none; }
.wfc-lod-compact .wfc-label { font-size: 27px; font-weight: 700; margin: 0; }
.wfc-lod-box .wfc-icon, .wfc-lod-box .wfc-body, .wfc-lod-box .wfc-branch { display: none; }
.wfc-lod-box .wfc-node .react-flow__handle { visibility: hidden; }  /* in the DOM for React Flow (flow_node.jsx) */
.wfc-lod-box .wfc-node { background: color-mix(in srgb, var(--wfc-c) 22%, #fff); border-color: var(--wfc-c); }
.wfc-lod-compact .wfc-flags, .wfc-lod-box .wfc-flags { top: 10px; right: 10px; gap: 10px; }
.wfc-lod-compact .wfc-status, .wfc-lod-box .wfc-status { width: 28px; height: 28px; }
.wfc-lod-compact .wfc-problem svg, .wfc-lod-box .wfc-problem svg { width: 30px; height: 30px; }
.wfc-lod-compact .react-flow__node.selected .wfc-node, .wfc-lod-box .react-flow__node.selected .wfc-node {
  box-shadow: 0 0 0 8px #4f46e5; }
.wfc-lod-compact .wfc-node.wfc-invalid, .wfc-lod-box .wfc-node.wfc-invalid { box-shadow: 0 0 0 6px #dc2626; }
.wfc-busy { position: absolute; top: 14px; left: 50%; transform: translateX(-50%); z-index: 5;
  pointer-events: none; padding: 6px 12px; border-radius: 999px; background: #fff; color: #475569;
  font-size: 12.5px; box-shadow: 0 1px 4px rgba(15,23,42,.12); }
`;

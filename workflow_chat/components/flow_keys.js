// Keyboard shortcuts of the canvas that React Flow has none for (it handles Delete itself).
import { useEffect } from "react";

const typing = (t) => t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));

// Ctrl/Cmd+Z undoes, Ctrl/Cmd+Shift+Z or Ctrl+Y redoes, Ctrl/Cmd+D duplicates the one selected
// node; never while typing in a field (the browser's own text undo belongs there).
export function useEditorKeys({ onUndo, onRedo, onDuplicate, getNodes }) {
  useEffect(() => {
    const onKey = (e) => {
      if (!(e.ctrlKey || e.metaKey) || typing(e.target)) return;
      const key = e.key.toLowerCase();
      if (key === "d") {
        const selected = getNodes().filter((n) => n.selected);
        if (selected.length !== 1) return;
        e.preventDefault();  // the browser would bookmark the page
        if (onDuplicate) onDuplicate(selected[0].id);
        return;
      }
      if (key !== "z" && key !== "y") return;
      e.preventDefault();
      if ((key === "z" && e.shiftKey) || key === "y") { if (onRedo) onRedo(); } else if (onUndo) onUndo();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onUndo, onRedo, onDuplicate, getNodes]);
}

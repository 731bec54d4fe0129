"""Applies the user's saved theme (ThemeState.theme) to Reflex's colour mode whenever it is
loaded or changed. It renders nothing; place it once on each signed-in page.

Reflex's colour mode lives in the browser (a React context backed by localStorage), and its
setter cannot be called from a backend event: an effect in the page calls it instead.
"""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var, VarData
from reflex_base.style import _color_mode_var  # the hook rx.set_color_mode uses (reflex 0.10.1)
from reflex_base.constants.base import ColorMode

from workflow_chat.state.settings import ThemeState


class ThemeSync(rx.Fragment):
    def add_hooks(self) -> list[str | Var]:
        theme = ThemeState.theme
        setter = _color_mode_var(_js_expr=ColorMode.SET)
        effect = (f"useEffect(() => {{ if (['light', 'dark', 'system'].includes({theme})) "
                  f"{setter}({theme}); }}, [{theme}]);")
        return [Var(_js_expr=effect, _var_data=VarData.merge(theme._get_all_var_data(),
                                                              setter._get_all_var_data(),
                                                              VarData(imports={"react": ["useEffect"]})))]


def theme_sync() -> rx.Component:
    return ThemeSync.create()

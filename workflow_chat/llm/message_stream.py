"""Read the "message" string out of a JSON answer while it is still arriving.

The model streams one JSON object; the chat wants to show its "message" token by token, long
before the object (and the graph after it) is complete. `MessageReader` scans each chunk once,
tracking just enough JSON structure to find the top-level "message" key, and decodes the string
value as it grows, including escapes split across chunks (`\\` | `n`, `\\u00` | `e9`, and
surrogate pairs).
"""

from __future__ import annotations

_SIMPLE_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r",
                   "t": "\t"}


class MessageReader:
    """Feed raw chunks with `feed`; `text` is the message decoded so far.

    Anything before the first `{` (a ```json fence, whitespace) is skipped. Only a "message" key
    of the outermost object counts; a "message" inside the graph is ignored.
    """

    def __init__(self) -> None:
        self.text = ""
        self.done = False  # the message string has closed
        self._depth = 0
        self._in_string = False
        self._escape = ""  # pending escape: "\\", or "\\u" plus up to 4 hex digits
        self._high_surrogate = ""
        self._expect_key = False
        self._key: list[str] | None = None  # characters of the top-level key being read
        self._last_key = ""
        self._capturing = False  # inside the message string's value

    def feed(self, chunk: str) -> bool:
        """Consume `chunk`; True when `text` grew."""
        before = len(self.text)
        out: list[str] = []
        for char in chunk:
            if self._in_string:
                self._string_char(char, out)
            else:
                self._structure_char(char)
        if out:
            self.text += "".join(out)
        return len(self.text) != before

    def _structure_char(self, char: str) -> None:
        if char == '"':
            self._in_string = True
            at_top = self._depth == 1
            if at_top and self._expect_key:
                self._key = []
            elif at_top and self._last_key == "message" and not self.done:
                self._capturing = True
        elif char in "{[":
            self._depth += 1
            self._expect_key = char == "{" and self._depth == 1
        elif char in "}]":
            self._depth -= 1
        elif char == "," and self._depth == 1:
            self._expect_key, self._last_key = True, ""
        elif char == ":" and self._depth == 1:
            self._expect_key = False
        elif self._depth == 1 and not char.isspace():
            self._last_key = ""  # a non-string value (null, number): not a message

    def _string_char(self, char: str, out: list[str]) -> None:
        if self._escape:
            self._escape_char(char, out)
        elif char == "\\":
            self._escape = "\\"
        elif char == '"':
            self._close_string()
        else:
            self._emit(char, out)

    def _close_string(self) -> None:
        self._in_string = False
        if self._key is not None:
            self._last_key, self._key = "".join(self._key), None
        elif self._capturing:
            self._capturing, self.done = False, True
            self._last_key = ""

    def _escape_char(self, char: str, out: list[str]) -> None:
        if self._escape == "\\":
            if char == "u":
                self._escape = "\\u"
            else:
                self._escape = ""
                self._emit(_SIMPLE_ESCAPES.get(char, char), out)
            return
        self._escape += char
        if len(self._escape) < 6:  # "\\u" + 4 hex digits
            return
        digits, self._escape = self._escape[2:], ""
        try:
            code = int(digits, 16)
        except ValueError:
            return  # invalid escape: the final json.loads reports it; show nothing
        self._emit(chr(code), out)

    def _emit(self, char: str, out: list[str]) -> None:
        if self._key is not None:
            self._key.append(char)
            return
        if not self._capturing:
            return
        code = ord(char)
        if 0xD800 <= code <= 0xDBFF:  # wait for the low half of a surrogate pair
            self._high_surrogate = char
            return
        if 0xDC00 <= code <= 0xDFFF and self._high_surrogate:
            high, self._high_surrogate = ord(self._high_surrogate), ""
            char = chr(0x10000 + ((high - 0xD800) << 10) + (code - 0xDC00))
        out.append(char)

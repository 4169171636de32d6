/// Untrusted text (names, tags, descriptions from a registry or a dataset) on its way into a page.
enum SafeText {
    /// For Mustache's `{{value}}` in a Markdown template: ASCII punctuation becomes a numeric
    /// character reference, so the text can neither open an HTML tag nor form Markdown
    /// (`[x](javascript:…)`, `*`, a table `|`), and cmark turns the references back into the
    /// characters, escaped for HTML. `/ . - :` stay as they are (paths and times read cleanly
    /// in the source; none of them can start a tag or a link on its own). Line breaks become
    /// spaces so a value stays on its line.
    static func markdownInline(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for scalar in s.unicodeScalars {
            switch scalar.value {
            case 0x0A, 0x0D, 0x09: out += " "
            case 0x00..<0x20, 0x7F: out += "\u{FFFD}"
            case 0x2D, 0x2E, 0x2F, 0x3A: out.unicodeScalars.append(scalar)
            case 0x21...0x2C, 0x3B...0x40, 0x5B...0x60, 0x7B...0x7E: out += "&#\(scalar.value);"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// For text placed directly in HTML (the layout, SVG labels).
    static func html(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for ch in s.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                if ch.value < 0x20, ch != "\n", ch != "\t" { out += "\u{FFFD}" } else { out.unicodeScalars.append(ch) }
            }
        }
        return out
    }

    /// A file name from untrusted text: lowercase letters, digits, `-`, `_` and `.` only, never
    /// starting with a dot, never empty, with a short hash when anything was changed so two
    /// different names cannot collide. `../../x` and `<script>` stay inside the site, inert.
    static func fileName(_ s: String) -> String {
        var out = ""
        var changed = false
        for ch in s.unicodeScalars {
            switch ch {
            case "a"..."z", "0"..."9", "-", "_": out.unicodeScalars.append(ch)
            case "A"..."Z":
                out += String(ch).lowercased()
                changed = true
            case "." where !out.isEmpty && !out.hasSuffix("."): out += "."
            default:
                if !out.hasSuffix("-") { out += "-" }
                changed = true
            }
        }
        out = String(out.prefix(60))
        while out.hasPrefix(".") || out.hasPrefix("-") { out.removeFirst() }
        if out.isEmpty || changed { out += (out.isEmpty ? "" : "-") + fnv(s) }
        return out
    }

    /// FNV-1a, 32 bits in hex: stable across runs and platforms, unlike `hashValue`.
    static func fnv(_ s: String) -> String {
        var h: UInt32 = 2_166_136_261
        for b in s.utf8 {
            h ^= UInt32(b)
            h = h &* 16_777_619
        }
        let hex = String(h, radix: 16)
        return String(repeating: "0", count: 8 - hex.count) + hex
    }
}

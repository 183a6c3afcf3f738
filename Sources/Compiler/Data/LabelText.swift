/// What a class label may be: labels are printed one per line by `fnc predict`
/// and stored in blobs, so they are data, never control.
public enum LabelText {
    /// Non-empty, and no C0/C1 control character or DEL (newline, NUL, ESC…).
    public static func isAcceptable(_ label: String) -> Bool {
        !label.isEmpty && !label.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }
    }
}

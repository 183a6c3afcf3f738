/// The toolkit's version (semantic versioning; see CHANGELOG.md). Generated
/// kernels name it in their banner; `fnc --version` prints it.
public enum FixedNetVersion {
    public static let current = "0.3.0"
}

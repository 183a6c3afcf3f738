/// Public entry points check their arguments with these, so that a misuse traps
/// with a message naming the sizes involved, in release builds too (`precondition`
/// drops its message under -O). Embedded builds trap with the static text only.
@usableFromInline @inline(never)
func apiMisuse(_ what: StaticString, expected: Int, actual: Int) -> Never {
    #if hasFeature(Embedded)
    fatalError(what)
    #else
    fatalError("\(what): expected \(expected), got \(actual)")
    #endif
}

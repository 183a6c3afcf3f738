/// The model identity: a SHA-256 digest of what the blob computes.
///
/// What each hash promises (docs/blob-format.md, "Checksum, model hash and identity"):
/// - the checksum (64-bit, checked at load) catches corruption: any change confined
///   to one 64-bit word, every single-bit flip, every truncation;
/// - the model hash (64-bit, checked at load) is a fast name for the content, but a
///   deliberate edit can keep it (each step is invertible);
/// - the identity (SHA-256, computed on request: `bind`, `fnc inspect`,
///   `fnc predict --verify`) is collision-resistant: a blob with the same identity
///   is the same model. It is not a signature: whoever can write the blob can
///   store a new identity too, so compare it with one you trust (a generated
///   kernel carries its own).
extension Model {
    /// The range the identity covers: from the element-type byte (24) to the
    /// identity section, or to the checksum when the blob has no section.
    var identityRange: (start: Int, end: Int) {
        (BlobFormat.Header.elementType, identityOffset != 0 ? identityOffset : byteCount - BlobFormat.checksumSize)
    }

    /// SHA-256 of the blob's content (`identityRange`): defined for every blob, v1 included.
    /// Reads the whole blob once; allocates nothing.
    public func computeIdentity() -> SHA256Digest {
        let (start, end) = identityRange
        return SHA256.digest(unsafeBlobPointer + start, count: end - start)
    }

    /// The identity stored in the blob, nil when it has none.
    public var storedIdentity: SHA256Digest? {
        guard identityOffset != 0 else { return nil }
        var w = SIMD8<UInt32>()
        for i in 0..<8 {
            let o = identityOffset + 4 * i
            w[i] = UInt32(reader.u8(o)) << 24 | UInt32(reader.u8(o + 1)) << 16 | UInt32(reader.u8(o + 2)) << 8 | UInt32(reader.u8(o + 3))
        }
        return SHA256Digest(words: w)
    }
}

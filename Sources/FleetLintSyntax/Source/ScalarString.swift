extension String {
    /// The string of `scalars`: what `String(String.UnicodeScalarView(scalars))` gives, built in one allocation from
    /// their UTF-8 bytes. The view's initializer appends scalar by scalar (~100 instructions each): the requirements
    /// parser, which works on scalar arrays, spent a third of its time there.
    @inlinable
    public init<C: Collection>(scalars: C) where C.Element == Unicode.Scalar {
        // The exact UTF-8 length first: the string keeps the capacity it is made with, and parsed requirements live
        // until the run ends.
        var n = 0
        for c in scalars { n &+= UTF8.width(c) }
        if n == 0 { self = ""; return }
        self = String(unsafeUninitializedCapacity: n) { buf in
            var k = 0
            for c in scalars {
                for byte in c.utf8 { buf[k] = byte; k &+= 1 }
            }
            return k
        }
    }
}

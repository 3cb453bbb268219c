extension String {
    /// The string of `scalars`: what `String(String.UnicodeScalarView(scalars))` gives, built in one allocation from
    /// their UTF-8 bytes. The view's initializer appends scalar by scalar (~100 instructions each): the requirements
    /// parser, which works on scalar arrays, spent a third of its time there.
    @inlinable
    public init<C: Collection>(scalars: C) where C.Element == Unicode.Scalar {
        // The exact UTF-8 length first: the string keeps the capacity it is made with, and parsed requirements live
        // until the run ends.
        var n = 0
        for c in scalars {
            let v = c.value
            n &+= v < 0x80 ? 1 : v < 0x800 ? 2 : v < 0x1_0000 ? 3 : 4
        }
        if n == 0 { self = ""; return }
        self = String(unsafeUninitializedCapacity: n) { buf in
            var k = 0
            for c in scalars {
                let v = c.value
                if v < 0x80 {
                    buf[k] = UInt8(truncatingIfNeeded: v); k &+= 1
                } else if v < 0x800 {
                    buf[k] = UInt8(truncatingIfNeeded: 0xC0 | v >> 6)
                    buf[k &+ 1] = UInt8(truncatingIfNeeded: 0x80 | v & 0x3F); k &+= 2
                } else if v < 0x1_0000 {
                    buf[k] = UInt8(truncatingIfNeeded: 0xE0 | v >> 12)
                    buf[k &+ 1] = UInt8(truncatingIfNeeded: 0x80 | v >> 6 & 0x3F)
                    buf[k &+ 2] = UInt8(truncatingIfNeeded: 0x80 | v & 0x3F); k &+= 3
                } else {
                    buf[k] = UInt8(truncatingIfNeeded: 0xF0 | v >> 18)
                    buf[k &+ 1] = UInt8(truncatingIfNeeded: 0x80 | v >> 12 & 0x3F)
                    buf[k &+ 2] = UInt8(truncatingIfNeeded: 0x80 | v >> 6 & 0x3F)
                    buf[k &+ 3] = UInt8(truncatingIfNeeded: 0x80 | v & 0x3F); k &+= 4
                }
            }
            return k
        }
    }
}

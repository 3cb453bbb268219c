extension Array {
    /// Drops the room an array grown by appending keeps for more (up to its count again): a copy of exact size when
    /// there is any. For arrays that outlive their building by a whole phase (parsed documents, a unit's requirements).
    public mutating func trimCapacity() {
        if capacity > count { self = withUnsafeBufferPointer { Array($0) } }
    }
}

import Foundation

/// A bounded hand-off from one producer thread to one consumer, in order.
///
/// Parsing and storing are each a large share of a pass over a file (predictions, a history
/// export); a thread that parses ahead while the caller stores uses the second core without
/// changing the order anything is seen in. The bound keeps memory at a few blocks whatever the
/// file's size, and `cancel` lets a consumer that stopped early release a blocked producer.
public final class Handoff<Element: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var queue: [Element] = []
    private var closed = false
    private var cancelled = false
    private let capacity: Int

    public init(capacity: Int = 4) { self.capacity = capacity }

    /// Waits for room. Returns false when the consumer has gone away, so the producer can stop.
    public func send(_ element: Element) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while queue.count >= capacity, !cancelled { condition.wait() }
        if cancelled { return false }
        queue.append(element)
        condition.broadcast()
        return true
    }

    /// Called by the producer when it has sent everything it will.
    public func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    /// The next element, or nil once the producer has closed the hand-off and it is drained.
    public func receive() -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while queue.isEmpty, !closed { condition.wait() }
        guard !queue.isEmpty else { return nil }
        let element = queue.removeFirst()
        condition.broadcast()
        return element
    }

    /// Whether the consumer has gone away: a producer between sends can stop early.
    public var isCancelled: Bool {
        condition.lock()
        defer { condition.unlock() }
        return cancelled
    }

    /// Drops what is queued and refuses what the producer sends from now on.
    public func cancel() {
        condition.lock()
        cancelled = true
        queue.removeAll()
        condition.broadcast()
        condition.unlock()
    }

    /// Waits until the producer has closed the hand-off, so that nothing it holds (a file, the
    /// standard input) outlives the consumer's call.
    public func waitUntilClosed() {
        condition.lock()
        while !closed { condition.wait() }
        condition.unlock()
    }
}

import Foundation

/// Joins a predictions file to the dataset by id.
///
/// A background thread parses the file into blocks (`PredictionBlocks.swift`). The join
/// starts in lockstep: while both files list the same ids in the same order, each prediction
/// is taken exactly when its dataset row is, in constant memory. At the first id that does
/// not line up it loads the rest of the file into a hash table and carries on.
final class PredictionJoin: PredictionStream {
    let layout: PredictionLayout
    let path: String
    private let dataset: DatasetSpec
    private let width: Int
    private let channel = Handoff<PredictionBlock>()

    private var block = PredictionBlock()
    private var row = 0
    private var exhausted = false
    private var hashed: HashedPredictions?
    private var current: UnsafeMutableBufferPointer<Double>

    var joinStrategy: String { hashed == nil ? "lockstep" : "hash" }
    private(set) var sha256: String?
    /// Set by a live scorer whose scores this file holds.
    var scoring: ScoringReport?

    init(path: String, dataset: DatasetSpec, namedAt origin: SourceLocation? = nil) throws(TollgateError) {
        let reader = try TabularReaders.open(path, hashing: true, kind: .predictions, namedAt: origin, key: "predictions")
        let parser = try PredictionParser(reader: reader, dataset: dataset)
        self.path = path
        self.dataset = dataset
        layout = parser.layout
        width = parser.width
        current = .allocate(capacity: width)
        let handOff = UncheckedBox(reader)
        let channel = self.channel
        let thread = Thread { Self.produce(handOff.value, parser, channel) }
        thread.stackSize = 1 << 20
        thread.start()
        try advance()
        if exhausted {
            throw TollgateError(.predictions, at: SourceLocation(file: path, line: 2), "the predictions file has a header but no rows")
        }
    }

    deinit {
        channel.cancel()
        current.deallocate()
    }

    /// Runs on the parsing thread: reads every record into blocks until the end or an error.
    private static func produce<Reader: TabularReader>(_ reader: Reader, _ parser: PredictionParser, _ channel: Handoff<PredictionBlock>) {
        let blockRows = 16_384
        let slot = UnsafeMutableBufferPointer<Double>.allocate(capacity: parser.width)
        defer {
            slot.deallocate()
            channel.close()
        }
        var block = PredictionBlock()
        do throws(TollgateError) {
            while try reader.next() {
                try parser.parse(reader, into: slot)
                block.idBytes.append(contentsOf: reader.field(parser.idIndex))
                block.idEnds.append(block.idBytes.count)
                block.values.append(contentsOf: slot)
                block.lines.append(reader.line)
                if block.count == blockRows {
                    guard channel.send(block) else { return }
                    block = PredictionBlock()
                }
            }
            block.digest = reader.finalizeDigest()
        } catch {
            block.error = error
        }
        _ = channel.send(block)
    }

    /// Moves to the next row, fetching the next block when this one is used up.
    private func advance() throws(TollgateError) {
        row += 1
        while row >= block.count {
            if let error = block.error { throw error }
            if let digest = block.digest { sha256 = digest }
            guard let next = channel.receive() else {
                exhausted = true
                return
            }
            block = next
            row = 0
        }
    }

    func prediction(forID id: UnsafeRawBufferPointer, at location: @autoclosure () -> SourceLocation) throws(TollgateError) -> UnsafeBufferPointer<Double>? {
        if hashed == nil {
            if !exhausted, block.id(row).elementsEqual(id) {
                for k in 0..<width { current[k] = block.values[row * width + k] }
                try advance()
                return UnsafeBufferPointer(current)
            }
            try switchToHashJoin()
        }
        let key = String(decoding: id, as: UTF8.self)
        guard let found = try hashed!.take(key, at: location()) else {
            guard dataset.allowMissingIDs else {
                throw TollgateError(
                    .predictions, at: location(),
                    "no prediction for id '\(key)' in \(path) (set dataset.allow_missing_ids: true to skip such rows)")
            }
            return nil
        }
        return found
    }

    func finish(datasetContains: (String) -> Bool) throws(TollgateError) {
        if hashed == nil, !exhausted { try switchToHashJoin() }
        if let leftover = hashed?.firstUnused() {
            if datasetContains(leftover.id) {
                throw TollgateError(.predictions, at: SourceLocation(file: path, line: leftover.line), "duplicate id '\(leftover.id)' in the predictions file")
            }
            if !dataset.allowExtraIDs {
                throw TollgateError(
                    .predictions, at: SourceLocation(file: path, line: leftover.line),
                    "id '\(leftover.id)' is not in the dataset (set dataset.allow_extra_ids: true to ignore such predictions)")
            }
        }
    }

    /// Loads the current row and every later one into a table keyed by id.
    private func switchToHashJoin() throws(TollgateError) {
        let table = HashedPredictions(width: width)
        while !exhausted {
            let start = row * width
            let id = String(decoding: block.id(row), as: UTF8.self)
            try table.insert(id: id, line: block.lines[row], file: path) { slot in
                for k in 0..<width { slot[k] = block.values[start + k] }
            }
            try advance()
        }
        hashed = table
    }
}

/// Hands a value to another thread that alone will use it from then on.
struct UncheckedBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

/// Predictions held in memory for the hash join: values in one flat array, ids in a table.
final class HashedPredictions {
    private let width: Int
    private var index: [String: Int] = [:]
    private var values: [Double] = []
    private var lines: [Int] = []
    private var ids: [String] = []
    private var used: [Bool] = []
    private var scratch: UnsafeMutableBufferPointer<Double>

    init(width: Int) {
        self.width = width
        scratch = .allocate(capacity: width)
    }

    deinit { scratch.deallocate() }

    func insert(
        id: String, line: Int, file: String, fill: (UnsafeMutableBufferPointer<Double>) -> Void
    ) throws(TollgateError) {
        if let existing = index[id] {
            throw TollgateError(
                .predictions, at: SourceLocation(file: file, line: line),
                "duplicate id '\(id)' in the predictions file (first at line \(lines[existing]))")
        }
        fill(scratch)
        index[id] = ids.count
        ids.append(id)
        lines.append(line)
        used.append(false)
        values.append(contentsOf: scratch)
    }

    /// The prediction for `id`, marking it used; a second request means the dataset repeats the id.
    func take(_ id: String, at location: SourceLocation) throws(TollgateError) -> UnsafeBufferPointer<Double>? {
        guard let row = index[id] else { return nil }
        if used[row] {
            throw TollgateError(.dataset, at: location, "duplicate id '\(id)' in the dataset")
        }
        used[row] = true
        for k in 0..<width { scratch[k] = values[row * width + k] }
        return UnsafeBufferPointer(scratch)
    }

    func firstUnused() -> (id: String, line: Int)? {
        guard let row = used.firstIndex(of: false) else { return nil }
        return (ids[row], lines[row])
    }
}

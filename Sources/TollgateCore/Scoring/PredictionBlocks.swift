import Foundation

/// Parsed predictions in blocks: ids back to back, values row-major, and each row's line.
///
/// Parsing is most of the work of an evaluation pass; doing it for each predictions file on
/// its own thread, ahead of the dataset, lets the pass use every core while the join itself
/// stays a simple in-order walk.
struct PredictionBlock: Sendable {
    var idBytes: [UInt8] = []
    /// End offset of each row's id in `idBytes`.
    var idEnds: [Int] = []
    var values: [Double] = []
    var lines: [Int] = []
    /// Set on the last block when the file could not be read further.
    var error: TollgateError?
    /// sha256 of the file, on the last block of a file read to its end.
    var digest: String?

    var count: Int { idEnds.count }

    func id(_ row: Int) -> UnsafeRawBufferPointer {
        let start = row == 0 ? 0 : idEnds[row - 1]
        return idBytes.withUnsafeBytes { UnsafeRawBufferPointer(rebasing: $0[start..<idEnds[row]]) }
    }
}

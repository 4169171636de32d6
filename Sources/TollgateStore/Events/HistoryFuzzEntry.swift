import Foundation
import TollgateCore

/// The history import's fuzzing surface: one line of a JSON Lines export, decoded and
/// validated exactly as `history import` does before anything is stored.
public enum HistoryFuzzEntry {
    public static func line(_ bytes: [UInt8]) -> TollgateError? {
        let location = SourceLocation(file: FuzzEntry.file, line: 1)
        let imported = Result { () throws(TollgateError) in try HistoryEvent.decode(jsonLine: Data(bytes), at: location) }
        // The fast reader of flat lines may only read what JSONDecoder reads, and as it does.
        if bytes.withUnsafeBytes(HistoryEvent.decodeFlat) != nil {
            let reference = Result { () throws(TollgateError) in try HistoryEvent.decodeWithFoundation(jsonLine: Data(bytes), at: location) }
            precondition(imported == reference, "the flat reader and JSONDecoder differ on this line")
        }
        if case .failure(let error) = imported { return error }
        return nil
    }
}

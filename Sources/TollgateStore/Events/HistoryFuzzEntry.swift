import Foundation
import TollgateCore

/// The history import's fuzzing surface: one line of a JSON Lines export, decoded and
/// validated exactly as `history import` does before anything is stored.
public enum HistoryFuzzEntry {
    public static func line(_ bytes: [UInt8]) -> TollgateError? {
        do {
            _ = try HistoryEvent.decode(jsonLine: Data(bytes), at: SourceLocation(file: FuzzEntry.file, line: 1))
            return nil
        } catch {
            return error
        }
    }
}

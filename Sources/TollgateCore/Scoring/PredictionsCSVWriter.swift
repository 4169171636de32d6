import Foundation

/// Writes scored rows as a predictions CSV (`id,score`, `id,p_<class>…` or `id,prediction`),
/// the format `PredictionJoin` reads, so a served model's scores join the dataset exactly as a
/// predictions file's do. Numbers are written in their shortest exact form: the join reads
/// back the very doubles the server sent.
final class PredictionsCSVWriter {
    private let handle: FileHandle
    private let path: String
    private var buffer: [UInt8] = []
    private(set) var rows = 0

    init(path: String, dataset: DatasetSpec) throws(TollgateError) {
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw TollgateError(.io, at: SourceLocation(file: path), "cannot create the file")
        }
        self.handle = handle
        self.path = path
        let columns: [String] =
            switch dataset.task {
            case .binary: ["score"]
            case .multiclass: dataset.classes.map { "p_\($0)" }
            case .regression: ["prediction"]
            }
        append(field: dataset.idColumn)
        for column in columns {
            buffer.append(UInt8(ascii: ","))
            append(field: column)
        }
        buffer.append(0x0A)
        buffer.reserveCapacity(1 << 16)
    }

    deinit { try? handle.close() }

    func write(ids: [String], predictions: [[Double]]) throws(TollgateError) {
        for (id, values) in zip(ids, predictions) {
            append(field: id)
            for value in values {
                buffer.append(UInt8(ascii: ","))
                buffer.append(contentsOf: value.description.utf8)
            }
            buffer.append(0x0A)
        }
        rows += ids.count
        if buffer.count >= 1 << 16 { try flush() }
    }

    /// Writes what is buffered and closes the file.
    func close() throws(TollgateError) {
        try flush()
        do { try handle.close() } catch { throw TollgateError(.io, at: SourceLocation(file: path), "cannot close the file: \(error.localizedDescription)") }
    }

    private func flush() throws(TollgateError) {
        do {
            try handle.write(contentsOf: buffer)
        } catch {
            throw TollgateError(.io, at: SourceLocation(file: path), "cannot write the file: \(error.localizedDescription)")
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// A CSV field, quoted when it holds a comma, a quote or a line break.
    private func append(field: String) {
        guard field.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }) else {
            buffer.append(contentsOf: field.utf8)
            return
        }
        buffer.append(UInt8(ascii: "\""))
        for byte in field.utf8 {
            if byte == UInt8(ascii: "\"") { buffer.append(byte) }
            buffer.append(byte)
        }
        buffer.append(UInt8(ascii: "\""))
    }
}

/// Turns a dataset's label cell into the number accumulators take: a class index, or a value.
struct LabelDecoder {
    let task: Task
    let classes: [String]
    private let classBytes: [[UInt8]]
    private let numericClasses: [Double?]

    init(dataset: DatasetSpec) {
        task = dataset.task
        classes = dataset.classes
        classBytes = dataset.classes.map { Array($0.utf8) }
        numericClasses = dataset.classes.map { Double($0) }
    }

    func decode(_ bytes: UnsafeRawBufferPointer, column: String, at location: @autoclosure () -> SourceLocation) throws(TollgateError) -> Double {
        if task == .regression {
            guard let value = NumberParser.double(bytes), value.isFinite else {
                throw TollgateError(
                    .dataset, at: location(), "expected a finite number in label column '\(column)', found '\(String(decoding: bytes, as: UTF8.self))'")
            }
            return value
        }
        for (index, name) in classBytes.enumerated() where bytes.elementsEqual(name) { return Double(index) }
        // "1.0" for a class declared as 1: compare as numbers before giving up.
        if let value = NumberParser.double(bytes) {
            for (index, number) in numericClasses.enumerated() where number == value { return Double(index) }
        }
        let text = String(decoding: bytes, as: UTF8.self)
        throw TollgateError(
            .dataset, at: location(),
            "label '\(text)' in column '\(column)' is not one of the declared classes: \(classes.joined(separator: ", "))")
    }
}

extension CanaryEventReader {
    /// The events no earlier look has counted: each file of `source` is read from where the
    /// state's last look stopped, and the state moves on to where this read ended.
    ///
    /// - Parameter resumable: a later look will continue from the state, so a last line without
    ///   its newline may still be being written and waits for that look; without a saved state
    ///   there is no later look and such a line is read as complete.
    public static func unread(from source: String, state: inout CanaryState, resumable: Bool) throws(TollgateError) -> [CanaryEvent] {
        var events: [CanaryEvent] = []
        for file in try files(of: source) {
            let read = try read(file: file, from: state.positions[file] ?? .init(), finalLineComplete: !resumable)
            events += read.events
            state.positions[file] = read.end
        }
        return events
    }
}

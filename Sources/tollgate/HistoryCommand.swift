import ArgumentParser
import Foundation
import TollgateCore
import TollgateStore

/// `tollgate history export|import`: history as JSON Lines, to move it between stores and CI runners.
struct History: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Export or import the history as JSON Lines (one event per line).",
        subcommands: [HistoryExport.self, HistoryImport.self])
}

struct HistoryExport: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "Write every event, oldest first, as JSON Lines.")

    @OptionGroup var store: HistoryOptions

    @Option(name: [.short, .long], help: "A gate config the default history sits beside.")
    var config: String = "tollgate.yml"

    @Option(help: "Only this model's events.")
    var model: String?

    @Option(name: [.short, .long], help: ArgumentHelp("Write here instead of standard output (replaced atomically).", valueName: "file"))
    var out: String?

    func run() throws {
        let history = try store.open(besideConfig: config)
        defer { history.close() }
        let sink = try LineSink(path: out)
        var count = 0
        try history.forEachEvent(model: model) { (event: HistoryEvent) throws(TollgateError) in
            try sink.write(try event.jsonLine())
            count += 1
        }
        try sink.finish()
        if out != nil { Console.note("exported \(count) events to \(out!)") }
    }
}

struct HistoryImport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Add the events of an export; events already stored (same id) are skipped.")

    @Argument(help: ArgumentHelp("The JSON Lines file ('-' for standard input).", valueName: "file"))
    var file: String

    @OptionGroup var store: HistoryOptions

    @Option(name: [.short, .long], help: "A gate config the default history sits beside.")
    var config: String = "tollgate.yml"

    func run() throws {
        let history = try store.open(besideConfig: config)
        defer { history.close() }
        let (added, known) = try history.importLines(from: LineSource(path: file), now: .now())
        print("imported \(added) events (\(known) already recorded)")
    }
}

import ArgumentParser
import Foundation
import TollgateCore

/// The command line: thin commands that wire the libraries together.
///
/// argument-parser's own exit codes (64 for usage errors, 1 for other errors) would collide
/// with the gate's contract, where 1 means "a check failed". `main()` maps every error path
/// to 2 so no mistake can pass for a decision.
@main
struct Tollgate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tollgate",
        abstract: "Decide whether a model version may be promoted.",
        discussion: """
            Runs continuous-testing checks against candidate versions from a model registry, \
            compares them with the production champion, and exits with a code CI can gate on.

            EXIT CODES
              0  pass: every blocking check passed; promotion may proceed
              1  fail: at least one blocking check failed
              2  error: the gate could not decide (bad config, malformed data, unreachable \
            registry); it fails closed and says what and where
              3  inconclusive: not enough evidence (e.g. an undefined metric); treat as no-go
            """,
        version: TollgateVersion.current,
        subcommands: [Run.self, Candidates.self, Validate.self, Record.self, Promote.self, History.self, Dora.self, Site.self, Canary.self, Serve.self]
    )

    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as TollgateError {
            Console.error(error)
            Foundation.exit(2)
        } catch let code as ExitCode {
            Foundation.exit(code.rawValue)
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                print(message)
                Foundation.exit(0)
            }
            FileHandle.standardError.write(Data((message + "\n").utf8))
            Foundation.exit(2)
        }
    }
}

/// Options every command that reads a gate config shares.
struct ConfigOptions: ParsableArguments {
    @Option(name: [.short, .long], help: "The gate config (YAML); paths inside are relative to it.")
    var config: String = "tollgate.yml"

    func load() throws(TollgateError) -> GateConfig { try GateConfig.load(path: config) }
}

enum Console {
    /// One line, whatever the input held: a quoted cell or key with a newline or another
    /// control character is shown escaped (`\n`, `\u{1b}`), so CI logs and the tests that
    /// read the message see exactly one located line.
    static func error(_ error: TollgateError) {
        var line = ""
        for scalar in "\(error)".unicodeScalars {
            switch scalar {
            case "\n": line += "\\n"
            case "\r": line += "\\r"
            case "\t": line += "\\t"
            case _ where scalar.properties.generalCategory == .control: line += "\\u{\(String(scalar.value, radix: 16))}"
            default: line.unicodeScalars.append(scalar)
            }
        }
        FileHandle.standardError.write(Data("error: \(line)\n".utf8))
    }

    static func note(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// Colour only on a terminal, and never when `NO_COLOR` is set (no-color.org).
    static func wantsColor(_ fd: Int32, disabled: Bool) -> Bool {
        !disabled && isatty(fd) == 1 && !ProcessEnvironment.noColor
    }
}

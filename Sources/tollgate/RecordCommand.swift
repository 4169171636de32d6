import ArgumentParser
import Foundation
import TollgateCore
import TollgateStore

/// `tollgate record …`: deployments, rollbacks, incidents and resolutions, from CI or by hand.
struct Record: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Record a deployment, rollback, incident or resolution in the history.",
        discussion: "Each event is checked against the registry and the history and stored in one transaction; a bad event exits 2 and changes nothing.",
        subcommands: [RecordDeployment.self, RecordRollback.self, RecordIncident.self, RecordResolve.self, RecordIncidentTracking.self])
}

/// What every `record` subcommand shares.
struct EventOptions: ParsableArguments {
    @OptionGroup var registry: RegistryOptions
    @OptionGroup var store: HistoryOptions

    @Option(help: "The model, as the registry names it.")
    var model: String

    @Option(help: ArgumentHelp("When it happened (RFC 3339, e.g. 2026-03-01T09:30:00Z).", valueName: "time"))
    var at: TimeArgument?

    @Option(help: ArgumentHelp("The event's id (default: a new UUID); recording the same id twice is a no-op.", valueName: "id"))
    var id: String?

    var eventID: String { id ?? HistoryEvent.newID() }
    var time: Instant { at?.instant ?? .now() }

    func checkModel() throws(TollgateError) -> (any Registry, RegisteredModel) {
        let registry = try registry.resolveRegistry()
        return (registry, try registry.model(model))
    }

    func record(_ event: HistoryEvent) throws {
        let history = try store.open(besideConfig: registry.config)
        defer { history.close() }
        switch try history.record(event, now: .now()) {
        case .added(let linked): print(EventText.describe(linked))
        case .known: print("already recorded: \(event.kind.rawValue) \(event.id)")
        }
    }
}

/// Options for an event that ships a version.
struct ShipOptions: ParsableArguments {
    @Option(help: "The version deployed (it must exist in the registry).")
    var version: String

    @Option(help: "Where it was deployed; only production counts for DORA.")
    var environment: String = Deployment.production

    @Option(help: ArgumentHelp("The commit that produced the version (default: the version's source commit).", valueName: "sha"))
    var commit: String?

    @Option(help: ArgumentHelp("When that commit was made (default: the version's source time).", valueName: "time"))
    var committedAt: TimeArgument?

    func deployment(_ options: EventOptions, type: Deployment.Kind, remediates: String?) throws -> Deployment {
        let (registry, model) = try options.checkModel()
        let version = try registry.version(self.version, of: model, referencedAt: SourceLocation(file: "--version"))
        return try Deployment(
            shipping: version, id: options.eventID, environment: environment, at: options.time, type: type,
            commit: commit, committedAt: committedAt?.instant, remediates: remediates, recordedAt: .now())
    }
}

struct RecordDeployment: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "deployment", abstract: "Record a version going live.")

    @OptionGroup var options: EventOptions
    @OptionGroup var ship: ShipOptions

    @Option(help: "planned, hotfix or rollback.")
    var type: Deployment.Kind = .planned

    @Option(help: ArgumentHelp("For a hotfix or rollback: the deployment it remedies (default: the latest before it).", valueName: "id"))
    var remediates: String?

    func run() throws {
        try options.record(.deployment(try ship.deployment(options, type: type, remediates: remediates)))
    }
}

struct RecordRollback: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollback", abstract: "Record putting an earlier version back; the deployment it replaces counts as failed.")

    @OptionGroup var options: EventOptions
    @OptionGroup var ship: ShipOptions

    @Option(help: ArgumentHelp("The deployment rolled back (default: the latest before this one).", valueName: "id"))
    var remediates: String?

    func run() throws {
        try options.record(.deployment(try ship.deployment(options, type: .rollback, remediates: remediates)))
    }
}

struct RecordIncident: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "incident", abstract: "Record a failure, blamed on a deployment.")

    @OptionGroup var options: EventOptions

    @Option(help: "Where it happened.")
    var environment: String = Deployment.production

    @Option(help: ArgumentHelp("The deployment to blame (default: the latest one in the environment before the incident).", valueName: "id"))
    var deployment: String?

    @Option(help: "A one-line description.")
    var summary: String?

    func run() throws {
        _ = try options.checkModel()
        try options.record(
            .incident(
                Incident(
                    id: options.eventID, model: options.model, environment: environment, at: options.time, deployment: deployment,
                    summary: summary, recordedAt: .now())))
    }
}

struct RecordResolve: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "resolve", abstract: "Record an incident's resolution.")

    @OptionGroup var options: EventOptions

    @Option(help: ArgumentHelp("The incident resolved.", valueName: "id"))
    var incident: String

    func run() throws {
        _ = try options.checkModel()
        try options.record(.resolution(Resolution(id: options.eventID, model: options.model, at: options.time, incident: incident, recordedAt: .now())))
    }
}

/// `record incident-tracking`: says a model's incidents are recorded, so DORA may grade its change
/// failure rate before the first incident arrives (a model with none recorded is not graded).
struct RecordIncidentTracking: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "incident-tracking", abstract: "Record that the model's incidents are tracked from now (or --at) on.")

    @OptionGroup var options: EventOptions

    @Option(help: "Where the incidents are tracked (a board, a pager rota).")
    var note: String?

    func run() throws {
        _ = try options.checkModel()
        try options.record(.incidentTracking(IncidentTracking(id: options.eventID, model: options.model, at: options.time, note: note, recordedAt: .now())))
    }
}

extension Deployment.Kind: ExpressibleByArgument {}

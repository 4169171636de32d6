import Testing
import TollgateCore
import TollgateTestSupport

/// `RegistryFactory`: the registry a config or an option names, with "not found" located there.
@Suite("Registry factory")
struct RegistryFactoryTests {
    @Test("a config's registry is its registry: folder, located at that line")
    func fromConfig() throws {
        let scratch = try ScratchDirectory()
        let config = try GateConfig.load(path: try GateFixture().write(to: scratch))
        let registry = try #require(config.registry() as? DirectoryRegistry)
        #expect(registry.root == config.registryPath)
        #expect(registry.location == config.registryLocation)
        #expect(try registry.model("credit").aliases == ["champion": "1", "challenger": "2"])
    }

    @Test("a folder named on the command line: a missing one is reported at the option")
    func fromOption() throws {
        let scratch = try ScratchDirectory()
        let option = TollgateCore.SourceLocation(file: "--registry")
        let registry = RegistryFactory.open(root: scratch.path("nowhere"), namedAt: option)
        #expect(throws: TollgateError(.registry, at: option, "registry not found: expected a folder at \(scratch.path("nowhere"))")) {
            try registry.model("credit")
        }
    }
}

import Foundation
import Testing
import TollgateTestSupport

@testable import TollgateCore

/// The parts of the MLflow registry that need no server: what a config's URL, a version's tags
/// and an MLmodel file turn into, and what registry text may become as a local path.
@Suite("MLflow registry parts")
struct MLflowRegistryPartsTests {
    let here = SourceLocation(file: "gate.yml", line: 2, column: 11)

    @Test("mlflow+http(s) URLs name a server; credentials come from the environment and never show")
    func endpoint() throws {
        #expect(MLflowEndpoint.names("mlflow+http://127.0.0.1:5000") && MLflowEndpoint.names("mlflow+https://mlflow.example.com"))
        #expect(!MLflowEndpoint.names("registry") && !MLflowEndpoint.names("http://127.0.0.1:5000"))
        let bearer = try MLflowEndpoint(registry: "mlflow+http://127.0.0.1:5000/", environment: ["MLFLOW_TRACKING_TOKEN": "s3cret"], at: here)
        #expect(bearer.base.absoluteString == "http://127.0.0.1:5000")
        #expect(bearer.authorization == "Bearer s3cret")
        #expect(!bearer.description.contains("s3cret"))
        let basic = try MLflowEndpoint(
            registry: "mlflow+https://host/prefix", environment: ["MLFLOW_TRACKING_USERNAME": "ann", "MLFLOW_TRACKING_PASSWORD": "pw"], at: here)
        #expect(basic.authorization == "Basic " + Data("ann:pw".utf8).base64EncodedString())
        #expect(basic.base.absoluteString == "https://host/prefix")
        #expect(throws: TollgateError.self) { try MLflowEndpoint(registry: "mlflow+http://ann:pw@host:5000", environment: [:], at: here) }
        let error = try #require(throws: TollgateError.self) { try MLflowEndpoint(registry: "mlflow+http://", environment: [:], at: here) }
        #expect(error.location == here && error.message.hasPrefix("expected an MLflow server as mlflow+http://HOST:PORT"))
    }

    @Test("tollgate.scorer: predictions:PATH inside the artifacts, http:URL, mlflow-serve, anything else malformed")
    func scorerTag() throws {
        #expect(try MLflowScorerTag(parsing: "predictions:out/predictions.csv", version: "m@1", at: here) == .predictions("out/predictions.csv"))
        #expect(try MLflowScorerTag(parsing: "mlflow-serve", version: "m@1", at: here) == .serve)
        for bad in [
            "predictions:", "predictions:/etc/passwd", "predictions:a/../../b", "http:ftp://x", "pickle:model.pkl", "predictions.csv", "mlflow-serve:x",
            "http:http://", "http:http://host/x?y=1", "http:http://host/x#y", "http:http://host/v2",
            "http:http://host/v2/models", "http:http://host/v2/models/m/ready", "http:http://host/v2/models/m/versions", "http:http://host/a//b",
            "http:http://host/v2/models/m/versions/1/x", "http:http://host:notaport"
        ] {
            let error = try #require(throws: TollgateError.self) { try MLflowScorerTag(parsing: bad, version: "m@1", at: here) }
            #expect(error.location == here && error.message.hasPrefix("malformed tollgate.scorer tag '\(bad)' on version m@1"), "\(error)")
        }
        // Credentials in a tag are refused without being repeated.
        let error = try #require(throws: TollgateError.self) { try MLflowScorerTag(parsing: "http:http://ann:pw@host:8080", version: "m@1", at: here) }
        #expect(error.message.hasPrefix("malformed tollgate.scorer tag 'http:http://host:8080' on version m@1"), "\(error)")
    }

    @Test(
        "tollgate.scorer http:URL: a base URL or …/invocations is mlflow; …/v2/models/NAME[/versions/V][/infer] is oip-v2 with that model",
        arguments: [
            ("http://127.0.0.1:8080", "http://127.0.0.1:8080", "mlflow", nil, nil),
            ("http://127.0.0.1:8080/", "http://127.0.0.1:8080", "mlflow", nil, nil),
            ("http://127.0.0.1:8080/invocations", "http://127.0.0.1:8080", "mlflow", nil, nil),
            ("https://serving.example.com/credit/invocations", "https://serving.example.com/credit", "mlflow", nil, nil),
            ("https://serving.example.com/credit", "https://serving.example.com/credit", "mlflow", nil, nil),
            ("http://127.0.0.1:8080/v2/models/credit-lr", "http://127.0.0.1:8080", "oip-v2", "credit-lr", nil),
            ("http://127.0.0.1:8080/v2/models/credit-lr/", "http://127.0.0.1:8080", "oip-v2", "credit-lr", nil),
            ("http://127.0.0.1:8080/v2/models/credit-lr/versions/3", "http://127.0.0.1:8080", "oip-v2", "credit-lr", "3"),
            ("http://127.0.0.1:8080/v2/models/credit-lr/infer", "http://127.0.0.1:8080", "oip-v2", "credit-lr", nil),
            ("https://kserve.example.com/prefix/v2/models/a%20b/versions/v1/infer", "https://kserve.example.com/prefix", "oip-v2", "a b", "v1")
        ] as [(String, String, String, String?, String?)])
    func httpScorerTag(url: String, base: String, inferenceProtocol: String, model: String?, version: String?) throws {
        let tag = try MLflowScorerTag(parsing: "http:\(url)", version: "m@1", at: here)
        let expected = MLflowScorerTag.ServedURL(
            base: base, inferenceProtocol: try #require(HTTPScorerSpec.InferenceProtocol(rawValue: inferenceProtocol)), model: model,
            modelVersion: version)
        #expect(tag == .http(expected))
    }

    @Test("mlflow: in a gate config: serve, command, env_manager, ready_timeout; unknown keys and a folder registry refused")
    func serveOptions() throws {
        func parse(_ registry: String, _ mlflow: String) throws(TollgateError) -> GateConfig {
            try GateConfig.parse(
                """
                model: credit-risk
                registry: \(registry)
                champion: "@champion"
                candidates: ["@challenger"]
                dataset: {path: eval.csv, id: id, label: risk, task: binary}
                checks:
                  accuracy: [accuracy >= 0.5]
                mlflow: \(mlflow)
                """, file: "gate.yml", baseDirectory: URL(fileURLWithPath: "/configs"))
        }
        let options = try #require(
            try parse("mlflow+http://127.0.0.1:5000", "{serve: true, command: [bin/mlflow, --quiet], env_manager: uv, ready_timeout: 3m}").mlflow)
        #expect(options.serve && options.command == ["/configs/bin/mlflow", "--quiet"] && options.envManager == "uv" && options.readyTimeout == 180)
        let defaults = try #require(try parse("mlflow+http://127.0.0.1:5000", "{serve: true}").mlflow)
        #expect(defaults.command == ["mlflow"] && defaults.envManager == "local" && defaults.readyTimeout == 120)
        let typo = try #require(throws: TollgateError.self) { try parse("mlflow+http://127.0.0.1:5000", "{serve: true, comand: [mlflow]}") }
        #expect(typo.message.contains("unknown key 'comand'") && typo.message.contains("did you mean 'command'"), "\(typo)")
        #expect(typo.location?.line == 8, "\(typo)")
        let manager = try #require(throws: TollgateError.self) { try parse("mlflow+http://127.0.0.1:5000", "{serve: true, env_manager: venv}") }
        #expect(manager.message.contains("unknown env_manager 'venv'"), "\(manager)")
        let folder = try #require(throws: TollgateError.self) { try parse("registry", "{serve: true}") }
        #expect(folder.message.contains("'mlflow' applies to an MLflow registry"), "\(folder)")
        let bare = try #require(throws: TollgateError.self) { try parse("mlflow+http://127.0.0.1:5000", "{serve: true, ready_timeout: 10}") }
        #expect(bare.message.contains("expected a duration"), "\(bare)")
    }

    @Test("names from the registry become one safe file name in the cache")
    func fileNames() {
        #expect(MLflowPaths.fileName("predictions.csv") == "predictions.csv")
        #expect(MLflowPaths.fileName("sub/dir/MODEL_CARD.md") == "MODEL_CARD.md")
        #expect(MLflowPaths.fileName("..") == "artifact")
        #expect(MLflowPaths.fileName(".hidden") == "hidden")
        #expect(MLflowPaths.fileName("a b;rm -rf $x.csv") == "a_b_rm_-rf__x.csv")
        #expect(MLflowPaths.fileName("é.csv") == "_.csv")
    }

    @Test("mlflow-artifacts: URIs map to the proxy's paths; other stores do not")
    func proxyPaths() {
        #expect(MLflowPaths.proxyPath(ofArtifactURI: "mlflow-artifacts:/1/abc/artifacts/model") == "1/abc/artifacts/model")
        #expect(MLflowPaths.proxyPath(ofArtifactURI: "mlflow-artifacts://127.0.0.1:5000/1/abc/artifacts") == "1/abc/artifacts")
        #expect(MLflowPaths.proxyPath(ofArtifactURI: "s3://bucket/1/abc") == nil)
        #expect(MLflowPaths.proxyPath(ofArtifactURI: "mlflow-artifacts:/") == nil)
    }

    @Test("the MLmodel file: the signature's columns in Tollgate's kinds, and the file the flavour loads")
    func signature() throws {
        // As MLflow 3.17.2 writes it (fixtures/mlflow/register_demo.py's MLmodel, first columns).
        let text = """
            artifact_path: model
            flavors:
              sklearn:
                pickled_model: model.skops
            signature:
              inputs: '[{"type": "string", "name": "sex", "required": true}, {"type": "long",
                "name": "job", "required": true}, {"type": "double", "name": "credit_amount",
                "required": true}, {"type": "boolean", "name": "b"}, {"type": "binary", "name": "blob"}]'
              outputs: null
            """
        let mlmodel = try MLflowMLmodel(text, file: "MLmodel")
        #expect(mlmodel.modelFile == "model.skops")
        #expect(
            mlmodel.columns == [
                SchemaColumn(name: "sex", kind: .string), SchemaColumn(name: "job", kind: .integer),
                SchemaColumn(name: "credit_amount", kind: .number), SchemaColumn(name: "b", kind: .boolean)
            ])
        let bare = try MLflowMLmodel("artifact_path: model\nflavors: {}\n", file: "MLmodel")
        #expect(bare.columns.isEmpty && bare.modelFile == nil)
    }

    @Test("a config's mlflow+ registry stays a URL; a bad one is located at its line")
    func configRegistry() throws {
        let good = "model: m\nregistry: mlflow+http://127.0.0.1:5000\nchampion: \"1\"\ncandidates: [\"2\"]\n"
        let rest = "dataset: {path: d.csv, id: id, label: y, task: binary}\nchecks: {accuracy: [accuracy >= 0.5]}\n"
        let config = try GateConfig.parse(good + rest, file: "gate.yml", baseDirectory: URL(fileURLWithPath: "/tmp"))
        #expect(config.registryPath == "mlflow+http://127.0.0.1:5000")
        #expect(config.registry() is MLflowRegistry)
        let error = try #require(throws: TollgateError.self) {
            try GateConfig.parse(
                good.replacingOccurrences(of: "127.0.0.1:5000", with: "") + rest, file: "gate.yml", baseDirectory: URL(fileURLWithPath: "/tmp"))
        }
        #expect(error.location == SourceLocation(file: "gate.yml", line: 2, column: 11), "\(error)")
    }
}

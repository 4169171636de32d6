import Foundation
import Testing
import TollgateTestSupport

@testable import TollgateCore

/// What the live scorers send to a served model and how they read its answer, byte for byte.
@Suite struct InferenceCodecTests {
    static let location = SourceLocation(file: "registry/credit/2/version.yaml", line: 9, column: 5)

    static func dataset(_ task: Task = .binary, classes: [String] = ["0", "1"], declared: [String]? = nil) -> DatasetSpec {
        var dataset = DatasetSpec(
            path: "/dev/null", displayPath: "data.csv", idColumn: "id", labelColumn: "risk", task: task,
            positive: task == .binary ? classes[1] : nil, classes: classes, location: SourceLocation(file: "gate.yml", line: 6))
        if let declared { dataset.declaredClasses = declared }
        return dataset
    }

    static func spec(_ kind: HTTPScorerSpec.InferenceProtocol = .oipV2, url: String = "http://127.0.0.1:8080") -> HTTPScorerSpec {
        var spec = HTTPScorerSpec(url: url, inferenceProtocol: kind, location: location)
        spec.model = "credit-lr"
        return spec
    }

    static let numeric = FeatureColumns([.init(name: "age", kind: .integer), .init(name: "amount", kind: .number)])
    static let batch = FeatureBatch(
        columns: ["age", "amount"], ids: ["a1", "a2"], rows: [[.integer(67), .number(1169)], [.integer(22), .null]])

    static func oip(_ spec: HTTPScorerSpec = spec(), _ dataset: DatasetSpec = dataset()) throws -> OIPv2Codec {
        try OIPv2Codec(spec: spec, dataset: dataset, features: numeric, environment: [:])
    }

    static func response(_ body: String, status: Int = 200) -> HTTPResponse {
        HTTPResponse(status: status, headers: [:], body: Data(body.utf8))
    }

    static func body(_ request: HTTPRequest) -> String { String(decoding: request.body ?? Data(), as: UTF8.self) }

    // MARK: requests

    @Test func oipV2SendsOneRowMajorTensorOfTheRowsAndTheirFeatures() throws {
        let request = try Self.oip().request(for: Self.batch)
        #expect(request.method == "POST")
        #expect(request.url.absoluteString == "http://127.0.0.1:8080/v2/models/credit-lr/infer")
        #expect(Self.body(request) == #"{"inputs":[{"name":"input-0","shape":[2,2],"datatype":"FP64","data":[67,1169.0,22,null]}]}"#)
        #expect(request.timeout == 10)
        #expect(request.headers.map(\.name) == ["Content-Type", "Accept"])
    }

    @Test func oipV2NamesTheVersionTheInputAndTheOutputTheSpecAsksFor() throws {
        var spec = Self.spec(url: "http://127.0.0.1:8080/serving/")
        spec.modelVersion = "v 1"
        spec.inputName = "features"
        spec.inputDatatype = "fp32"
        spec.output = "predict_proba"
        spec.timeout = 2.5
        let codec = try Self.oip(spec)
        let request = codec.request(for: Self.batch)
        #expect(request.url.absoluteString == "http://127.0.0.1:8080/serving/v2/models/credit-lr/versions/v%201/infer")
        #expect(
            Self.body(request)
                == #"{"inputs":[{"name":"features","shape":[2,2],"datatype":"FP32","data":[67,1169.0,22,null]}],"outputs":[{"name":"predict_proba"}]}"#)
        #expect(request.timeout == 2.5)
        #expect(
            codec.readinessURLs.map(\.absoluteString) == [
                "http://127.0.0.1:8080/serving/v2/health/ready", "http://127.0.0.1:8080/serving/v2/models/credit-lr/versions/v%201/ready"
            ])
    }

    @Test func mlflowSendsADataFrameSplitWithEachCellTypedAsItsColumn() throws {
        let codec = try MLflowCodec(spec: Self.spec(.mlflow), dataset: Self.dataset(), environment: [:])
        let batch = FeatureBatch(
            columns: ["age", "sex", "amount", "owner"], ids: ["a1", "a2"],
            rows: [[.integer(67), .string("male"), .number(0.1), .boolean(true)], [.null, .string("say \"hi\"\n\u{1}"), .number(1e-05), .boolean(false)]])
        let request = codec.request(for: batch)
        #expect(request.url.absoluteString == "http://127.0.0.1:8080/invocations")
        #expect(codec.readinessURLs.map(\.absoluteString) == ["http://127.0.0.1:8080/ping"])
        #expect(
            Self.body(request)
                == #"{"dataframe_split":{"columns":["age","sex","amount","owner"],"data":[[67,"male",0.1,true],[null,"say \"hi\"\n\u0001",1e-05,false]]}}"#)
    }

    @Test func numbersAreSentInTheirShortestExactFormAndReadBackAsTheSameDouble() throws {
        let values = [0.1, 1.0 / 3.0, Double.leastNonzeroMagnitude, 1.7976931348623157e308, -0.0, 123456789.125]
        var json = InferenceJSON()
        json.list(values) { $0.number($1) }
        let text = String(decoding: json.bytes, as: UTF8.self)
        #expect(text == "[0.1,0.3333333333333333,5e-324,1.7976931348623157e+308,-0.0,123456789.125]")
        let parsed = try JSONDecoder().decode([Double].self, from: Data(json.bytes))
        #expect(parsed.map(\.bitPattern) == values.map(\.bitPattern))
    }

    @Test func headersAreExpandedFromTheEnvironmentGivenWhenTheCodecIsMadeAndTheSpecKeepsTheReference() throws {
        var spec = Self.spec()
        spec.headers = [.init(name: "Authorization", value: "Bearer ${MODEL_TOKEN}"), .init(name: "content-type", value: "application/json; v=2")]
        let codec = try OIPv2Codec(spec: spec, dataset: Self.dataset(), features: Self.numeric, environment: ["MODEL_TOKEN": "s3cret"])
        let headers = codec.request(for: Self.batch).headers
        #expect(headers.map(\.name) == ["Accept", "Authorization", "content-type"])
        #expect(headers.first { $0.name == "Authorization" }?.value == "Bearer s3cret")
        #expect(spec.headers[0].value == "Bearer ${MODEL_TOKEN}")
        let error = try #require(throws: TollgateError.self) {
            try OIPv2Codec(spec: spec, dataset: Self.dataset(), features: Self.numeric, environment: [:])
        }
        #expect(error == TollgateError(.config, at: Self.location, "environment variable MODEL_TOKEN is not set (named by '${MODEL_TOKEN}')"))
    }

    @Test func aTensorDatatypeThatCannotCarryAFeatureColumnIsRefusedBeforeAnythingIsSent() throws {
        let features = FeatureColumns([.init(name: "age", kind: .integer), .init(name: "sex", kind: .string)])
        let error = try #require(throws: TollgateError.self) {
            try OIPv2Codec(spec: Self.spec(), dataset: Self.dataset(), features: features, environment: [:])
        }
        #expect(error.location == Self.location)
        #expect(error.message.hasPrefix("feature column 'sex' holds string values, which a FP64 tensor cannot carry"))
        var bytes = Self.spec()
        bytes.inputDatatype = "BYTES"
        #expect(throws: Never.self) { try OIPv2Codec(spec: bytes, dataset: Self.dataset(), features: features, environment: [:]) }
    }

    @Test func aURLWithoutHttpOrAHostAndAnOipModelWithoutANameAreConfigErrors() throws {
        let error = try #require(throws: TollgateError.self) { try Self.oip(Self.spec(url: "127.0.0.1:8080")) }
        #expect(error.message == "expected an http:// or https:// URL with a host for 'url', found '127.0.0.1:8080'")
        var unnamed = Self.spec()
        unnamed.model = nil
        let missing = try #require(throws: TollgateError.self) { try Self.oip(unnamed) }
        #expect(missing.message == "protocol oip-v2 needs 'model:', the served model's name")
    }

    @Test func aDisplayedEndpointHasNoUserOrPassword() {
        #expect(ServingEndpoint.display("http://user:pw@127.0.0.1:8080/x") == "http://127.0.0.1:8080/x")
        #expect(ServingEndpoint.display("http://127.0.0.1:8080") == "http://127.0.0.1:8080")
    }

    // MARK: OIP v2 responses

    @Test func aBinaryModelsProbabilityMatrixGivesThePositiveClassColumn() throws {
        let body = #"{"model_name":"credit-lr","outputs":[{"name":"predict_proba","shape":[2,2],"datatype":"FP64","data":[0.25,0.75,0.9,0.1]}]}"#
        #expect(try Self.oip().predictions(from: Self.response(body), rows: 2) == [[0.75], [0.1]])
    }

    @Test func theMatrixColumnsFollowTheClassesInTheOrderTheConfigListsThem() throws {
        // classes: [bad, good], positive: bad → the accumulators hold [good, bad]; column 0 is bad.
        let dataset = Self.dataset(classes: ["good", "bad"], declared: ["bad", "good"])
        let body = #"{"outputs":[{"name":"p","shape":[1,2],"datatype":"FP64","data":[0.8,0.2]}]}"#
        #expect(try Self.oip(Self.spec(), dataset).predictions(from: Self.response(body), rows: 1) == [[0.8]])
    }

    @Test func aSingleProbabilityPerRowIsTheScoreWhetherFlatOrOneColumn() throws {
        let flat = #"{"outputs":[{"name":"p","shape":[3],"datatype":"FP64","data":[0.5,1,0]}]}"#
        let column = #"{"outputs":[{"name":"p","shape":[3,1],"datatype":"FP64","data":[[0.5],[1],[0]]}]}"#
        #expect(try Self.oip().predictions(from: Self.response(flat), rows: 3) == [[0.5], [1], [0]])
        #expect(try Self.oip().predictions(from: Self.response(column), rows: 3) == [[0.5], [1], [0]])
    }

    @Test func theNamedOutputIsReadAndAMissingOneIsNamedWithThoseThereAre() throws {
        var spec = Self.spec()
        spec.output = "predict_proba"
        let body =
            #"{"outputs":[{"name":"predict","shape":[1],"datatype":"INT64","data":[1]},{"name":"predict_proba","shape":[1,2],"datatype":"FP64","data":[0.4,0.6]}]}"#
        #expect(try Self.oip(spec).predictions(from: Self.response(body), rows: 1) == [[0.6]])
        spec.output = "proba"
        #expect(throws: ScoreDecodeFailure.shape("no output named 'proba'; the response has: predict, predict_proba")) {
            try Self.oip(spec).predictions(from: Self.response(body), rows: 1)
        }
    }

    @Test func aMulticlassMatrixIsLaidOutInTheDatasetsClassOrder() throws {
        // Declared [own, rent, free]; the accumulators hold them sorted: free, own, rent.
        let dataset = Self.dataset(.multiclass, classes: ["free", "own", "rent"], declared: ["own", "rent", "free"])
        let body = #"{"outputs":[{"name":"p","shape":[1,3],"datatype":"FP64","data":[0.5,0.3,0.2]}]}"#
        #expect(try Self.oip(Self.spec(), dataset).predictions(from: Self.response(body), rows: 1) == [[0.2, 0.5, 0.3]])
    }

    @Test func aRegressionGivesTheValue() throws {
        let body = #"{"outputs":[{"name":"y","shape":[2,1],"datatype":"FP64","data":[1234.5,-3]}]}"#
        #expect(try Self.oip(Self.spec(), Self.dataset(.regression, classes: [])).predictions(from: Self.response(body), rows: 2) == [[1234.5], [-3]])
    }

    @Test(arguments: [
        (#"<html>502 Bad Gateway</html>"#, ScoreDecodeFailure.decode("the response is not JSON: '<html>502 Bad Gateway</html>'")),
        (#"{"error":"boom"}"#, .decode(#"expected an Open Inference Protocol response with 'outputs', found '{"error":"boom"}'"#)),
        (#"{"outputs":[{"name":"p","data":[0.1,0.2]}]}"#, .decode("output 'p' has no 'shape' list of whole numbers")),
        (#"{"outputs":[{"name":"p","shape":[2,2],"data":[0.1,0.9]}]}"#, .shape("output 'p': 'shape' [2, 2] holds 4 values but 'data' has 2")),
        (#"{"outputs":[{"name":"p","shape":[3],"data":[0.1,0.9,0.5]}]}"#, .shape("output 'p': expected 2 rows (one per row sent), found shape [3]")),
        (
            #"{"outputs":[{"name":"p","shape":[2,3],"data":[0.1,0.8,0.1,0.2,0.3,0.5]}]}"#,
            .shape("expected 2 probability columns (dataset.classes: 0, 1), found 3")
        ),
        (#"{"outputs":[{"name":"p","shape":[2],"data":[0.1,NaN]}]}"#, .shape("row 2: the prediction is NaN")),
        (#"{"outputs":[{"name":"p","shape":[2],"data":[0.1,1.5]}]}"#, .shape("row 2: expected a probability between 0 and 1, found 1.5")),
        (#"{"outputs":[{"name":"p","shape":[2,2],"data":[0.1,0.9,-0.5,1.5]}]}"#, .shape("row 2: expected probabilities between 0 and 1, found -0.5")),
        (#"{"outputs":[{"name":"p","shape":[2,2],"data":[0.1,0.9,0.5,0.6]}]}"#, .shape("row 2: class probabilities must sum to 1, these sum to 1.1")),
        (#"{"outputs":[{"name":"p","shape":[2],"datatype":"BYTES","data":["0","1"]}]}"#, .shape("output 'p': expected numbers in 'data', found a string")),
        (#"{"outputs":[]}"#, .shape("the response has no outputs")),
        (#"{"outputs":[{"name":"p","shape":[2,1,1],"data":[0.1,0.2]}]}"#, .shape("output 'p': expected a shape of [rows] or [rows, columns], found [2, 1, 1]"))
    ])
    func anOipAnswerThatIsNotOneValidPredictionPerRowIsRefusedSayingWhy(body: String, failure: ScoreDecodeFailure) throws {
        #expect(throws: failure) { try Self.oip().predictions(from: Self.response(body), rows: 2) }
    }

    // MARK: MLflow responses

    static func mlflow(_ dataset: DatasetSpec = dataset()) throws -> MLflowCodec {
        try MLflowCodec(spec: spec(.mlflow), dataset: dataset, environment: [:])
    }

    @Test func mlflowPredictionsAsNumbersListsOrObjectsGiveTheSameScores() throws {
        for body in [
            #"{"predictions": [0.75, 0.1]}"#, #"{"predictions": [[0.25, 0.75], [0.9, 0.1]]}"#,
            #"{"predictions": [{"0": 0.25, "1": 0.75}, {"1": 0.1, "0": 0.9}]}"#, #"{"predictions": [{"p_0": 0.25, "p_1": 0.75}, {"p_0": 0.9, "p_1": 0.1}]}"#,
            #"{"predictions": [{"score": 0.75}, {"score": 0.1}]}"#, #"[0.75, 0.1]"#
        ] {
            #expect(try Self.mlflow().predictions(from: Self.response(body), rows: 2) == [[0.75], [0.1]], "\(body)")
        }
    }

    @Test func mlflowMulticlassObjectsAreReadByClassName() throws {
        let dataset = Self.dataset(.multiclass, classes: ["free", "own", "rent"], declared: ["own", "rent", "free"])
        let body = #"{"predictions": [{"own": 0.5, "rent": 0.3, "free": 0.2}]}"#
        #expect(try Self.mlflow(dataset).predictions(from: Self.response(body), rows: 1) == [[0.2, 0.5, 0.3]])
    }

    @Test(arguments: [
        (#"{"predictions": [0.75]}"#, ScoreDecodeFailure.shape("expected 2 predictions (one per row sent), found 1")),
        (#"{"predictions": [[0.25, 0.75], [0.9]]}"#, .shape("row 2: expected 2 values like the first row, found 1")),
        (
            #"{"predictions": [{"yes": 0.75, "no": 0.25}, {"yes": 0.1, "no": 0.9}]}"#,
            .shape("row 1: keys no, yes do not match the classes 0, 1 (dataset.classes)")
        ),
        (#"{"predictions": ["good", "bad"]}"#, .shape("expected numbers, lists or objects in 'predictions', found a string")),
        (#"{"predictions": [0.5, NaN]}"#, .shape("row 2: the prediction is NaN")),
        (#"{"predictions": [0.5, -0.01]}"#, .shape("row 2: expected a probability between 0 and 1, found -0.01")),
        (#"{"predictions": {"0": [0.5]}}"#, .decode(#"expected {"predictions": [...]}, found '{"predictions": {"0": [0.5]}}'"#)),
        (#"{"predictions": [0.5, "x"]}"#, .shape("expected a number for every row, found a string"))
    ])
    func anMlflowAnswerThatIsNotOneValidPredictionPerRowIsRefusedSayingWhy(body: String, failure: ScoreDecodeFailure) throws {
        #expect(throws: failure) { try Self.mlflow().predictions(from: Self.response(body), rows: 2) }
    }

    @Test func aMulticlassModelThatAnswersOneValuePerRowIsRefused() throws {
        let dataset = Self.dataset(.multiclass, classes: ["free", "own", "rent"])
        #expect(throws: ScoreDecodeFailure.shape("a multiclass model must return one probability per class for each row, found a single value")) {
            try Self.mlflow(dataset).predictions(from: Self.response(#"{"predictions": [1]}"#), rows: 1)
        }
    }

    @Test func aRegressionGivesAnyFiniteValueButNotManyPerRow() throws {
        let dataset = Self.dataset(.regression, classes: [])
        #expect(try Self.mlflow(dataset).predictions(from: Self.response(#"{"predictions": [-2.5, 1e6]}"#), rows: 2) == [[-2.5], [1e6]])
        #expect(throws: ScoreDecodeFailure.shape("expected one value per row for a regression, found 2 per row")) {
            try Self.mlflow(dataset).predictions(from: Self.response(#"{"predictions": [[1, 2], [3, 4]]}"#), rows: 2)
        }
    }
}

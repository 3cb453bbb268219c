// swift-tools-version:6.0
// libFuzzer targets for fleetlint's parsers (issue 15). Build and run through `scripts/fuzz.sh`:
// the whole dependency graph is compiled with `-sanitize=fuzzer,address` so coverage reaches the parsers.
import PackageDescription

let package = Package(
    name: "fleetlint-fuzz",
    platforms: [.macOS(.v13)],
    dependencies: [.package(name: "fleetlint", path: "..")],
    targets: [
        .executableTarget(
            name: "FleetLintFuzz",
            dependencies: [
                .product(name: "FleetLintCore", package: "fleetlint"),
                .product(name: "FleetLintRules", package: "fleetlint"),
            ]
        ),
    ],
    swiftLanguageModes: [.v5]
)

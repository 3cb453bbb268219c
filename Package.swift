// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "fleetlint",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "fleetlint", targets: ["fleetlint"]),
        .library(name: "FleetLintCore", targets: ["FleetLintCore"]),
        .library(name: "FleetLintRules", targets: ["FleetLintRules"]),
        .library(name: "FleetLintProject", targets: ["FleetLintProject"]),
        .library(name: "FleetLintAdoption", targets: ["FleetLintAdoption"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/LebJe/TOMLKit", exact: "0.6.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
    ],
    targets: [
        // jemalloc, the executable's allocator on Linux (Sources/FleetLintAllocator/allocator.c says why;
        // scripts/bootstrap.sh installs libjemalloc-dev). It is linked as a shared library, which every shared
        // library of the process (glibc's own strdup, realpath and getline included) then allocates from too:
        // linked statically beside a static Swift runtime its symbols end up hidden (`--exclude-libs ALL`), so
        // glibc kept its own allocator and memory it allocated was freed by jemalloc (a crash).
        .target(
            name: "FleetLintAllocator",
            linkerSettings: [.linkedLibrary("jemalloc", .when(platforms: [.linux]))]
        ),
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        .target(
            name: "FleetLintSyntax",
            dependencies: [.product(name: "TOMLKit", package: "TOMLKit"),
                           .product(name: "HashTreeCollections", package: "swift-collections")],
            // TOMLKit extends Array/Dictionary with subscripts; without this, any file of the target
            // could silently pick them up instead of the standard ones.
            swiftSettings: [.enableUpcomingFeature("MemberImportVisibility")]
        ),
        .target(
            name: "FleetLintCore",
            dependencies: [
                "FleetLintSyntax", "CLibXML2", "CVectorscan",
                .product(name: "TOMLKit", package: "TOMLKit"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: [.enableUpcomingFeature("MemberImportVisibility")]
        ),
        .target(
            name: "FleetLintProject",
            dependencies: ["FleetLintCore", "FleetLintSyntax"],
            swiftSettings: [.enableUpcomingFeature("MemberImportVisibility")]
        ),
        // Vectorscan (Hyperscan's portable fork): the secret scanner's keyword search (KeywordFilter.swift), and the
        // engine's searches for a few words in every file (KeywordGate.swift).
        .systemLibrary(
            name: "CVectorscan",
            pkgConfig: "libhs",
            providers: [.apt(["libvectorscan-dev"])]
        ),
        .target(
            name: "FleetLintRules",
            dependencies: ["FleetLintCore", "FleetLintProject", "FleetLintSyntax", "CVectorscan", .product(name: "Yams", package: "Yams")],
            // The tables are compiled in (`BuiltInTables.swift`, made from them by scripts/data/embed_tables.py).
            exclude: ["Resources"]
        ),
        .target(
            name: "FleetLintAdoption",
            dependencies: ["FleetLintCore", "FleetLintProject", "FleetLintRules", "FleetLintSyntax"],
            swiftSettings: [.enableUpcomingFeature("MemberImportVisibility")]
        ),
        .executableTarget(
            name: "fleetlint",
            dependencies: [
                "FleetLintCore", "FleetLintProject", "FleetLintRules", "FleetLintAdoption", "FleetLintAllocator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(
            name: "TestSupport",
            dependencies: ["FleetLintCore", "FleetLintRules", "FleetLintSyntax", "CLibXML2"],
            path: "Tests/TestSupport"
        ),
        .testTarget(name: "FleetLintSyntaxTests", dependencies: ["FleetLintSyntax", "TestSupport"], exclude: ["Vectors"]),
        .testTarget(name: "FleetLintCoreTests", dependencies: ["FleetLintCore", "TestSupport"]),
        .testTarget(name: "FleetLintRulesTests", dependencies: ["FleetLintRules", "TestSupport"]),
        .testTarget(
            name: "FleetLintIntegrationTests",
            dependencies: ["FleetLintRules", "TestSupport"],
            exclude: ["Snapshots", "Schemas"]
        ),
        .testTarget(name: "FleetLintAdoptionTests", dependencies: ["FleetLintAdoption", "TestSupport"]),
        .testTarget(name: "fleetlintTests", dependencies: ["TestSupport", "fleetlint"]),
    ],
    swiftLanguageModes: [.v5]
)

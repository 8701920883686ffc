// swift-tools-version: 6.1
import PackageDescription

let package = Package(
  name: "rectrack",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "rectrack", targets: ["rectrack"]),
    .library(name: "RecTrackCore", targets: ["RecTrackCore"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    .package(url: "https://github.com/swiftcsv/SwiftCSV", .upToNextMinor(from: "0.10.0")),
    .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
  ],
  targets: [
    .systemLibrary(
      name: "Clibgit2",
      pkgConfig: "libgit2",
      providers: [.apt(["libgit2-dev"])]
    ),
    // zlib: PackReader inflates pack entries itself (libgit2 links it too).
    .target(name: "CGitShims", dependencies: ["Clibgit2"], linkerSettings: [.linkedLibrary("z")]),
    .target(
      name: "RecTrackCore",
      dependencies: [
        "Clibgit2",
        "CGitShims",
        .product(name: "Yams", package: "Yams"),
        .product(name: "Mustache", package: "swift-mustache"),
        .product(name: "SwiftCSV", package: "SwiftCSV"),
        .product(name: "ZIPFoundation", package: "ZIPFoundation"),
      ],
      // The built-in templates, compiled into the binary from their one copy (BuiltinTemplates).
      resources: [
        .embedInCode("Templates/Defaults/new-recommendation.yml.mustache"),
        .embedInCode("Templates/Defaults/summary.md.mustache"),
        .embedInCode("Templates/Defaults/summary.html.mustache"),
      ]
    ),
    .executableTarget(
      name: "rectrack",
      dependencies: [
        "RecTrackCore",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    .target(
      name: "RecTrackTestSupport",
      dependencies: ["RecTrackCore"],
      path: "Tests/RecTrackTestSupport"
    ),
    .testTarget(
      name: "RecTrackCoreTests",
      dependencies: [
        "RecTrackCore",
        "RecTrackTestSupport",
        .product(name: "Yams", package: "Yams"),
        .product(name: "PropertyBased", package: "swift-property-based"),
        // The generic rendering the paper's is compared with (TemplateRenderingAgreementTests).
        .product(name: "Mustache", package: "swift-mustache"),
      ]
    ),
    .testTarget(
      name: "RecTrackCLITests",
      dependencies: ["rectrack", "RecTrackTestSupport"]
    ),
  ]
)
